//! The model a spec describes: config, positional table, parameter tensors
//! and the parametrisation of each slot of the fixed one-block skeleton.
//!
//! Lowering resolves names (slots, parametrisations, parameters) and hands
//! every value to the rules in [`crate::check`]; whatever is wrong is
//! recorded and lowering goes on, so a spec's errors all surface in one build.

use std::collections::BTreeMap;

use proc_macro2::Span;
use syn::Ident;

use crate::check;
use crate::errors::Errors;
use crate::syntax::{Entry, Int, Item, ItemHead, Spec, Tensor as TensorSyntax, Value};

/// The sizes of the skeleton.
#[derive(Clone, Copy)]
pub struct Config {
    pub vocab: usize,
    pub n_embd: usize,
    pub n_head: usize,
    pub block_size: usize,
    pub mlp_hidden: usize,
}

impl Config {
    pub fn head_dim(&self) -> usize {
        self.n_embd / self.n_head
    }
}

/// The sinusoidal positional table: not a parameter, computed at expansion.
pub struct Positions {
    pub sin_dim: usize,
    pub cos_dim: usize,
    pub period: usize,
    /// `(from position, amplitude)`, sorted, the first from position 0.
    pub amplitude: Vec<(usize, f64)>,
}

/// One parameter tensor: a `static` of the generated code.
pub struct Tensor {
    /// The `PyTorch` path, `attn.q_proj.angle_h0`.
    pub path: String,
    pub shape: Vec<usize>,
    pub values: Vec<f32>,
}

pub type TensorId = usize;

/// A linear map `out = W x (+ b)` in one of its parametrisations. Places a
/// parametrisation never stores are structural zeros and cost no code.
pub enum Linear {
    /// `weight [out, in]`.
    Dense {
        weight: TensorId,
        bias: Option<TensorId>,
    },
    /// `weight [out, reads.len()]`: reads only the listed input dims.
    Slim {
        reads: Vec<usize>,
        weight: TensorId,
        bias: Option<TensorId>,
    },
    /// `W = u v`, `u [out, 1]`, `v [1, in]`: computed as `u (v x)`.
    Rank1 {
        u: TensorId,
        v: TensorId,
        bias: Option<TensorId>,
    },
    /// Scalars at fixed `(row, column)` places.
    Sparse {
        entries: Vec<(TensorId, usize, usize)>,
    },
    /// Output `i` uses row `rows[assign[i]]`.
    SharedRows {
        rows: Vec<TensorId>,
        assign: Vec<usize>,
        bias: Option<TensorId>,
    },
    /// Per head `h`, the 2x2 block `S [[-cos a_h, sin a_h], [sin a_h, cos a_h]]`
    /// on the input dims `reads`.
    Rotation {
        reads: [usize; 2],
        angles: Vec<TensorId>,
        scale: TensorId,
    },
}

/// The token embedding, `vocab -> n_embd`.
pub enum Embedding {
    Dense {
        weight: TensorId,
    },
    /// `A [vocab, r] B [r, n_embd]`.
    Factorized {
        a: TensorId,
        b: TensorId,
        rank: usize,
    },
}

/// The attention's projections of the residual stream.
pub enum Attention {
    Separate {
        q: Linear,
        k: Linear,
        v: Linear,
    },
    /// One `[3 n_embd, n_embd]` map whose rows are Q, K and V, as nanoGPT's
    /// `c_attn`.
    Fused(Linear),
}

/// The LM head, `n_embd -> vocab`.
pub enum Head {
    /// `logit(d) = lin d (x[reads] dim_w) + quad d^2`.
    Parabolic {
        lin: TensorId,
        quad: TensorId,
        dim_w: TensorId,
        reads: usize,
    },
    Linear(Linear),
}

/// A whole model, ready to emit.
pub struct Model {
    pub config: Config,
    pub positions: Positions,
    pub tensors: Vec<Tensor>,
    pub embedding: Embedding,
    pub attention: Attention,
    pub attn_proj: Linear,
    pub mlp_in: Linear,
    pub mlp_out: Linear,
    pub head: Head,
}

