//! The parametrisations of each slot: which parameters and structure they
//! take, and the part of the intermediate form they become.

use crate::front::dtype::Dtype;
use crate::front::tokens::Name;

use crate::front::syntax::Entry;
use crate::lower::check;
use crate::lower::decoder::{Part, Slot};
use crate::lower::ir::{Embedding, Head, Linear, Norm, TensorId};
use crate::lower::linears::rank_of_a;
use crate::lower::params::{Lowering, Role};

impl Lowering<'_> {
    /// A slot's `(input, output)` widths, `None` where the config is unknown.
    fn widths(&self, slot: Slot) -> (Option<usize>, Option<usize>) {
        let Some(c) = self.config else {
            return (None, None);
        };
        let (q, kv) = (c.n_head * c.head_dim, c.n_kv_head * c.head_dim);
        let (q_narrow, k_narrow) = (c.n_head * c.qk_dim, c.n_kv_head * c.qk_dim);
        let (input, output) = match slot {
            Slot::Wte => (c.vocab, c.n_embd),
            Slot::Wpe => (c.block_size, c.n_embd),
            Slot::LmHead => (c.n_embd, c.vocab),
            Slot::Norm | Slot::AttnNorm | Slot::MlpNorm => (c.n_embd, c.n_embd),
            Slot::QNorm | Slot::KNorm => (c.head_dim, c.head_dim),
            Slot::Scores => (c.block_size, c.block_size),
            Slot::Q => (c.n_embd, q_narrow),
            Slot::K => (c.n_embd, k_narrow),
            Slot::V => (c.n_embd, kv),
            Slot::Qkv => (c.n_embd, q + 2 * kv),
            Slot::AttnProj => (q, c.n_embd),
            Slot::MlpGate | Slot::MlpIn => (c.n_embd, c.mlp_hidden),
            Slot::MlpOut => (c.mlp_hidden, c.n_embd),
        };
        (Some(input), Some(output))
    }

    /// Lowers one slot's item; `None` if anything was wrong (reported).
    pub fn slot(
        &mut self,
        slot: Slot,
        kind: &Name,
        module: &str,
        entries: Vec<Entry>,
    ) -> Option<Part> {
        let (input, output) = self.widths(slot);
        let kind_name = kind.to_string();
        match (slot, kind_name.as_str()) {
            (Slot::Wte | Slot::Wpe, "dense") => {
                let shape = input.zip(output).map(|(v, e)| vec![v, e]);
                let params =
                    self.params(kind, module, entries, &[Role::new("weight", shape)], &[])?;
                Some(Part::Embedding(Embedding::Dense {
                    weight: params.tensors["weight"],
                }))
            }
            (Slot::Wte | Slot::Wpe, "factorized") => {
                self.factorized(kind, module, entries, input, output)
            }
            (Slot::Wte | Slot::Wpe, _) => {
                self.errors.at(
                    kind.span(),
                    format!(
                        "unknown parametrisation `{kind}` for `{}`; expected `dense` or `factorized`",
                        slot.name()
                    ),
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
            (Slot::LmHead, "tied") => {
                self.params(kind, module, entries, &[], &[])?;
                Some(Part::Head(Head::Tied))
            }
            (_, "rms_norm" | "layer_norm" | "scale") if slot.is_norm() => {
                self.norm(kind, module, entries, input).map(Part::Norm)
            }
            _ if slot.is_norm() => {
                self.errors.at(
                    kind.span(),
                    format!(
                        "unknown parametrisation `{kind}` for `{}`; expected `rms_norm`, `layer_norm` or `scale`",
                        slot.name()
                    ),
                );
                None
            }
            (Slot::Scores, _) => self.scores(kind, module, entries),
            (Slot::Q | Slot::K | Slot::V, "rotation") if self.dtype == Dtype::F64 => {
                self.errors.at(
                    kind.span(),
                    "a `rotation` in an f64 model: its sin and cos are f32 code alone; write the matrix (`dense`)",
                );
                None
            }
            (Slot::Q | Slot::K | Slot::V, "rotation") => {
                self.rotation(kind, module, entries).map(Part::Linear)
            }
            _ => self
                .linear(slot, kind, module, entries, input, output)
                .map(Part::Linear),
        }
    }

    /// `table { scores: [n_head, block_size, block_size] = file }`: a fixed
    /// score per head, query position and key position, added to the
    /// attention's scores (`-inf` where the head never looks), as a
    /// construction routes its heads by position.
    fn scores(&mut self, kind: &Name, module: &str, entries: Vec<Entry>) -> Option<Part> {
        if kind != "table" {
            self.errors.at(
                kind.span(),
                format!("unknown parametrisation `{kind}` for `attn.scores`; expected `table`"),
            );
            return None;
        }
        if self.dtype == Dtype::F32 {
            self.errors.at(
                kind.span(),
                "a score table in an f32 model: the verifier does not read one yet, and its verdict would not hold; an f64 model takes one",
            );
            return None;
        }
        let shape = self
            .config
            .map(|c| vec![c.n_head, c.block_size, c.block_size]);
        let params = self.params(kind, module, entries, &[Role::table("scores", shape)], &[])?;
        let table = params.tensors["scores"];
        let (heads, block) = match self.tensors[table].shape[..] {
            [heads, block, keys] if keys == block => (heads, block),
            _ => return None,
        };
        // Each head at each query position must look somewhere at or before
        // it: a row of `-inf` would make the softmax 0 / 0.
        let values = &self.tensors[table].values;
        for h in 0..heads {
            for q in 0..block {
                let row = &values[(h * block + q) * block..][..=q];
                if row.iter().all(|v| *v == f64::NEG_INFINITY) {
                    self.errors.at(
                        kind.span(),
                        format!("score table head {h} at position {q} is -inf at every position up to it: its softmax would be 0 / 0"),
                    );
                    return None;
                }
            }
        }
        Some(Part::Scores(table))
    }

    /// `rms_norm { eps, weight? }`, `layer_norm { eps, weight, bias }` or
    /// `scale { weight }`.
    fn norm(
        &mut self,
        kind: &Name,
        module: &str,
        entries: Vec<Entry>,
        width: Option<usize>,
    ) -> Option<Norm> {
        let shape = width.map(|w| vec![w]);
        if kind == "scale" {
            let params = self.params(kind, module, entries, &[Role::new("weight", shape)], &[])?;
            return Some(Norm::Scale {
                weight: params.tensors["weight"],
            });
        }
        let layer = kind == "layer_norm";
        let roles = if layer {
            vec![Role::new("weight", shape.clone()), Role::new("bias", shape)]
        } else {
            vec![Role::optional("weight", shape)]
        };
        let settings: &[&str] = if layer { &["eps"] } else { &["eps", "gain"] };
        let params = self.params(kind, module, entries, &roles, settings)?;
        let eps = self.setting(&params, kind, "eps")?;
        let eps = check::eps(eps, params.structure["eps"].1, self.dtype, self.errors)?;
        let gain = match params.structure.get("gain") {
            Some((_, span)) => {
                let span = *span;
                let gain = self.setting(&params, kind, "gain")?;
                Some(check::gain(
                    gain,
                    span,
                    params.tensors.contains_key("weight"),
                    self.dtype,
                    self.errors,
                )?)
            }
            None => None,
        };
        let t = &params.tensors;
        Some(if layer {
            Norm::Layer {
                eps,
                weight: t["weight"],
                bias: t["bias"],
            }
        } else {
            Norm::Rms {
                eps,
                weight: t.get("weight").copied(),
                gain,
            }
        })
    }

    fn factorized(
        &mut self,
        kind: &Name,
        module: &str,
        entries: Vec<Entry>,
        vocab: Option<usize>,
        embd: Option<usize>,
    ) -> Option<Part> {
        let rank = rank_of_a(&entries);
        let roles = vec![
            Role::new("A", vocab.zip(rank).map(|(v, r)| vec![v, r])),
            Role::new("B", embd.zip(rank).map(|(e, r)| vec![r, e])),
        ];
        // (Without an `A` at all, the missing parameter is the error.)
        if rank.is_none() && entries.iter().any(|entry| entry.name == "A") {
            self.errors.at(
                kind.span(),
                "`factorized` needs `A: [rows, rank]` with a rank from 1 to 64",
            );
        }
        let params = self.params(kind, module, entries, &roles, &[])?;
        Some(Part::Embedding(Embedding::Factorized {
            a: params.tensors["A"],
            b: params.tensors["B"],
            rank: rank?,
        }))
    }

    fn rotation(&mut self, kind: &Name, module: &str, entries: Vec<Entry>) -> Option<Linear> {
        let config = self.config;
        if let Some(config) = config
            && config.head_dim != 2
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
}
