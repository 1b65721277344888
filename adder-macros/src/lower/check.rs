//! The rules a spec must keep, each reported on the token at fault.

use std::collections::BTreeMap;

use crate::front::tokens::Loc;

use crate::front::dtype::Dtype;
use crate::front::errors::Errors;
use crate::front::syntax::{Int, Number, Tensor as TensorSyntax};
use crate::lower::ir::{Config, DIGITS, OUTPUT_DIGITS, Positions, Softmax};

/// Bounds that keep the unrolled code and the expansion time sane.
const MAX_WIDTH: usize = 64;
const MAX_BLOCK: usize = 1024;
const MAX_LAYERS: usize = 16;
const MAX_VOCAB: usize = 64;

/// The message for a number where structure goes.
pub const NUMBER_OUTSIDE_PARAMETER: &str = "a number outside a parameter: every stored number must be a parameter, \
     `name: [shape] = [values]`; structure takes dims (non-negative integers)";

/// Where the `const` sin and cos reduce exactly: `f32::from_bits(0x4dc9_0fdb)`,
/// as `adder::math::TRIG_MAX_BITS`.
pub const TRIG_MAX: f64 = 421_657_440.0;
pub const ANGLE_RANGE: &str =
    "+-4.2e8 radians, where the `const` sin and cos are exact; reduce it modulo 2 pi";

/// The config's fields: `(name, default)`, `None` where required.
pub const CONFIG_FIELDS: &[(&str, Option<usize>)] = &[
    ("vocab", None),
    ("n_embd", None),
    ("n_head", None),
    ("block_size", None),
    ("mlp_hidden", None),
    ("n_layer", Some(1)),
    ("n_kv_head", Some(0)),
    ("head_dim", Some(0)),
    ("qk_dim", Some(0)),
];

/// The config, or `None` where the widths are unusable. A wrong block size
/// is reported but still yields a config, so the slots are checked against
/// the right shapes and the one error is not repeated on every tensor.
/// `prompt_len` is the format's.
pub fn config(
    fields: &BTreeMap<String, Int>,
    prompt_len: usize,
    errors: &mut Errors,
) -> Option<Config> {
    let get = |name: &str| fields.get(name).copied();
    let int = |value| Int {
        value,
        span: Loc::Span(proc_macro2::Span::call_site()),
    };
    let (Some(vocab), Some(n_embd), Some(n_head), Some(block_size), Some(mlp_hidden)) = (
        get("vocab"),
        get("n_embd"),
        get("n_head"),
        get("block_size"),
        get("mlp_hidden"),
    ) else {
        return None;
    };
    let n_layer = get("n_layer").unwrap_or(int(1));
    let n_kv_head = get("n_kv_head").unwrap_or(n_head);
    if vocab.value < DIGITS || vocab.value > MAX_VOCAB {
        errors.at(
            vocab.span,
            format!("vocab must be from {DIGITS} (the digits 0-9 are tokens 0-9) to {MAX_VOCAB}"),
        );
    }
    let min_block = prompt_len + OUTPUT_DIGITS;
    if block_size.value < min_block {
        errors.at(
            block_size.span,
            format!("block_size must be at least {min_block}: {prompt_len} prompt tokens plus {OUTPUT_DIGITS} output digits"),
        );
    } else if block_size.value > MAX_BLOCK {
        errors.at(
            block_size.span,
            format!("block_size must be at most {MAX_BLOCK}"),
        );
    }
    // The vocab and block size are reported but still yield a config;
    // unusable widths do not.
    let soft = errors.len();
    for field in [n_embd, n_head, mlp_hidden, n_kv_head] {
        if field.value == 0 || field.value > MAX_WIDTH {
            errors.at(field.span, format!("expected a size from 1 to {MAX_WIDTH}"));
        }
    }
    if n_layer.value == 0 || n_layer.value > MAX_LAYERS {
        errors.at(
            n_layer.span,
            format!("expected from 1 to {MAX_LAYERS} layers"),
        );
    }
    let head_dim = if let Some(head_dim) = get("head_dim") {
        if head_dim.value == 0 || head_dim.value > MAX_WIDTH {
            errors.at(
                head_dim.span,
                format!("expected a size from 1 to {MAX_WIDTH}"),
            );
        }
        head_dim.value
    } else {
        if n_head.value != 0 && n_embd.value % n_head.value != 0 {
            errors.at(
                n_head.span,
                format!(
                    "n_embd ({}) must be divisible by n_head ({}), or give `head_dim`",
                    n_embd.value, n_head.value
                ),
            );
        }
        n_embd.value / n_head.value.max(1)
    };
    let qk_dim = match get("qk_dim") {
        Some(qk_dim) if qk_dim.value == 0 || qk_dim.value > head_dim => {
            errors.at(
                qk_dim.span,
                format!("qk_dim must be from 1 to the head dim ({head_dim}): queries and keys are at most as wide as values"),
            );
            head_dim
        }
        Some(qk_dim) => qk_dim.value,
        None => head_dim,
    };
    if n_kv_head.value != 0 && n_head.value % n_kv_head.value != 0 {
        errors.at(
            n_kv_head.span,
            format!(
                "n_head ({}) must be a multiple of n_kv_head ({}): query heads share key/value heads in equal groups",
                n_head.value, n_kv_head.value
            ),
        );
    }
    (errors.len() == soft).then_some(Config {
        vocab: vocab.value.clamp(DIGITS, MAX_VOCAB),
        n_embd: n_embd.value,
        n_layer: n_layer.value,
        n_head: n_head.value,
        n_kv_head: n_kv_head.value,
        head_dim,
        qk_dim,
        block_size: block_size.value.min(MAX_BLOCK),
        mlp_hidden: mlp_hidden.value,
        dtype: Dtype::F32,
        softmax: Softmax::Standard,
    })
}

