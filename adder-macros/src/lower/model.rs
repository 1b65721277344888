//! Lowering: a parsed spec becomes the intermediate form. Names are
//! resolved (items, slots, parametrisations, parameters; the slot items
//! are gathered in `resolve.rs`, assembled here) and every value
//! goes through the rules in [`crate::lower::check`]; whatever is wrong is
//! recorded and lowering goes on, so a spec's errors all surface in one
//! build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::front::tokens::Loc;

use crate::front::dtype::Dtype;
use crate::front::errors::Errors;
use crate::front::names::Names;
use crate::front::syntax::{Item, ItemHead, Spec};
use crate::lower::decoder::{Part, Slot};
use crate::lower::ir::{
    Attention, Format, Head, Layer, Mlp, Model, Positions, Qkv, Tensor, TensorId,
};
use crate::lower::params::Lowering;
use crate::lower::positions::{self, PositionsItem};
use crate::lower::resolve::{Slots, learned_table, missing, narrow_qk, slots, tied};
use crate::lower::settings;
use crate::lower::statics;
use crate::lower::weights::WeightFile;

/// A lowered model and the files it was read from (for `include_str!` and
/// `include_bytes!`).
pub struct Lowered {
    pub model: Model,
    /// The spec file, where the spec is one (set by `lower::spec`).
    pub spec_file: Option<PathBuf>,
    pub weight_file: Option<PathBuf>,
}

/// Builds the model from a parsed spec; `None` when anything is wrong, with
/// every problem in `errors`. Weight files resolve against `base`; errors of
/// the spec as a whole (a missing item or slot) stand on `whole`.
pub fn lower(spec: Spec, base: &Path, whole: Loc, errors: &mut Errors) -> Option<Lowered> {
    let before = errors.len();
    let mut blocks: BTreeMap<String, Vec<Item>> = BTreeMap::new();
    let mut slot_items = Vec::new();
    let Spec { items, names } = spec;
    for item in items {
        match &item.head {
            ItemHead::Block(name) => blocks.entry(name.to_string()).or_default().push(item),
            ItemHead::Slot { slot, .. } => match slot.dotted().as_str() {
                name @ ("positions" | "weights") => {
                    blocks.entry(name.to_owned()).or_default().push(item);
                }
                _ => slot_items.push(item),
            },
        }
    }
    let mut take = |name: &str, required: bool, errors: &mut Errors| {
        let items = blocks.remove(name).unwrap_or_default();
        settings::single(items, name, required, whole, errors)
    };
    let (format, declared) = match take("format", false, errors) {
        Some(item) => settings::format(item, errors).unzip(),
        None => (Some(Format::nanogpt()), None),
    };
    let settings = take("config", true, errors).and_then(|item| {
        settings::config(item, format.as_ref().map_or(0, Format::prompt_len), errors)
    });
    let dtype = settings.as_ref().map_or(Dtype::F32, |s| s.sizes.dtype);
    for error in names.set_dtype(dtype) {
        errors.push(error);
    }
    let positions = take("positions", true, errors)
        .and_then(|item| positions::positions(item, settings.as_ref(), errors));
    let weights = take("weights", false, errors);
    for (name, items) in blocks {
        for item in items {
            if let ItemHead::Block(ident) = &item.head {
                errors.at(
                    ident.span(),
                    format!("unknown item `{name}`; expected `config`, `format`, `positions = ..`, `weights = ..` or a slot"),
                );
            }
        }
    }
    let has_weight_file = weights.is_some();
    let mut weights = weights.and_then(|item| settings::weights(item, base, dtype, errors));
    load_params(&names, weights.as_mut(), has_weight_file, errors);
    let (tensors, from_file) = params(&names, errors);
    if let (Some(declared), Some(settings)) = (&declared, &settings) {
        settings::check_declared(declared, &settings.sizes, errors);
    }

    let mut lowering = Lowering {
        config: settings.as_ref().map(|s| s.sizes),
        dtype,
        tensors,
        errors,
        weights,
        has_weight_file,
        from_file,
        names: &names,
    };
    let slots = slots(&mut lowering, slot_items);
    let Lowering {
        errors,
        config,
        tensors,
        weights,
        ..
    } = lowering;
    unused_params(&names, errors);
    let weight_file = weights.as_ref().map(|w| w.path.clone());
    if let Some(weights) = &weights
        && errors.len() == before
    {
        unused_tensors(weights, errors);
    }
    let n_layer = config.map_or(1, |c| c.n_layer);
    missing(&slots, n_layer, whole, errors);
    if let Some(positions) = &positions {
        learned_table(&slots, positions, whole, errors);
    }
    tied(&slots, errors);
    if config.is_some_and(|c| c.qk_dim != c.head_dim) {
        narrow_qk(&slots, errors);
    }
    if errors.len() > before || slots.values().any(|(_, part)| part.is_none()) {
        return None;
    }
    let settings = settings?;
    let model = assemble(slots, &settings, format?, positions?, tensors)?;
    (errors.len() == before).then_some(Lowered {
        model,
        spec_file: None,
        weight_file,
    })
}