/// The slots of the skeleton.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Slot {
    Wte,
    Q,
    K,
    V,
    Qkv,
    AttnProj,
    MlpIn,
    MlpOut,
    LmHead,
}

const SLOTS: &[(&str, Slot)] = &[
    ("wte", Slot::Wte),
    ("attn.q", Slot::Q),
    ("attn.k", Slot::K),
    ("attn.v", Slot::V),
    ("attn.qkv", Slot::Qkv),
    ("attn.c_proj", Slot::AttnProj),
    ("mlp.c_fc", Slot::MlpIn),
    ("mlp.c_proj", Slot::MlpOut),
    ("lm_head", Slot::LmHead),
];

const LINEAR_KINDS: &str = "dense, slim, rank1, sparse, shared_rows";

/// Builds the model from a parsed spec; `None` when anything is wrong, with
/// every problem in `errors`.
pub fn lower(spec: Spec, errors: &mut Errors) -> Option<Model> {
    let before = errors.len();
    let mut config_items = Vec::new();
    let mut position_items = Vec::new();
    let mut slot_items = Vec::new();
    for item in spec.items {
        match &item.head {
            ItemHead::Config(span) => config_items.push((*span, item)),
            ItemHead::Positions { kind } => position_items.push((kind.span(), item)),
            ItemHead::Slot { .. } => slot_items.push(item),
        }
    }

    let config = single(config_items, "config", errors).and_then(|item| lower_config(item, errors));
    let positions = single(position_items, "positions", errors)
        .and_then(|item| lower_positions(item, config.as_ref(), errors));

    let mut lowering = Lowering {
        errors,
        config,
        tensors: Vec::new(),
    };
    let mut slots = lowering.slots(slot_items);
    let Lowering {
        errors,
        config,
        tensors,
    } = lowering;

    let separate = [Slot::Q, Slot::K, Slot::V].map(|slot| slots.contains_key(&slot));
    if let Some((span, _)) = slots.get(&Slot::Qkv)
        && separate.iter().any(|present| *present)
    {
        errors.at(
            *span,
            "`attn.qkv` replaces `attn.q`, `attn.k` and `attn.v`; give either it or them",
        );
    }
    let mut missing: Vec<String> = [
        (Slot::Wte, "wte"),
        (Slot::AttnProj, "attn.c_proj"),
        (Slot::MlpIn, "mlp.c_fc"),
        (Slot::MlpOut, "mlp.c_proj"),
        (Slot::LmHead, "lm_head"),
    ]
    .iter()
    .filter(|(slot, _)| !slots.contains_key(slot))
    .map(|(_, name)| format!("`{name}`"))
    .collect();
    if !slots.contains_key(&Slot::Qkv) && !separate.iter().all(|present| *present) {
        missing.push("`attn.q`, `attn.k` and `attn.v` (or `attn.qkv`)".to_owned());
    }
    if !missing.is_empty() {
        errors.at(
            Span::call_site(),
            format!("the spec is missing the slots {}", missing.join(", ")),
        );
    }
    if errors.len() > before || slots.values().any(|(_, part)| part.is_none()) {
        return None;
    }
    let config = config?;
    let positions = positions?;
    let mut take = |slot: Slot| slots.remove(&slot).and_then(|(_, part)| part);
    let attention = match (take(Slot::Qkv), take(Slot::Q), take(Slot::K), take(Slot::V)) {
        (Some(Part::Linear(qkv)), None, None, None) => Attention::Fused(qkv),
        (None, Some(Part::Linear(q)), Some(Part::Linear(k)), Some(Part::Linear(v))) => {
            Attention::Separate { q, k, v }
        }
        _ => return None,
    };
    let (embedding, attn_proj, mlp_in, mlp_out, head) = (
        take(Slot::Wte),
        take(Slot::AttnProj),
        take(Slot::MlpIn),
        take(Slot::MlpOut),
        take(Slot::LmHead),
    );
    Some(Model {
        config,
        positions,
        tensors,
        embedding: match embedding? {
            Part::Embedding(embedding) => embedding,
            _ => return None,
        },
        attention,
        attn_proj: attn_proj?.into_linear()?,
        mlp_in: mlp_in?.into_linear()?,
        mlp_out: mlp_out?.into_linear()?,
        head: match head? {
            Part::Head(head) => head,
            Part::Linear(linear) => Head::Linear(linear),
            Part::Embedding(_) => return None,
        },
    })
}

