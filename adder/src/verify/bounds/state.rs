//! One step's exact scores and values, computed by the model's own stages,
//! and what each position holds in a state.

use super::deep::Below;
use super::kernel::{Kernel, MAX_HEADS, MAX_LEN};
use super::weights::{Weight, weights};
use crate::tokens::Position;

/// What a position holds in a state.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Slot {
    /// A token of the format (`=`, a separator): one table entry.
    Token(u8),
    /// A known digit.
    Digit(u8),
    /// Any digit.
    Free,
}

/// One step's exact scores and values, for one last token.
pub(super) struct Tables<const E: usize, const Q: usize, const KV: usize> {
    /// The context's length: the query stands at `len - 1`.
    pub(super) len: usize,
    /// The residual stream at the last position.
    pub(super) residual: [f32; E],
    /// Per head, position and token (index 0 for a format token).
    pub(super) score: [[[f32; 10]; MAX_LEN]; MAX_HEADS],
    /// Per position and token.
    pub(super) value: [[[f32; KV]; 10]; MAX_LEN],
    /// Per head, position and token: the enclosure of its softmax weight
    /// before the division, for the coupled bound.
    pub(super) weights: [[[Weight; 10]; MAX_LEN]; MAX_HEADS],
    /// Layer 0 at every position, for a model of more layers.
    pub(super) below: Below<E, Q, KV>,
}

/// The tokens a slot allows, as indices into a table row.
pub(super) fn choices(slot: Slot) -> core::ops::Range<usize> {
    match slot {
        Slot::Token(_) => 0..1,
        Slot::Digit(d) => d as usize..d as usize + 1,
        Slot::Free => 0..10,
    }
}

/// Head `h`'s score of `query` against `key` (of key head `g`), as
/// `attend` sums it: left to right, then scaled.
pub(super) fn score<const E: usize, const Q: usize, const KV: usize, const V: usize>(
    kernel: &Kernel<E, Q, KV, V>,
    query: &[f32; Q],
    key: &[f32; KV],
    h: usize,
    g: usize,
) -> f32 {
    let hd = kernel.head_dim;
    let mut score = query[h * hd] * key[g * hd];
    for d in 1..hd {
        score += query[h * hd + d] * key[g * hd + d];
    }
    score * kernel.scale
}

/// Scores and values of every position and token, for the query of
/// `last` at position `len - 1`.
// `no_std`: no heap; about 100 KB, one per job of the search.
#[allow(clippy::large_stack_arrays)]
pub(super) fn tables<const E: usize, const Q: usize, const KV: usize, const V: usize>(
    kernel: &Kernel<E, Q, KV, V>,
    fixed: &[u8; MAX_LEN],
    len: usize,
    last: u8,
) -> Tables<E, Q, KV> {
    let residual = (kernel.embed)(last as usize, len - 1);
    let query = (kernel.query_at)(&residual, len - 1);
    let mut tables = Tables {
        len,
        residual,
        score: [[[0.0; 10]; MAX_LEN]; MAX_HEADS],
        value: [[[0.0; KV]; 10]; MAX_LEN],
        weights: [[[Weight::default(); 10]; MAX_LEN]; MAX_HEADS],
        below: Below::empty(),
    };
    let mut counts = [1; MAX_LEN];
    let mut held = [[0u8; 10]; MAX_LEN];
    let group = kernel.n_head / kernel.n_kv_head;
    for (p, &format_token) in fixed.iter().enumerate().take(len) {
        let digit = !matches!(kernel.format.position(p), Position::Token(_));
        counts[p] = if digit { 10 } else { 1 };
        for (t, held) in held[p].iter_mut().enumerate().take(counts[p]) {
            let token = if p == len - 1 {
                last
            } else if digit {
                t as u8
            } else {
                format_token
            };
            *held = token;
            let x = (kernel.embed)(token as usize, p);
            let key = (kernel.key_at)(&x, p);
            for h in 0..kernel.n_head {
                tables.score[h][p][t] = score(kernel, &query, &key, h, h / group);
            }
            tables.value[p][t] = (kernel.value_at)(&x);
        }
    }
    for h in 0..kernel.n_head {
        tables.weights[h] = weights(&tables.score[h], &counts[..len]);
    }
    if !kernel.deep.is_empty() {
        tables.below = Below::new(kernel, &held, &counts, len);
    }
    tables
}