/// The params the spec reads from its weight file: each tensor loaded into
/// `names` (its shape the one declared) before any derived tensor reads it.
fn load_params(
    names: &Names,
    mut weights: Option<&mut WeightFile>,
    has_weight_file: bool,
    errors: &mut Errors,
) {
    for param in names.params() {
        let (Some(file), name, shape, loc) = (param.file, param.name, param.shape, param.loc)
        else {
            continue;
        };
        let Some(weights) = weights.as_deref_mut() else {
            if !has_weight_file {
                errors.at(
                    loc,
                    format!("param `{name}` reads the weight file, and the spec names none: add `weights = safetensors {{ file: \"...\" }}`"),
                );
            }
            continue;
        };
        match weights.load(&file, false) {
            Ok(loaded) if loaded.shape == shape => names.fill(&name, &loaded.values),
            Ok(loaded) => errors.at(
                loc,
                format!(
                    "tensor `{file}` of `{}` has shape {:?}; the spec says {shape:?}",
                    weights.shown, loaded.shape
                ),
            ),
            Err(message) => errors.at(loc, message),
        }
    }
}

/// The spec's params, each an `f32` static of its own (`params.c`,
/// `PARAMS_C`; a file param's tensor at its shape), counted, and the file
/// params by their tensor's name (a slot reading one again ties to it).
fn params(names: &Names, errors: &mut Errors) -> (Vec<Tensor>, BTreeMap<String, TensorId>) {
    let mut tensors: Vec<Tensor> = Vec::new();
    let mut from_file = BTreeMap::new();
    for param in names.params() {
        let path = format!("params.{}", param.name);
        if let Some(other) = tensors
            .iter()
            .find(|t| statics::same_static(&t.path, &path))
        {
            errors.at(
                param.loc,
                format!(
                    "param `{}` names the same static as `{}`",
                    param.name, other.path
                ),
            );
        } else if param.values.len() == param.shape.iter().product::<usize>() {
            if let Some(file) = param.file {
                from_file.insert(file, tensors.len());
            }
            tensors.push(Tensor {
                path,
                shape: param.shape,
                values: param.values,
                counted: true,
            });
        }
    }
    (tensors, from_file)
}

/// The weight file's tensors the spec never reads: an error, as a spec
/// that leaves a trained weight out computes another model.
fn unused_tensors(weights: &WeightFile, errors: &mut Errors) {
    let unused = weights.unused();
    if !unused.is_empty() {
        errors.at(
            weights.span,
            format!(
                "`{}` holds tensors the spec never reads: {}",
                weights.shown,
                unused.join(", ")
            ),
        );
    }
}

