//! The model-wide items of a spec: `config`, `format`, `positions` and
//! `weights`. Each is read field by field, every problem reported on its
//! token.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::path::Path;

use proc_macro2::Span;
use syn::Ident;

use crate::check;
use crate::errors::Errors;
use crate::ir::{Activation, Config, Format, Piece, Positions, Rope, RopeStyle};
use crate::syntax::{Entry as SpecEntry, Int, Item, ItemHead, SequenceItem, Value};
use crate::weights::WeightFile;

/// The config's sizes and the MLP's activation.
pub struct Settings {
    pub sizes: Config,
    pub activation: Activation,
}

/// Keeps the one item of a kind that a spec has at most once.
pub fn single(items: Vec<Item>, what: &str, required: bool, errors: &mut Errors) -> Option<Item> {
    let mut items = items.into_iter();
    let Some(first) = items.next() else {
        if required {
            errors.at(Span::call_site(), format!("the spec has no `{what}` item"));
        }
        return None;
    };
    for item in items {
        errors.at(head_span(&item), format!("duplicate `{what}` item"));
    }
    Some(first)
}

fn head_span(item: &Item) -> Span {
    match &item.head {
        ItemHead::Block(name) => name.span(),
        ItemHead::Slot { kind, .. } => kind.span(),
    }
}

/// An item's entries by name, each name once, each among `names`.
fn fields(
    entries: Vec<SpecEntry>,
    names: &[&str],
    what: &str,
    errors: &mut Errors,
) -> BTreeMap<String, (Ident, Value)> {
    let mut found = BTreeMap::new();
    for entry in entries {
        let name = entry.name.to_string();
        if !names.contains(&name.as_str()) {
            errors.at(
                entry.name.span(),
                format!(
                    "unknown {what} field `{name}`; expected one of: {}",
                    names.join(", ")
                ),
            );
        } else if let Entry::Vacant(slot) = found.entry(name.clone()) {
            slot.insert((entry.name, entry.value));
        } else {
            errors.at(
                entry.name.span(),
                format!("duplicate {what} field `{name}`"),
            );
        }
    }
    found
}

/// A field that takes one integer.
fn int(field: &(Ident, Value), errors: &mut Errors) -> Option<Int> {
    match &field.1 {
        Value::Dim(int) => Some(*int),
        Value::Invalid => None,
        Value::Number(number) => {
            errors.at(number.span, check::NUMBER_OUTSIDE_PARAMETER);
            None
        }
        _ => {
            errors.at(field.0.span(), format!("`{}` takes one integer", field.0));
            None
        }
    }
}

/// A field that takes one of `choices`.
fn word<'c>(field: &(Ident, Value), choices: &[&'c str], errors: &mut Errors) -> Option<&'c str> {
    let expected = choices
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match &field.1 {
        Value::Word(word) => {
            let found = choices.iter().find(|c| word == *c).copied();
            if found.is_none() {
                errors.at(
                    word.span(),
                    format!(
                        "unknown `{}` `{word}`; expected one of: {expected}",
                        field.0
                    ),
                );
            }
            found
        }
        Value::Invalid => None,
        _ => {
            errors.at(
                field.0.span(),
                format!("`{}` takes one of: {expected}", field.0),
            );
            None
        }
    }
}

pub fn config(item: Item, prompt_len: usize, errors: &mut Errors) -> Option<Settings> {
    let ItemHead::Block(keyword) = &item.head else {
        return None;
    };
    let mut names: Vec<&str> = check::CONFIG_FIELDS.iter().map(|(name, _)| *name).collect();
    names.push("activation");
    let mut fields = fields(item.entries, &names, "config", errors);
    let activation = match fields.remove("activation") {
        Some(field) => word(&field, &["relu", "gelu", "silu"], errors).map(|word| match word {
            "gelu" => Activation::Gelu,
            "silu" => Activation::Silu,
            _ => Activation::Relu,
        }),
        None => Some(Activation::Relu),
    };
    let mut ints = BTreeMap::new();
    let mut missing = Vec::new();
    for (name, default) in check::CONFIG_FIELDS {
        match fields.get(*name) {
            Some(field) => {
                if let Some(value) = int(field, errors) {
                    ints.insert((*name).to_owned(), value);
                }
            }
            None if default.is_none() => missing.push(format!("`{name}`")),
            None => {}
        }
    }
    if !missing.is_empty() {
        errors.at(
            keyword.span(),
            format!("config is missing {}", missing.join(", ")),
        );
        return None;
    }
    let sizes = check::config(&ints, prompt_len, errors)?;
    Some(Settings {
        sizes,
        activation: activation?,
    })
}

