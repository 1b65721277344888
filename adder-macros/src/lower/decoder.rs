//! The decoder's slots: the model's own and, per layer, its blocks', by
//! their names in a spec, and the part of the intermediate form one lowers
//! to. Apart from the parametrisations (`slots.rs`, `linears.rs`), which
//! all name them, and from the model's assembly (`model.rs`).

use crate::lower::ir::{Embedding, Head, Linear, Norm, TensorId};

/// The slots of the decoder: the model's own and, per layer, its blocks'.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Slot {
    Wte,
    Wpe,
    LmHead,
    Norm,
    AttnNorm,
    Q,
    K,
    V,
    Qkv,
    QNorm,
    KNorm,
    Scores,
    AttnProj,
    MlpNorm,
    MlpGate,
    MlpIn,
    MlpOut,
}

/// Slot names; per-layer slots take a `h.<layer>.` prefix in a model of
/// more than one layer.
pub const SLOTS: &[(&str, Slot)] = &[
    ("wte", Slot::Wte),
    ("wpe", Slot::Wpe),
    ("attn.norm", Slot::AttnNorm),
    ("attn.q", Slot::Q),
    ("attn.k", Slot::K),
    ("attn.v", Slot::V),
    ("attn.qkv", Slot::Qkv),
    ("attn.q_norm", Slot::QNorm),
    ("attn.k_norm", Slot::KNorm),
    ("attn.scores", Slot::Scores),
    ("attn.c_proj", Slot::AttnProj),
    ("mlp.norm", Slot::MlpNorm),
    ("mlp.gate", Slot::MlpGate),
    ("mlp.c_fc", Slot::MlpIn),
    ("mlp.c_proj", Slot::MlpOut),
    ("norm", Slot::Norm),
    ("lm_head", Slot::LmHead),
];

impl Slot {
    pub fn name(self) -> &'static str {
        SLOTS
            .iter()
            .find(|(_, slot)| *slot == self)
            .map_or("", |(name, _)| name)
    }

    /// Whether each layer has its own.
    pub fn per_layer(self) -> bool {
        !matches!(self, Slot::Wte | Slot::Wpe | Slot::LmHead | Slot::Norm)
    }

    pub fn is_norm(self) -> bool {
        matches!(
            self,
            Slot::Norm | Slot::AttnNorm | Slot::QNorm | Slot::KNorm | Slot::MlpNorm
        )
    }
}

/// What one slot lowers to.
pub enum Part {
    Embedding(Embedding),
    Linear(Linear),
    Head(Head),
    Norm(Norm),
    /// A fixed table added to the attention's scores, `[head, query
    /// position, key position]`.
    Scores(TensorId),
}