/// A param no derived tensor read: counted, and doing nothing.
fn unused_params(names: &Names, errors: &mut Errors) {
    for param in names.params().into_iter().filter(|param| !param.used) {
        errors.at(
            param.loc,
            format!(
                "param `{}` is read by no `derived` tensor: it would be counted and do nothing",
                param.name
            ),
        );
    }
}

/// The model from its lowered slots, every one of which lowered cleanly.
fn assemble(
    mut slots: Slots,
    settings: &settings::Settings,
    format: Format,
    positions: PositionsItem,
    tensors: Vec<Tensor>,
) -> Option<Model> {
    let n_layer = settings.sizes.n_layer;
    let mut take =
        |layer: usize, slot: Slot| slots.remove(&(layer, slot)).and_then(|(_, part)| part);
    let positions = match positions {
        PositionsItem::Computed(positions) => positions,
        PositionsItem::Learned => {
            let Part::Embedding(table) = take(0, Slot::Wpe)? else {
                return None;
            };
            Positions::Learned(table)
        }
    };
    let mut layers = Vec::new();
    for layer in 0..n_layer {
        let qkv = match (
            take(layer, Slot::Qkv),
            take(layer, Slot::Q),
            take(layer, Slot::K),
            take(layer, Slot::V),
        ) {
            (Some(Part::Linear(qkv)), None, None, None) => Qkv::Fused(qkv),
            (None, Some(Part::Linear(q)), Some(Part::Linear(k)), Some(Part::Linear(v))) => {
                let c = settings.sizes;
                let headed = |inner: crate::lower::ir::Linear, heads: usize| {
                    if c.qk_dim == c.head_dim {
                        inner
                    } else {
                        crate::lower::ir::Linear::Headed {
                            inner: Box::new(inner),
                            heads,
                            qk_dim: c.qk_dim,
                            head_dim: c.head_dim,
                        }
                    }
                };
                Qkv::Separate {
                    q: headed(q, c.n_head),
                    k: headed(k, c.n_kv_head),
                    v,
                }
            }
            _ => return None,
        };
        layers.push(Layer {
            attention: Attention {
                norm: norm(take(layer, Slot::AttnNorm)).ok()?,
                qkv,
                q_norm: norm(take(layer, Slot::QNorm)).ok()?,
                k_norm: norm(take(layer, Slot::KNorm)).ok()?,
                scores: match take(layer, Slot::Scores) {
                    Some(Part::Scores(table)) => Some(table),
                    Some(_) => return None,
                    None => None,
                },
                output: linear(take(layer, Slot::AttnProj))?,
            },
            mlp: Mlp {
                norm: norm(take(layer, Slot::MlpNorm)).ok()?,
                gate: match take(layer, Slot::MlpGate) {
                    Some(part) => Some(linear(Some(part))?),
                    None => None,
                },
                up: linear(take(layer, Slot::MlpIn))?,
                activation: settings.activation,
                down: linear(take(layer, Slot::MlpOut))?,
            },
        });
    }
    let Part::Embedding(embedding) = take(0, Slot::Wte)? else {
        return None;
    };
    let head = match take(0, Slot::LmHead)? {
        Part::Head(head) => head,
        Part::Linear(linear) => Head::Linear(linear),
        _ => return None,
    };
    let final_norm = norm(take(0, Slot::Norm)).ok()?;
    Some(Model {
        config: settings.sizes,
        format,
        positions,
        tensors,
        embedding,
        layers,
        final_norm,
        head,
    })
}

/// An optional norm slot's part: `Some(None)` where absent.
fn norm(part: Option<Part>) -> Result<Option<crate::lower::ir::Norm>, WrongPart> {
    match part {
        None => Ok(None),
        Some(Part::Norm(norm)) => Ok(Some(norm)),
        Some(_) => Err(WrongPart),
    }
}

/// A slot lowered to a part of another kind than the slot holds.
struct WrongPart;

fn linear(part: Option<Part>) -> Option<crate::lower::ir::Linear> {
    match part? {
        Part::Linear(linear) => Some(linear),
        _ => None,
    }
}