/// `format { tokens: { sep: 0 }, prompt: [sep, a_lsb, sep, sep, b_lsb, sep], answer: lsb }`
pub fn format(item: Item, errors: &mut Errors) -> Option<(Format, Vec<(Ident, Int)>)> {
    let ItemHead::Block(keyword) = &item.head else {
        return None;
    };
    let before = errors.len();
    let mut fields = fields(
        item.entries,
        &["tokens", "prompt", "answer"],
        "format",
        errors,
    );
    let mut tokens: BTreeMap<String, usize> = BTreeMap::new();
    let mut declared = Vec::new();
    if let Some((name, value)) = fields.remove("tokens") {
        match value {
            Value::Names { names, .. } => {
                for (token, id) in names {
                    if tokens.insert(token.to_string(), id.value).is_some() {
                        errors.at(token.span(), format!("duplicate token name `{token}`"));
                    }
                    declared.push((token, id));
                }
            }
            _ => errors.at(
                name.span(),
                "`tokens` takes names of special tokens, `{ plus: 10, equals: 11 }`",
            ),
        }
    }
    match fields.remove("answer") {
        Some(field) => {
            word(&field, &["lsb"], errors);
        }
        None => errors.at(
            keyword.span(),
            "format is missing `answer` (`lsb`: the sum's digits come least significant first)",
        ),
    }
    let Some((name, value)) = fields.remove("prompt") else {
        errors.at(keyword.span(), "format is missing `prompt`");
        return None;
    };
    let Value::Sequence { items, span } = value else {
        errors.at(
            name.span(),
            "`prompt` takes a sequence such as `[a_msb, plus, b_msb, equals]`",
        );
        return None;
    };
    let mut prompt = Vec::new();
    for item in items {
        let piece = match item {
            SequenceItem::Int(int) => {
                errors.at(
                    int.span,
                    "name the token: declare it in `tokens: { name: id }` and write its name",
                );
                continue;
            }
            SequenceItem::Name(name) => match name.to_string().as_str() {
                "a_msb" => Piece::A { msb_first: true },
                "a_lsb" => Piece::A { msb_first: false },
                "b_msb" => Piece::B { msb_first: true },
                "b_lsb" => Piece::B { msb_first: false },
                other => {
                    let Some(token) = tokens.get(other) else {
                        errors.at(name.span(), format!("unknown token `{other}`: expected `a_msb`, `a_lsb`, `b_msb`, `b_lsb` or a name of `tokens`"));
                        continue;
                    };
                    Piece::Token {
                        name: other.to_owned(),
                        token: *token,
                    }
                }
            },
        };
        prompt.push(piece);
    }
    let count = |a: bool| {
        prompt
            .iter()
            .filter(|p| {
                matches!(p, Piece::A { .. }) == a && matches!(p, Piece::A { .. } | Piece::B { .. })
            })
            .count()
    };
    if count(true) != 1 || count(false) != 1 {
        errors.at(
            span,
            "the prompt holds each operand once: one of `a_msb`/`a_lsb` and one of `b_msb`/`b_lsb`",
        );
    }
    (errors.len() == before).then_some((Format { prompt }, declared))
}

/// Special tokens must be tokens of the vocabulary.
pub fn check_tokens(declared: &[(Ident, Int)], vocab: usize, errors: &mut Errors) {
    for (name, token) in declared {
        if token.value >= vocab {
            errors.at(
                token.span,
                format!(
                    "token `{name}` is {}, outside the vocab of {vocab}",
                    token.value
                ),
            );
        }
    }
}

/// What the `positions` item declares: a table or rotation computed at
/// expansion, or a learned table that the `wpe` slot holds.
pub enum PositionsItem {
    Computed(Positions),
    Learned,
}

/// `positions = sinusoid { .. }`, `rope { .. }` or `learned {}`.
pub fn positions(
    item: Item,
    config: Option<&Settings>,
    errors: &mut Errors,
) -> Option<PositionsItem> {
    let ItemHead::Slot { kind, .. } = &item.head else {
        return None;
    };
    let config = config.map(|c| &c.sizes);
    match kind.to_string().as_str() {
        "sinusoid" => {
            let fields = fields(
                item.entries,
                &["sin", "cos", "period", "amplitude"],
                "positions",
                errors,
            );
            let ints: Vec<Option<Int>> = ["sin", "cos", "period"]
                .iter()
                .map(|name| fields.get(*name).and_then(|field| int(field, errors)))
                .collect();
            let amplitude = match fields.get("amplitude") {
                Some((_, Value::Schedule { steps, span })) => Some((steps, *span)),
                Some((name, _)) => {
                    errors.at(
                        name.span(),
                        "`amplitude` takes a schedule `{ from_position: value, .. }`",
                    );
                    None
                }
                None => None,
            };
            let (Some(sin), Some(cos), Some(period), Some((steps, span))) =
                (ints[0], ints[1], ints[2], amplitude)
            else {
                errors.at(
                    kind.span(),
                    "`sinusoid` needs `sin`, `cos`, `period` and `amplitude`",
                );
                return None;
            };
            check::sinusoid(sin, cos, period, steps, span, config, errors)
                .map(PositionsItem::Computed)
        }
        "rope" => rope(kind, item.entries, config, errors).map(PositionsItem::Computed),
        "learned" => {
            fields(item.entries, &[], "positions", errors);
            Some(PositionsItem::Learned)
        }
        other => {
            errors.at(
                kind.span(),
                format!("unknown positions `{other}`; expected `sinusoid`, `rope` or `learned`"),
            );
            None
        }
    }
}

