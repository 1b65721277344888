//! The `positions` item: a sinusoid table or rotary positions, computed at
//! expansion, a learned table (the `wpe` slot's parameters), or none.

use crate::front::tokens::Name;

use crate::front::errors::Errors;
use crate::front::syntax::{Entry as SpecEntry, Int, Item, ItemHead, Value};
use crate::lower::check;
use crate::lower::ir::{Config, Positions, Rope, RopeStyle};
use crate::lower::settings::{Settings, fields, int, word};

/// What the `positions` item declares: a table or rotation computed at
/// expansion, or a learned table that the `wpe` slot holds.
pub enum PositionsItem {
    Computed(Positions),
    Learned,
}

/// `positions = sinusoid { .. }`, `rope { .. }`, `learned {}` or `none {}`
/// (said, not left out: a model without positions is rarely meant).
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
        "none" => {
            fields(item.entries, &[], "positions", errors);
            Some(PositionsItem::Computed(Positions::None))
        }
        other => {
            errors.at(
                kind.span(),
                format!(
                    "unknown positions `{other}`; expected `sinusoid`, `rope`, `learned` or `none`"
                ),
            );
            None
        }
    }
}

/// `positions = rope { theta | period, style }`.
fn rope(
    kind: &Name,
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
    if config.is_some_and(|c| c.qk_dim != c.head_dim) {
        errors.at(
            kind.span(),
            "rotary positions turn whole heads; they do not go with a `qk_dim` narrower than the head dim",
        );
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
    field: &(Name, Value),
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
    field: &(Name, Value),
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
