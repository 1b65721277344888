//! Models of more than one layer: the residual stream after layer 0 is
//! enclosed at every position of a state's contexts, then each layer above
//! runs on those enclosures, up to the last position's logits.
//!
//! 1. **Layer 0** (`below.rs`) at position `p` reads the tokens at
//!    positions `0..=p` alone: its keys, values and queries are the model's
//!    own, exact, for each token a position may hold (as one layer's,
//!    `state.rs`); its attention at `p` is enclosed from the hulls of the
//!    scores and values of the positions it reads, for each token `p` may
//!    hold, and the rest of the layer by both twins, intersected (the
//!    affine one keeps that a steep MLP's two gates on one sum move
//!    together). A free position that may take much of a head's attention
//!    there is fixed to each digit in turn (two positions at most, one for
//!    the step's enclosure below), and the parts' hull taken: a carry
//!    computed from two free digits stays a carry.
//! 2. **The layers above** read intervals: each key, value and query by
//!    both twins, intersected (a norm's quotient of a vector that moves as
//!    a whole keeps its direction); the scores are the twin's dot products;
//!    the softmax and the mixing follow `attend` operation for operation
//!    (`twins.rs`), narrowed by what the code's own arithmetic guarantees:
//!    `s - max` is exactly 0 for the maximum and otherwise at most 0 and
//!    within `s` less the greatest other score, each `expf` of it in
//!    `[0, 1]`, their sum at least 1, each weight in `[0, 1]`.
//!
//! The affine twin runs only where the interval one leaves a quantity
//! wider than a relative `2^-17`: elsewhere it could not narrow it enough to
//! matter, and it is most of the time taken.
//!
//! Per step, layer 0 is enclosed once at every position over every context
//! of the step (every digit free), which holds for each of its states. A
//! state encloses again, with its own digits, the last position and those
//! the last layer may weigh above `READ_ABOVE` there (where the state fixes
//! a digit they read): elsewhere the step's enclosure stands. An enclosure
//! is computed with every position its attention does not read (weights
//! below `NEGLIGIBLE` over the step) freed, so with `std` it is kept and
//! serves each later state that fixes the same digits where it reads.

mod below;
mod twins;

pub(super) use below::Below;

use super::kernel::{Kernel, MAX_HEADS, MAX_LEN};
use super::state::Slot;
use crate::verify::interval::I;
use twins::{key_value, mix, query};

/// A position the last layer may weigh this much at the last position is
/// enclosed again with the state's digits.
const READ_ABOVE: f32 = 0.01;

/// The residual stream at the last position after the layers below the
/// last, and the last layer's heads' outputs there, over the contexts of
/// `slots`; the free position that may take the most attention, and that
/// weight. Every position starts from the step's enclosure; the last, and
/// those the last layer may weigh above [`READ_ABOVE`] there, are enclosed again
/// with the state's digits.
pub(super) fn enclose<const E: usize, const Q: usize, const KV: usize, const V: usize>(
    kernel: &Kernel<E, Q, KV, V>,
    below: &Below<E, Q, KV>,
    values: &[[[f32; KV]; 10]; MAX_LEN],
    slots: &[Slot; MAX_LEN],
    len: usize,
) -> ([I; E], [I; Q], (Option<usize>, f32)) {
    let mut fixed = 0u64;
    for (p, slot) in slots.iter().enumerate().take(len - 1) {
        if matches!(slot, Slot::Digit(_)) {
            fixed |= 1 << p;
        }
    }
    // Each position from the step's enclosure, or its own value where the
    // state fixes every digit up to it.
    let mut xs = [[I::ANY; E]; MAX_LEN];
    let mut kv = [([I::ANY; KV], [I::ANY; KV]); MAX_LEN];
    let mut known = 0u64;
    for p in 0..len {
        if let Some(x) = below.known(kernel, values, slots, p) {
            (xs[p], kv[p]) = (x, key_value(kernel, 0, &x, p));
            known |= 1 << p;
        } else {
            let loose = below.loose(kernel, values, p);
            (xs[p], kv[p]) = (loose.x, loose.kv);
        }
    }
    let mut heaviest = (None, -1.0f32);
    let last = len - 1;
    if known & (1 << last) == 0 {
        let x;
        (x, heaviest) = below.tight(kernel, values, slots, last);
        (xs[last], kv[last]) = (x, key_value(kernel, 0, &x, last));
    }
    let (mut mixed, mut weights) = above(kernel, &xs, &kv, len);
    let mut again = false;
    for q in 0..last {
        let heavy = weights
            .iter()
            .take(kernel.n_head)
            .any(|row| row[q].hi > READ_ABOVE);
        if heavy
            && known & (1 << q) == 0
            && fixed & (1 << q | below.loose(kernel, values, q).reads) != 0
        {
            let (x, weight) = below.tight(kernel, values, slots, q);
            (xs[q], kv[q]) = (x, key_value(kernel, 0, &x, q));
            if weight.1 > heaviest.1 {
                heaviest = weight;
            }
            again = true;
        }
    }
    if again {
        (mixed, weights) = above(kernel, &xs, &kv, len);
    }
    for row in weights.iter().take(kernel.n_head) {
        for (q, w) in row.iter().enumerate().take(len - 1) {
            if slots[q] == Slot::Free && w.hi > heaviest.1 {
                heaviest = (Some(q), w.hi);
            }
        }
    }
    let (residual, mixed) = mixed;
    (residual, mixed, heaviest)
}

/// The layers above the first over the residual streams `xs` after it:
/// the last position's residual stream and heads' outputs in the last
/// layer, and that layer's weights there.
#[allow(clippy::type_complexity)]
fn above<const E: usize, const Q: usize, const KV: usize, const V: usize>(
    kernel: &Kernel<E, Q, KV, V>,
    xs: &[[I; E]; MAX_LEN],
    first: &[([I; KV], [I; KV]); MAX_LEN],
    len: usize,
) -> (([I; E], [I; Q]), [[I; MAX_LEN]; MAX_HEADS]) {
    let mut xs = *xs;
    for l in 0..kernel.deep.len() {
        let mut keys = [[I::ANY; KV]; MAX_LEN];
        let mut vals = [[I::ANY; KV]; MAX_LEN];
        for p in 0..len {
            (keys[p], vals[p]) = if l == 0 {
                first[p]
            } else {
                key_value(kernel, l, &xs[p], p)
            };
        }
        let attend = |p: usize| {
            let query = query(kernel, l, &xs[p], p);
            let mut scores = [[I::point(0.0); MAX_LEN]; MAX_HEADS];
            let (n_head, hd) = (kernel.n_head, kernel.head_dim);
            let group = n_head / kernel.n_kv_head;
            for h in 0..n_head {
                let g = h / group;
                for q in 0..=p {
                    // As `attend` sums it: left to right, then scaled.
                    let mut s = query[h * hd] * keys[q][g * hd];
                    for d in 1..hd {
                        s = s + query[h * hd + d] * keys[q][g * hd + d];
                    }
                    scores[h][q] = s * kernel.scale;
                }
            }
            mix(kernel, &scores, &vals, p + 1)
        };
        if let Some(next) = kernel.deep.get(l + 1) {
            let mut next_xs = [[I::ANY; E]; MAX_LEN];
            for p in 0..len {
                next_xs[p] = (next.below)(&xs[p], &attend(p).0);
            }
            xs = next_xs;
        } else {
            let (mixed, weights) = attend(len - 1);
            return ((xs[len - 1], mixed), weights);
        }
    }
    unreachable!("a deep model has a layer above the first")
}
