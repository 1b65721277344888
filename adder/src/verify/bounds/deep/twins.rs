//! The pieces both layers' enclosures are made of: the softmax and mixing
//! of `attend` over intervals, and a stage by both twins, intersected.

use super::super::kernel::{Kernel, MAX_HEADS, MAX_LEN};
use crate::verify::affine::{A, NOISE};
use crate::verify::interval::{self, I};
use crate::verify::real::{f32_down, f32_up};

/// The heads' outputs of `attend` over `len` positions whose scores (per
/// head) and values lie in the intervals given, and each head's weights.
pub(super) fn mix<const E: usize, const Q: usize, const KV: usize, const V: usize>(
    kernel: &Kernel<E, Q, KV, V>,
    scores: &[[I; MAX_LEN]; MAX_HEADS],
    values: &[[I; KV]; MAX_LEN],
    len: usize,
) -> ([I; Q], [[I; MAX_LEN]; MAX_HEADS]) {
    let (n_head, hd) = (kernel.n_head, kernel.head_dim);
    let group = n_head / kernel.n_kv_head;
    let mut mixed = [I::point(0.0); Q];
    let mut weights = [[I::point(0.0); MAX_LEN]; MAX_HEADS];
    for h in 0..n_head {
        let g = h / group;
        let row = &scores[h][..len];
        // The code's `s - max` is exactly 0 where `s` is the maximum, and
        // otherwise `s` less another score at least `s`: at most 0, and
        // within `s` less the greatest of the others. Its `expf` is then at
        // most 1, the maximum's exactly 1, and the sum of terms that are
        // not negative at least 1.
        let (lows, highs) = (
            top_two(row.iter().map(|s| s.lo)),
            top_two(row.iter().map(|s| s.hi)),
        );
        let mut sum = I::point(0.0);
        for (p, (weight, &score)) in weights[h].iter_mut().zip(row).enumerate() {
            // The greatest bounds of the other scores.
            let other =
                |(first, at, second): (f32, usize, f32)| if at == p { second } else { first };
            let (lo, hi) = (other(lows), other(highs));
            let shifted = if len == 1 {
                I::point(0.0)
            } else {
                let below = score - I::new(lo, hi);
                if below.is_bounded() {
                    I::new(below.lo.min(0.0), below.hi.min(0.0))
                } else {
                    below
                }
            };
            *weight = interval::expf(shifted).within(0.0, 1.0);
            sum = sum + *weight;
        }
        let sum = sum.within(1.0, f32::MAX);
        for (p, weight) in weights[h].iter_mut().enumerate().take(len) {
            *weight = (*weight / sum).within(0.0, 1.0);
            for d in 0..hd {
                mixed[h * hd + d] = mixed[h * hd + d] + *weight * values[p][g * hd + d];
            }
        }
    }
    (mixed, weights)
}

/// The greatest of `xs`, where it stands, and the greatest of the rest.
fn top_two(xs: impl Iterator<Item = f32>) -> (f32, usize, f32) {
    let mut top = (f32::NEG_INFINITY, usize::MAX, f32::NEG_INFINITY);
    for (i, x) in xs.enumerate() {
        if x > top.0 {
            top = (x, i, top.0);
        } else if x > top.2 {
            top.2 = x;
        }
    }
    top
}

/// Layer 0's residual stream after its MLP at a position, from its
/// embedding and the heads' outputs there: by both twins, intersected.
pub(super) fn rest<const E: usize, const Q: usize, const KV: usize, const V: usize>(
    kernel: &Kernel<E, Q, KV, V>,
    embedded: &[f32; E],
    mixed: &[I; Q],
) -> [I; E] {
    let layer = &kernel.deep[0];
    let x = (layer.below)(&embedded.map(I::point), mixed);
    if x.iter().all(|x| narrow(*x)) {
        return x;
    }
    match symbols(mixed) {
        Some(inputs) => narrowed(x, &(layer.below_forms)(&embedded.map(A::point), &inputs)),
        None => x,
    }
}

/// The key and value of layer `l` (of `deep`) of a residual stream at a
/// position: by both twins, intersected.
pub(super) fn key_value<const E: usize, const Q: usize, const KV: usize, const V: usize>(
    kernel: &Kernel<E, Q, KV, V>,
    l: usize,
    x: &[I; E],
    p: usize,
) -> ([I; KV], [I; KV]) {
    let layer = &kernel.deep[l];
    let (key, value) = ((layer.key_at)(x, p), (layer.value_at)(x));
    let wide = |y: &[I; KV]| !y.iter().all(|y| narrow(*y));
    if !(wide(&key) || wide(&value)) {
        return (key, value);
    }
    match symbols(x) {
        Some(forms) => (
            if wide(&key) {
                narrowed(key, &(layer.key_forms)(&forms, p))
            } else {
                key
            },
            if wide(&value) {
                narrowed(value, &(layer.value_forms)(&forms))
            } else {
                value
            },
        ),
        None => (key, value),
    }
}

/// The query of layer `l` (of `deep`) of a residual stream at a position,
/// by both twins, intersected.
pub(super) fn query<const E: usize, const Q: usize, const KV: usize, const V: usize>(
    kernel: &Kernel<E, Q, KV, V>,
    l: usize,
    x: &[I; E],
    p: usize,
) -> [I; Q] {
    let layer = &kernel.deep[l];
    let query = (layer.query_at)(x, p);
    if query.iter().all(|q| narrow(*q)) {
        return query;
    }
    match symbols(x) {
        Some(forms) => narrowed(query, &(layer.query_forms)(&forms, p)),
        None => query,
    }
}

/// Whether an enclosure is already as narrow as the forms could make it
/// matter: within a relative `2^-17` of its magnitude (and 1e-30 absolute).
fn narrow(x: I) -> bool {
    x.is_bounded() && x.hi - x.lo <= (x.lo.abs().max(x.hi.abs()) * 7.7e-6).max(1e-30)
}

/// Intervals as the inputs of one affine evaluation: a symbol each where
/// not a point; `None` where one is unbounded or they are too many.
fn symbols<const N: usize>(xs: &[I; N]) -> Option<[A; N]> {
    let spread = xs.iter().filter(|x| x.lo != x.hi).count();
    if spread > NOISE || xs.iter().any(|x| !x.is_bounded()) {
        return None;
    }
    let mut symbol = 0;
    Some(xs.map(|x| {
        if x.lo == x.hi {
            A::point(x.lo)
        } else {
            symbol += 1;
            A::input(x.lo, x.hi, symbol - 1)
        }
    }))
}

/// Each interval narrowed to its form's range.
fn narrowed<const N: usize>(xs: [I; N], forms: &[A; N]) -> [I; N] {
    core::array::from_fn(|i| {
        let range = forms[i].range();
        if range.lo.is_nan() || range.hi.is_nan() {
            xs[i]
        } else {
            xs[i].within(f32_down(range.lo), f32_up(range.hi))
        }
    })
}