/// The sinusoid table's dims, period and amplitude schedule.
pub fn sinusoid(
    sin: Int,
    cos: Int,
    period: Int,
    steps: &[(Int, Number)],
    span: Loc,
    config: Option<&Config>,
    errors: &mut Errors,
) -> Option<Positions> {
    let before = errors.len();
    let embd = config.map(|c| c.n_embd);
    dim(sin, embd, errors);
    dim(cos, embd, errors);
    if sin.value == cos.value {
        errors.at(cos.span, "`sin` and `cos` must be different dims");
    }
    if period.value == 0 {
        errors.at(period.span, "the period must be at least 1");
    }
    match steps.first() {
        None => errors.at(span, "the amplitude schedule needs at least `{ 0: value }`"),
        Some((from, _)) if from.value != 0 => {
            errors.at(from.span, "the amplitude schedule must start at position 0");
        }
        Some(_) => {}
    }
    for pair in steps.windows(2) {
        if pair[1].0.value <= pair[0].0.value {
            errors.at(pair[1].0.span, "schedule positions must increase");
        }
    }
    for (from, amplitude) in steps {
        if let Some(config) = config
            && from.value >= config.block_size
        {
            errors.at(
                from.span,
                format!(
                    "position {} is past block_size ({})",
                    from.value, config.block_size
                ),
            );
        }
        value(amplitude, config.map_or(Dtype::F32, |c| c.dtype), errors);
    }
    (errors.len() == before).then(|| Positions::Sinusoid {
        sin_dim: sin.value,
        cos_dim: cos.value,
        period: period.value,
        amplitude: steps
            .iter()
            .map(|(from, amplitude)| (from.value, amplitude.value))
            .collect(),
    })
}

/// A rank of a factorisation.
pub fn rank(rank: usize) -> bool {
    (1..=MAX_WIDTH).contains(&rank)
}

/// A dim index below `bound`.
pub fn dim(dim: Int, bound: Option<usize>, errors: &mut Errors) -> Option<usize> {
    match bound {
        Some(bound) if dim.value >= bound => {
            errors.at(
                dim.span,
                format!(
                    "dim {} is out of range: expected 0 to {}",
                    dim.value,
                    bound.saturating_sub(1)
                ),
            );
            None
        }
        _ => Some(dim.value),
    }
}

/// Distinct dims below `bound`, `count` of them where a count is fixed.
pub fn dims(
    dims: &[Int],
    span: Loc,
    bound: Option<usize>,
    count: Option<usize>,
    errors: &mut Errors,
) -> Option<Vec<usize>> {
    let before = errors.len();
    if let Some(count) = count
        && dims.len() != count
    {
        errors.at(span, format!("expected {count} dims, found {}", dims.len()));
    }
    for &d in dims {
        dim(d, bound, errors);
    }
    (errors.len() == before).then(|| dims.iter().map(|d| d.value).collect())
}