/// `positions = rope { theta | period, style }`.
fn rope(
    kind: &Ident,
    entries: Vec<SpecEntry>,
    config: Option<&Config>,
    errors: &mut Errors,
) -> Option<Positions> {
    let fields = fields(entries, &["theta", "period", "style"], "positions", errors);
    let style = if let Some(field) = fields.get("style") {
        word(field, &["rotate_half", "interleaved"], errors).map(|word| match word {
            "interleaved" => RopeStyle::Interleaved,
            _ => RopeStyle::RotateHalf,
        })
    } else {
        errors.at(kind.span(), "`rope` needs `style`: `rotate_half` (HF transformers, mlx_lm `traditional=False`) or `interleaved`");
        None
    };
    let (frequencies, origin) = match (fields.get("theta"), fields.get("period")) {
        (Some(field), None) => (
            theta_frequencies(field, config, errors),
            format!("theta {}", setting_text(&field.1)),
        ),
        (None, Some(field)) => (
            period_frequency(field, config, errors),
            format!("period {}", setting_text(&field.1)),
        ),
        _ => {
            errors.at(
                kind.span(),
                "`rope` needs one of `theta` (frequencies theta^(-2i/head_dim)) or `period`",
            );
            (None, String::new())
        }
    };
    if config.is_some_and(|c| c.head_dim % 2 != 0) {
        errors.at(kind.span(), "rotary positions need an even head dim");
        return None;
    }
    Some(Positions::Rope(Rope {
        frequencies: frequencies?,
        origin,
        style: style?,
    }))
}

/// A setting's number as the spec writes it, for descriptions.
fn setting_text(value: &Value) -> String {
    match value {
        Value::Number(number) => number.value.to_string(),
        Value::Dim(int) => int.value.to_string(),
        _ => String::new(),
    }
}

/// `theta^(-2i / head_dim)` for each pair `i` of a head.
fn theta_frequencies(
    field: &(Ident, Value),
    config: Option<&Config>,
    errors: &mut Errors,
) -> Option<Vec<f64>> {
    let theta = match &field.1 {
        Value::Number(number) => check::theta(number.value, number.span, errors)?,
        Value::Dim(int) => check::theta(int.value as f64, int.span, errors)?,
        _ => {
            errors.at(field.0.span(), "`theta` takes a number");
            return None;
        }
    };
    let pairs = config?.head_dim / 2;
    let dims = (pairs * 2) as f64;
    Some(
        (0..pairs)
            .map(|i| theta.powf(-2.0 * i as f64 / dims))
            .collect(),
    )
}

/// One pair turning by `2 pi / period` per position.
fn period_frequency(
    field: &(Ident, Value),
    config: Option<&Config>,
    errors: &mut Errors,
) -> Option<Vec<f64>> {
    let period = int(field, errors)?;
    if period.value == 0 {
        errors.at(period.span, "the period must be at least 1");
        return None;
    }
    if config.is_some_and(|c| c.head_dim != 2) {
        errors.at(period.span, "a rotary `period` fixes one frequency: it needs a head dim of 2; use `theta` for wider heads");
        return None;
    }
    Some(vec![std::f64::consts::TAU / period.value as f64])
}

/// `weights = safetensors { file: "name.safetensors" }`, relative to `base`.
pub fn weights(item: Item, base: &Path, errors: &mut Errors) -> Option<WeightFile> {
    let ItemHead::Slot { kind, .. } = &item.head else {
        return None;
    };
    if kind != "safetensors" {
        errors.at(
            kind.span(),
            format!("unknown weight format `{kind}`; expected `safetensors`"),
        );
        return None;
    }
    let fields = fields(item.entries, &["file"], "weights", errors);
    let Some((name, value)) = fields.get("file") else {
        errors.at(
            kind.span(),
            "`safetensors` needs `file: \"name.safetensors\"`",
        );
        return None;
    };
    let Value::Str(literal) = value else {
        errors.at(name.span(), "`file` takes a string, the weight file's path");
        return None;
    };
    let shown = literal.value();
    match WeightFile::open(shown.clone(), base.join(&shown), literal.span()) {
        Ok(file) => Some(file),
        Err(message) => {
            errors.at(literal.span(), message);
            None
        }
    }
}