/// What one slot lowers to.
enum Part {
    Embedding(Embedding),
    Linear(Linear),
    Head(Head),
}

impl Part {
    fn into_linear(self) -> Option<Linear> {
        match self {
            Part::Linear(linear) => Some(linear),
            _ => None,
        }
    }
}

/// Keeps the one item of a kind that a spec must have exactly once.
fn single(items: Vec<(Span, Item)>, what: &str, errors: &mut Errors) -> Option<Item> {
    let mut items = items.into_iter();
    let Some((_, first)) = items.next() else {
        errors.at(Span::call_site(), format!("the spec has no `{what}` item"));
        return None;
    };
    for (span, _) in items {
        errors.at(span, format!("duplicate `{what}` item"));
    }
    Some(first)
}

/// Reads `name: int` entries, each of `names` exactly once.
fn read_ints(
    entries: Vec<Entry>,
    names: &[&str],
    what: &str,
    errors: &mut Errors,
) -> BTreeMap<String, Int> {
    let mut found: BTreeMap<String, Int> = BTreeMap::new();
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
        } else if let Value::Dim(int) = entry.value {
            if found.insert(name.clone(), int).is_some() {
                errors.at(
                    entry.name.span(),
                    format!("duplicate {what} field `{name}`"),
                );
            }
        } else {
            errors.at(entry.name.span(), format!("`{name}` takes one integer"));
        }
    }
    found
}

fn lower_config(item: Item, errors: &mut Errors) -> Option<Config> {
    let ItemHead::Config(span) = item.head else {
        return None;
    };
    let names = ["vocab", "n_embd", "n_head", "block_size", "mlp_hidden"];
    let fields = read_ints(item.entries, &names, "config", errors);
    let mut missing = Vec::new();
    for name in names {
        if !fields.contains_key(name) {
            missing.push(format!("`{name}`"));
        }
    }
    if !missing.is_empty() {
        errors.at(span, format!("config is missing {}", missing.join(", ")));
        return None;
    }
    check::config(&fields, errors)
}

fn lower_positions(item: Item, config: Option<&Config>, errors: &mut Errors) -> Option<Positions> {
    let ItemHead::Positions { kind } = item.head else {
        return None;
    };
    if kind != "sinusoid" {
        errors.at(
            kind.span(),
            format!("unknown positional table `{kind}`; expected `sinusoid`"),
        );
        return None;
    }
    let names = ["sin", "cos", "period", "amplitude"];
    let mut ints = Vec::new();
    let mut amplitude = None;
    for entry in item.entries {
        match entry.value {
            Value::Schedule { steps, span } if entry.name == "amplitude" => {
                if amplitude.is_some() {
                    errors.at(entry.name.span(), "duplicate positions field `amplitude`");
                }
                amplitude = Some((steps, span));
            }
            _ if entry.name == "amplitude" => {
                errors.at(
                    entry.name.span(),
                    "`amplitude` takes a schedule `{ from_position: value, .. }`",
                );
            }
            value => ints.push(Entry {
                name: entry.name,
                value,
            }),
        }
    }
    let fields = read_ints(ints, &names[..3], "positions", errors);
    let (Some(sin), Some(cos), Some(period), Some((steps, span))) = (
        fields.get("sin"),
        fields.get("cos"),
        fields.get("period"),
        amplitude,
    ) else {
        errors.at(
            kind.span(),
            "`sinusoid` needs `sin`, `cos`, `period` and `amplitude`",
        );
        return None;
    };
    check::positions(*sin, *cos, *period, &steps, span, config, errors)
}

/// Lowering state: the tensors collected so far.
struct Lowering<'a> {
    errors: &'a mut Errors,
    config: Option<Config>,
    tensors: Vec<Tensor>,
}

/// What a parametrisation expects of one parameter.
struct Role {
    name: String,
    /// `None` where the config is unknown (its own errors are reported).
    shape: Option<Vec<usize>>,
    required: bool,
    /// Whether the values are rotation angles, which must stay in the range
    /// the `const` trigonometry reduces exactly.
    angle: bool,
}