/// The `(row, column)` places of a sparse map: in range and distinct.
pub fn places(
    places: &BTreeMap<String, (Int, Int)>,
    rows: Option<usize>,
    cols: Option<usize>,
    errors: &mut Errors,
) -> Option<Vec<(String, usize, usize)>> {
    let before = errors.len();
    let mut taken: BTreeMap<(usize, usize), &str> = BTreeMap::new();
    for (name, (row, col)) in places {
        dim(*row, rows, errors);
        dim(*col, cols, errors);
        if let Some(other) = taken.insert((row.value, col.value), name) {
            errors.at(
                row.span,
                format!("`{name}` stands at the same place as `{other}`"),
            );
        }
    }
    (errors.len() == before).then(|| {
        places
            .iter()
            .map(|(name, (row, col))| (name.clone(), row.value, col.value))
            .collect()
    })
}

/// A parameter's shape against the expected one.
pub fn shape(tensor: &TensorSyntax, expected: Option<&[usize]>, errors: &mut Errors) -> Option<()> {
    let before = errors.len();
    let shape: Vec<usize> = tensor.shape.iter().map(|d| d.value).collect();
    if let Some(expected) = expected
        && shape != expected
    {
        errors.at(
            tensor.shape_span,
            format!("expected shape {expected:?}, found {shape:?}"),
        );
    }
    if shape.is_empty() {
        errors.at(
            tensor.shape_span,
            "a shape needs at least one dim; a scalar is `[1]`",
        );
    }
    (errors.len() == before).then_some(())
}

/// A parameter's values written in the spec: as many as its shape holds,
/// each finite in `dtype`; returns them rounded once to it.
pub fn values(
    tensor: &TensorSyntax,
    numbers: &[Number],
    dtype: Dtype,
    errors: &mut Errors,
) -> Option<Vec<f64>> {
    let before = errors.len();
    let shape: Vec<usize> = tensor.shape.iter().map(|d| d.value).collect();
    let size = shape
        .iter()
        .try_fold(1usize, |size, d| size.checked_mul(*d));
    match size {
        Some(size) if size == numbers.len() => {}
        Some(size) => errors.at(
            tensor.values_span,
            format!(
                "shape {shape:?} holds {size} values, found {}",
                numbers.len()
            ),
        ),
        None => errors.at(tensor.shape_span, "shape is too large"),
    }
    let values: Vec<f64> = numbers
        .iter()
        .filter_map(|v| value(v, dtype, errors))
        .collect();
    (errors.len() == before).then_some(values)
}

/// A finite number that fits `dtype`, rounded once.
pub fn value(number: &Number, dtype: Dtype, errors: &mut Errors) -> Option<f64> {
    if !number.value.is_finite() {
        errors.at(number.span, "value is not finite");
        return None;
    }
    let rounded = dtype.round(number.value);
    if !rounded.is_finite() {
        errors.at(
            number.span,
            format!("value does not fit in {}", dtype.name()),
        );
        return None;
    }
    Some(rounded)
}

/// Rotation angles the `const` trigonometry reduces exactly.
pub fn angles(numbers: &[Number], errors: &mut Errors) -> Option<()> {
    let before = errors.len();
    for number in numbers {
        if number.value.abs() >= TRIG_MAX {
            errors.at(
                number.span,
                format!("an angle must lie within {ANGLE_RANGE}"),
            );
        }
    }
    (errors.len() == before).then_some(())
}

/// A norm's `eps`: positive and finite in `dtype`, rounded to it.
pub fn eps(eps: f64, span: Loc, dtype: Dtype, errors: &mut Errors) -> Option<f64> {
    let rounded = dtype.round(eps);
    if !(rounded.is_finite() && rounded > 0.0) {
        errors.at(
            span,
            format!(
                "`eps` must be a positive number that {} holds",
                dtype.name()
            ),
        );
        return None;
    }
    Some(rounded)
}

/// An `rms_norm`'s fixed `gain`: finite and not zero in `f32`, and not
/// beside a stored `weight` (which would scale twice).
pub fn gain(
    gain: f64,
    span: Loc,
    weighted: bool,
    dtype: Dtype,
    errors: &mut Errors,
) -> Option<f64> {
    let rounded = dtype.round(gain);
    if !(rounded.is_finite() && rounded != 0.0) {
        errors.at(
            span,
            format!(
                "`gain` must be a nonzero number that {} holds",
                dtype.name()
            ),
        );
        return None;
    }
    if weighted {
        errors.at(
            span,
            "an `rms_norm` takes a stored `weight` or a fixed `gain`, not both",
        );
        return None;
    }
    Some(rounded)
}

/// A rotary table's `theta`: above 1, so frequencies fall with the pair.
pub fn theta(theta: f64, span: Loc, errors: &mut Errors) -> Option<f64> {
    if !(theta.is_finite() && theta > 1.0) {
        errors.at(span, "`theta` must be a finite number above 1");
        return None;
    }
    Some(theta)
}
