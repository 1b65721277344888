//! A spec's slot items, gathered: each resolved from its path (`attn.q`,
//! `h.1.attn.q`) to its layer and slot and lowered by its
//! parametrisation, and the rules across them: the slots a model must
//! have, the `wpe` of a learned table, the dense embedding of a tied head.

use std::collections::BTreeMap;

use crate::front::errors::Errors;
use crate::front::syntax::{DottedPath, Item, ItemHead};
use crate::front::tokens::Loc;
use crate::lower::decoder::{Part, SLOTS, Slot};
use crate::lower::ir::{Embedding, Head};
use crate::lower::params::Lowering;
use crate::lower::positions::PositionsItem;

/// Slot items by `(layer, slot)`, each with its part where it lowered
/// cleanly.
pub type Slots = BTreeMap<(usize, Slot), (Loc, Option<Part>)>;

pub fn slots(lowering: &mut Lowering, items: Vec<Item>) -> Slots {
    let n_layer = lowering.config.map(|c| c.n_layer);
    let mut slots = Slots::new();
    for item in items {
        let ItemHead::Slot { slot, kind, module } = item.head else {
            continue;
        };
        let Some((layer, id)) = resolve(&slot, n_layer, lowering.errors) else {
            continue;
        };
        if slots.contains_key(&(layer, id)) {
            lowering
                .errors
                .at(slot.span(), format!("duplicate slot `{}`", slot.dotted()));
            continue;
        }
        let module = module.as_ref().unwrap_or(&slot).dotted();
        let part = lowering.slot(id, &kind, &module, item.entries);
        slots.insert((layer, id), (slot.span(), part));
    }
    slots
}

/// `attn.q` (layer 0) or `h.1.attn.q`: the layer and the slot.
fn resolve(
    path: &DottedPath,
    n_layer: Option<usize>,
    errors: &mut Errors,
) -> Option<(usize, Slot)> {
    let dotted = path.dotted();
    let (layer, name) = match path.segments.as_slice() {
        [h, layer, rest @ ..] if h == "h" && !rest.is_empty() => {
            (layer.parse::<usize>().ok(), rest.join("."))
        }
        _ => (Some(0), dotted.clone()),
    };
    let Some(slot) = SLOTS.iter().find(|(n, _)| *n == name).map(|(_, s)| *s) else {
        let names: Vec<&str> = SLOTS.iter().map(|(name, _)| *name).collect();
        errors.at(
            path.span(),
            format!(
                "unknown slot `{dotted}`; expected one of: {}",
                names.join(", ")
            ),
        );
        return None;
    };
    let Some(layer) = layer else {
        errors.at(
            path.span(),
            format!("`{dotted}`: expected `h.<layer>.{name}`"),
        );
        return None;
    };
    if !slot.per_layer() && dotted != name {
        errors.at(
            path.span(),
            format!("`{name}` belongs to the model, not to a layer: write `{name}`"),
        );
        return None;
    }
    if let Some(n_layer) = n_layer
        && layer >= n_layer
    {
        errors.at(
            path.span(),
            format!("layer {layer} is out of range: the model has {n_layer}"),
        );
        return None;
    }
    Some((layer, slot))
}

/// A learned table needs the `wpe` slot, and only it has one.
pub fn learned_table(slots: &Slots, positions: &PositionsItem, whole: Loc, errors: &mut Errors) {
    let wpe = slots.get(&(0, Slot::Wpe));
    match (positions, wpe) {
        (PositionsItem::Learned, None) => errors.at(
            whole,
            "`positions = learned` needs the table: a `wpe` slot (`dense` or `factorized`)",
        ),
        (PositionsItem::Computed(_), Some((span, _))) => errors.at(
            *span,
            "`wpe` is the table of `positions = learned`; these positions are computed",
        ),
        _ => {}
    }
}

/// A tied head transposes the token embedding's weight, which a `dense`
/// embedding has.
pub fn tied(slots: &Slots, errors: &mut Errors) {
    if let (Some((span, Some(Part::Head(Head::Tied)))), Some((_, Some(Part::Embedding(embedding))))) =
        (slots.get(&(0, Slot::LmHead)), slots.get(&(0, Slot::Wte)))
        && !matches!(embedding, Embedding::Dense { .. })
    {
        errors.at(
            *span,
            "`lm_head = tied` reuses a `dense` token embedding's weight; this `wte` is not dense",
        );
    }
}

/// A `qk_dim` narrower than the head: each head's query and key are the
/// separate `attn.q` and `attn.k` maps' outputs followed by zeros, so
/// nothing may read a head as a whole before the scores (a per-head norm;
/// a rotary turn, `positions.rs`) and the fused `attn.qkv` has no such
/// split.
pub fn narrow_qk(slots: &Slots, errors: &mut Errors) {
    for ((_, slot), (span, _)) in slots {
        let what = match slot {
            Slot::Qkv => "the fused `attn.qkv`; give `attn.q`, `attn.k` and `attn.v`",
            Slot::QNorm | Slot::KNorm => "a per-head norm of queries or keys",
            _ => continue,
        };
        errors.at(
            *span,
            format!("`qk_dim` narrower than the head dim does not go with {what}"),
        );
    }
}

/// Reports the slots every layer (and the model) must have.
pub fn missing(slots: &Slots, n_layer: usize, whole: Loc, errors: &mut Errors) {
    let mut missing = Vec::new();
    let has = |layer: usize, slot: Slot| slots.contains_key(&(layer, slot));
    if !has(0, Slot::Wte) {
        missing.push("`wte`".to_owned());
    }
    for layer in 0..n_layer {
        let prefix = if n_layer > 1 {
            format!("h.{layer}.")
        } else {
            String::new()
        };
        let separate = [Slot::Q, Slot::K, Slot::V].map(|slot| has(layer, slot));
        if let Some((span, _)) = slots.get(&(layer, Slot::Qkv))
            && separate.iter().any(|present| *present)
        {
            errors.at(
                *span,
                format!("`{prefix}attn.qkv` replaces `{prefix}attn.q`, `{prefix}attn.k` and `{prefix}attn.v`; give either it or them"),
            );
        }
        if !has(layer, Slot::Qkv) && !separate.iter().all(|present| *present) {
            missing.push(format!(
                "`{prefix}attn.q`, `{prefix}attn.k` and `{prefix}attn.v` (or `{prefix}attn.qkv`)"
            ));
        }
        for slot in [Slot::AttnProj, Slot::MlpIn, Slot::MlpOut] {
            if !has(layer, slot) {
                missing.push(format!("`{prefix}{}`", slot.name()));
            }
        }
    }
    if !has(0, Slot::LmHead) {
        missing.push("`lm_head`".to_owned());
    }
    if !missing.is_empty() {
        errors.at(
            whole,
            format!("the spec is missing the slots {}", missing.join(", ")),
        );
    }
}