impl Role {
    fn new(name: impl Into<String>, shape: Option<Vec<usize>>) -> Self {
        Role {
            name: name.into(),
            shape,
            required: true,
            angle: false,
        }
    }

    fn optional(name: impl Into<String>, shape: Option<Vec<usize>>) -> Self {
        Role {
            required: false,
            ..Role::new(name, shape)
        }
    }

    fn angle(name: impl Into<String>) -> Self {
        Role {
            angle: true,
            ..Role::new(name, Some(vec![1]))
        }
    }
}

/// A slot's entries, sorted into parameters and structure.
struct Params {
    tensors: BTreeMap<String, TensorId>,
    structure: BTreeMap<String, (Value, Span)>,
    /// `at` places of sparse entries, by parameter name.
    places: BTreeMap<String, (Int, Int)>,
    ok: bool,
}

impl Lowering<'_> {
    /// Lowers every slot item: each declared slot, with its part where it
    /// lowered cleanly.
    fn slots(&mut self, items: Vec<Item>) -> BTreeMap<Slot, (Span, Option<Part>)> {
        let mut slots: BTreeMap<Slot, (Span, Option<Part>)> = BTreeMap::new();
        for item in items {
            let ItemHead::Slot { slot, kind, module } = item.head else {
                continue;
            };
            let Some(id) = SLOTS
                .iter()
                .find(|(name, _)| *name == slot.dotted())
                .map(|(_, id)| *id)
            else {
                let names: Vec<&str> = SLOTS.iter().map(|(name, _)| *name).collect();
                self.errors.at(
                    slot.span(),
                    format!(
                        "unknown slot `{}`; expected one of: {}",
                        slot.dotted(),
                        names.join(", ")
                    ),
                );
                continue;
            };
            if slots.contains_key(&id) {
                self.errors
                    .at(slot.span(), format!("duplicate slot `{}`", slot.dotted()));
                continue;
            }
            let module = module.as_ref().unwrap_or(&slot).dotted();
            let part = self.slot(id, &kind, &module, item.entries);
            slots.insert(id, (slot.span(), part));
        }
        slots
    }

    fn slot(
        &mut self,
        slot: Slot,
        kind: &Ident,
        module: &str,
        entries: Vec<Entry>,
    ) -> Option<Part> {
        let config = self.config;
        let embd = config.map(|c| c.n_embd);
        let (input, output) = match slot {
            Slot::Wte => (config.map(|c| c.vocab), embd),
            Slot::Q | Slot::K | Slot::V | Slot::AttnProj => (embd, embd),
            Slot::Qkv => (embd, embd.map(|e| 3 * e)),
            Slot::MlpIn => (embd, config.map(|c| c.mlp_hidden)),
            Slot::MlpOut => (config.map(|c| c.mlp_hidden), embd),
            Slot::LmHead => (embd, config.map(|c| c.vocab)),
        };
        let kind_name = kind.to_string();
        match (slot, kind_name.as_str()) {
            (Slot::Wte, "dense") => {
                let shape = input.zip(output).map(|(v, e)| vec![v, e]);
                let params =
                    self.params(kind, module, entries, &[Role::new("weight", shape)], &[])?;
                Some(Part::Embedding(Embedding::Dense {
                    weight: params.tensors["weight"],
                }))
            }
            (Slot::Wte, "factorized") => self.factorized(kind, module, entries, input, output),
            (Slot::Wte, _) => {
                self.errors.at(
                    kind.span(),
                    format!("unknown parametrisation `{kind}` for `wte`; expected `dense` or `factorized`"),
                );
                None
            }
            (Slot::LmHead, "parabolic") => {
                let one = Some(vec![1]);
                let roles = vec![
                    Role::new("lin", one.clone()),
                    Role::new("quad", one.clone()),
                    Role::new("dim_w", one),
                ];
                let params = self.params(kind, module, entries, &roles, &["reads"])?;
                let reads = self.structure_dim(&params, kind, "reads", input)?;
                let t = &params.tensors;
                Some(Part::Head(Head::Parabolic {
                    lin: t["lin"],
                    quad: t["quad"],
                    dim_w: t["dim_w"],
                    reads,
                }))
            }
            (_, "rotation") if matches!(slot, Slot::Q | Slot::K | Slot::V) => {
                self.rotation(kind, module, entries).map(Part::Linear)
            }
            _ => self
                .linear(slot, kind, module, entries, input, output)
                .map(Part::Linear),
        }
    }

    fn factorized(
        &mut self,
        kind: &Ident,
        module: &str,
        entries: Vec<Entry>,
        vocab: Option<usize>,
        embd: Option<usize>,
    ) -> Option<Part> {
        // The rank is free: read it off `A` before checking `B` against it.
        let rank = entries.iter().find_map(|entry| match &entry.value {
            Value::Tensor(tensor) if entry.name == "A" && tensor.shape.len() == 2 => {
                Some(tensor.shape[1].value)
            }
            _ => None,
        });
        let rank = rank.filter(|rank| check::rank(*rank));
        let roles = vec![
            Role::new("A", vocab.zip(rank).map(|(v, r)| vec![v, r])),
            Role::new("B", embd.zip(rank).map(|(e, r)| vec![r, e])),
        ];
        if rank.is_none() {
            self.errors.at(
                kind.span(),
                "`factorized` needs `A: [vocab, rank]` with a rank from 1 to 64",
            );
        }
        let params = self.params(kind, module, entries, &roles, &[])?;
        Some(Part::Embedding(Embedding::Factorized {
            a: params.tensors["A"],
            b: params.tensors["B"],
            rank: rank?,
        }))
    }

    fn rotation(&mut self, kind: &Ident, module: &str, entries: Vec<Entry>) -> Option<Linear> {
        let config = self.config;
        if let Some(config) = config
            && config.n_embd % config.n_head == 0
            && config.head_dim() != 2
        {
            self.errors.at(
                kind.span(),
                "`rotation` needs a head dim of 2 (n_embd = 2 n_head)",
            );
            return None;
        }
        // Without a valid config the head count is unknown: take the angles
        // given, so that the config's error is not repeated here.
        let heads = config.map_or_else(
            || {
                entries
                    .iter()
                    .filter(|entry| entry.name.to_string().starts_with("angle_h"))
                    .count()
            },
            |c| c.n_head,
        );
        let mut roles: Vec<Role> = (0..heads)
            .map(|h| Role::angle(format!("angle_h{h}")))
            .collect();
        roles.push(Role::new("scale", Some(vec![1])));
        let params = self.params(kind, module, entries, &roles, &["reads"])?;
        let reads =
            self.structure_dims(&params, kind, "reads", config.map(|c| c.n_embd), Some(2))?;
        let angles: Vec<TensorId> = (0..heads)
            .map(|h| params.tensors[&format!("angle_h{h}")])
            .collect();
        Some(Linear::Rotation {
            reads: [reads[0], reads[1]],
            angles,
            scale: params.tensors["scale"],
        })
    }

    fn linear(
        &mut self,
        slot: Slot,
        kind: &Ident,
        module: &str,
        entries: Vec<Entry>,
        input: Option<usize>,
        output: Option<usize>,
    ) -> Option<Linear> {
        let bias = || Role::optional("bias", output.map(|o| vec![o]));
        match kind.to_string().as_str() {
            "dense" => {
                let roles = vec![
                    Role::new("weight", output.zip(input).map(|(o, i)| vec![o, i])),
                    bias(),
                ];
                let params = self.params(kind, module, entries, &roles, &[])?;
                Some(Linear::Dense {
                    weight: params.tensors["weight"],
                    bias: params.tensors.get("bias").copied(),
                })
            }
            "slim" => {
                let reads = entries.iter().find_map(|entry| match &entry.value {
                    Value::Dims { dims, .. } if entry.name == "reads" => Some(dims.len()),
                    _ => None,
                });
                let roles = vec![
                    Role::new("weight", output.zip(reads).map(|(o, r)| vec![o, r])),
                    bias(),
                ];
                let params = self.params(kind, module, entries, &roles, &["reads"])?;
                let reads = self.structure_dims(&params, kind, "reads", input, None)?;
                Some(Linear::Slim {
                    reads,
                    weight: params.tensors["weight"],
                    bias: params.tensors.get("bias").copied(),
                })
            }
            "rank1" => {
                let roles = vec![
                    Role::new("u", output.map(|o| vec![o, 1])),
                    Role::new("v", input.map(|i| vec![1, i])),
                    bias(),
                ];
                let params = self.params(kind, module, entries, &roles, &[])?;
                let t = &params.tensors;
                Some(Linear::Rank1 {
                    u: t["u"],
                    v: t["v"],
                    bias: t.get("bias").copied(),
                })
            }
            "sparse" => {
                let roles: Vec<Role> = entries
                    .iter()
                    .filter(|entry| matches!(entry.value, Value::Tensor(_)))
                    .map(|entry| Role::new(entry.name.to_string(), Some(vec![1])))
                    .collect();
                let params = self.params(kind, module, entries, &roles, &[])?;
                let places = check::places(&params.places, output, input, self.errors)?;
                let entries = places
                    .into_iter()
                    .map(|(name, row, col)| (params.tensors[&name], row, col))
                    .collect();
                Some(Linear::Sparse { entries })
            }
            "shared_rows" => {
                let count = entries.iter().find_map(|entry| match &entry.value {
                    Value::Dims { dims, .. } if entry.name == "rows" => Some(
                        dims.iter()
                            .map(|d| d.value.saturating_add(1))
                            .max()
                            .unwrap_or(0),
                    ),
                    _ => None,
                });
                let mut roles: Vec<Role> = (0..count.unwrap_or(0).min(64))
                    .map(|r| Role::new(format!("row{r}"), input.map(|i| vec![i])))
                    .collect();
                roles.push(Role::optional("fc_bias", output.map(|o| vec![o])));
                let params = self.params(kind, module, entries, &roles, &["rows"])?;
                let assign = self.structure_dims(&params, kind, "rows", count, output)?;
                let rows = (0..count?)
                    .map(|r| params.tensors[&format!("row{r}")])
                    .collect();
                Some(Linear::SharedRows {
                    rows,
                    assign,
                    bias: params.tensors.get("fc_bias").copied(),
                })
            }
            _ => {
                let name = SLOTS
                    .iter()
                    .find(|(_, id)| *id == slot)
                    .map_or("", |(name, _)| name);
                let extra = match slot {
                    Slot::Q | Slot::K | Slot::V => ", rotation",
                    Slot::LmHead => ", parabolic",
                    _ => "",
                };
                self.errors.at(
                    kind.span(),
                    format!("unknown parametrisation `{kind}` for `{name}`; expected one of: {LINEAR_KINDS}{extra}"),
                );
                None
            }
        }
    }

    /// Sorts a slot's entries by the roles of its parametrisation, checks
    /// each parameter and stores it. `None` if anything was wrong.
    fn params(
        &mut self,
        kind: &Ident,
        module: &str,
        entries: Vec<Entry>,
        roles: &[Role],
        structure_names: &[&str],
    ) -> Option<Params> {
        let mut params = Params {
            tensors: BTreeMap::new(),
            structure: BTreeMap::new(),
            places: BTreeMap::new(),
            ok: true,
        };
        let mut seen: BTreeMap<String, Span> = BTreeMap::new();
        for Entry { name, value } in entries {
            let key = name.to_string();
            if seen.insert(key.clone(), name.span()).is_some() {
                self.errors
                    .at(name.span(), format!("duplicate parameter `{key}`"));
                params.ok = false;
                continue;
            }
            match value {
                Value::Invalid => params.ok = false,
                Value::Tensor(tensor) => {
                    let Some(role) = roles.iter().find(|role| role.name == key) else {
                        self.unknown(&name, kind, roles, structure_names);
                        params.ok = false;
                        continue;
                    };
                    if let Some(place) = tensor.at {
                        if kind == "sparse" {
                            params.places.insert(key.clone(), place);
                        } else {
                            self.errors.at(
                                place.0.span,
                                "`at` places a parameter of a `sparse` map only",
                            );
                            params.ok = false;
                        }
                    } else if kind == "sparse" {
                        self.errors.at(
                            name.span(),
                            "a `sparse` parameter needs its place: `[1] = [v] at (row, col)`",
                        );
                        params.ok = false;
                    }
                    match self.tensor(&name, module, &tensor, role) {
                        Some(id) => {
                            params.tensors.insert(key, id);
                        }
                        None => params.ok = false,
                    }
                }
                structure if structure_names.contains(&key.as_str()) => {
                    params.structure.insert(key, (structure, name.span()));
                }
                Value::Schedule { span, .. } => {
                    self.errors.at(span, format!("`{kind}` takes no schedule"));
                    params.ok = false;
                }
                Value::Dim(_) | Value::Dims { .. } if roles.iter().any(|role| role.name == key) => {
                    self.errors.at(
                        name.span(),
                        format!("`{key}` is a parameter: write its shape and values, `{key}: [shape] = [values]`"),
                    );
                    params.ok = false;
                }
                Value::Dim(_) | Value::Dims { .. } => {
                    self.unknown(&name, kind, roles, structure_names);
                    params.ok = false;
                }
            }
        }
        for role in roles.iter().filter(|role| role.required) {
            if !seen.contains_key(&role.name) {
                let shape = role
                    .shape
                    .as_ref()
                    .map_or_else(String::new, |shape| format!(": {shape:?}"));
                self.errors.at(
                    kind.span(),
                    format!("`{kind}` is missing parameter `{}`{shape}", role.name),
                );
                params.ok = false;
            }
        }
        for name in structure_names {
            if !seen.contains_key(*name) {
                self.errors
                    .at(kind.span(), format!("`{kind}` is missing `{name}`"));
                params.ok = false;
            }
        }
        params.ok.then_some(params)
    }

    fn unknown(&mut self, name: &Ident, kind: &Ident, roles: &[Role], structure_names: &[&str]) {
        let mut expected: Vec<&str> = roles.iter().map(|role| role.name.as_str()).collect();
        expected.extend(structure_names);
        let expected = if kind == "sparse" {
            "any name, as a `[1] = [v] at (row, col)` parameter".to_owned()
        } else {
            format!("one of: {}", expected.join(", "))
        };
        self.errors.at(
            name.span(),
            format!("unknown parameter `{name}` for `{kind}`; expected {expected}"),
        );
    }

    /// Checks a parameter's shape and values and stores it.
    fn tensor(
        &mut self,
        name: &Ident,
        module: &str,
        tensor: &TensorSyntax,
        role: &Role,
    ) -> Option<TensorId> {
        let shape: Vec<usize> = tensor.shape.iter().map(|d| d.value).collect();
        let values = check::tensor(tensor, role.shape.as_deref(), self.errors)?;
        if role.angle {
            check::angles(tensor, self.errors)?;
        }
        let path = format!("{module}.{name}");
        if let Some(other) = self
            .tensors
            .iter()
            .find(|other| check::same_static(&other.path, &path))
        {
            self.errors.at(
                name.span(),
                format!("`{path}` names the same static as `{}`", other.path),
            );
            return None;
        }
        self.tensors.push(Tensor {
            path,
            shape,
            values,
        });
        Some(self.tensors.len() - 1)
    }

    fn structure_dim(
        &mut self,
        params: &Params,
        kind: &Ident,
        name: &str,
        bound: Option<usize>,
    ) -> Option<usize> {
        if let Value::Dim(dim) = &params.structure.get(name)?.0 {
            check::dim(*dim, bound, self.errors)
        } else {
            self.errors.at(
                params.structure[name].1,
                format!("`{kind}` takes one dim for `{name}`"),
            );
            None
        }
    }

    fn structure_dims(
        &mut self,
        params: &Params,
        kind: &Ident,
        name: &str,
        bound: Option<usize>,
        count: Option<usize>,
    ) -> Option<Vec<usize>> {
        if let Value::Dims { dims, span } = &params.structure.get(name)?.0 {
            check::dims(dims, *span, bound, count, self.errors)
        } else {
            self.errors.at(
                params.structure[name].1,
                format!("`{kind}` takes a list of dims for `{name}`"),
            );
            None
        }
    }
}
