//! What each parameter is for, in words: the doc line of its static.

use crate::lower::ir::{Embedding, Head, Linear, Model, Norm, Positions, Qkv, TensorId};

/// What each parameter is for, in words, for its doc line.
pub fn roles(model: &Model) -> Vec<&'static str> {
    let mut roles = vec!["parameter"; model.tensors.len()];
    let mut mark = |ids: Vec<TensorId>, role: &'static str| {
        for id in ids {
            roles[id] = role;
        }
    };
    let table = |embedding: &Embedding| match *embedding {
        Embedding::Dense { weight } => vec![weight],
        Embedding::Factorized { a, b, .. } => vec![a, b],
    };
    mark(table(&model.embedding), "token embedding");
    if let Positions::Learned(positions) = &model.positions {
        mark(table(positions), "learned positional table");
    }
    for layer in &model.layers {
        let a = &layer.attention;
        match &a.qkv {
            Qkv::Separate { q, k, v } => {
                mark(linear_tensors(q), "attention query");
                mark(linear_tensors(k), "attention key");
                mark(linear_tensors(v), "attention value");
            }
            Qkv::Fused(qkv) => mark(linear_tensors(qkv), "attention query, key and value"),
        }
        mark(norm_tensors(a.norm.as_ref()), "attention input norm");
        mark(norm_tensors(a.q_norm.as_ref()), "per-head query norm");
        mark(norm_tensors(a.k_norm.as_ref()), "per-head key norm");
        mark(
            a.scores.into_iter().collect(),
            "fixed attention scores by head, query and key position (-inf where the head never looks)",
        );
        mark(linear_tensors(&a.output), "attention output projection");
        let m = &layer.mlp;
        mark(norm_tensors(m.norm.as_ref()), "MLP input norm");
        if let Some(gate) = &m.gate {
            mark(linear_tensors(gate), "MLP gate projection");
        }
        mark(
            linear_tensors(&m.up),
            if m.gate.is_some() {
                "MLP up projection"
            } else {
                "MLP input projection"
            },
        );
        mark(linear_tensors(&m.down), "MLP output projection");
    }
    mark(norm_tensors(model.final_norm.as_ref()), "final norm");
    match &model.head {
        Head::Parabolic {
            lin, quad, dim_w, ..
        } => mark(vec![*lin, *quad, *dim_w], "LM head"),
        Head::Linear(linear) => mark(linear_tensors(linear), "LM head"),
        Head::Tied => {}
    }
    roles
}

fn norm_tensors(norm: Option<&Norm>) -> Vec<TensorId> {
    match norm {
        None | Some(Norm::Rms { weight: None, .. }) => Vec::new(),
        Some(
            Norm::Rms {
                weight: Some(weight),
                ..
            }
            | Norm::Scale { weight },
        ) => vec![*weight],
        Some(Norm::Layer { weight, bias, .. }) => vec![*weight, *bias],
    }
}

pub fn linear_tensors(linear: &Linear) -> Vec<TensorId> {
    match linear {
        Linear::Dense { weight, bias } | Linear::Slim { weight, bias, .. } => {
            std::iter::once(*weight).chain(*bias).collect()
        }
        Linear::Rank1 { u, v, bias } => [*u, *v].into_iter().chain(*bias).collect(),
        Linear::LowRank { a, b, .. } => vec![*a, *b],
        Linear::Sparse { entries } => entries.iter().map(|(id, _, _)| *id).collect(),
        Linear::SharedRows { rows, bias, .. } => rows.iter().copied().chain(*bias).collect(),
        Linear::Rotation { angles, scale, .. } => angles.iter().copied().chain([*scale]).collect(),
        Linear::Headed { inner, .. } => linear_tensors(inner),
    }
}
