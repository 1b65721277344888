//! The heads' outputs over a state: two enclosures of what `attend`
//! computes, both sound, and their intersection.
//!
//! 1. **Hulls** ([`hulls`]): each free position's score and value are the
//!    hulls of their ten values, and the softmax and the mixing follow
//!    `attend` operation for operation over intervals. Exact where the
//!    attention is sharp (the weights off the peak are exactly `0.0`), loose
//!    where it is spread: a free position's score and value move together,
//!    and the hulls forget it.
//! 2. **Coupled** ([`coupled`]): for each output coordinate, the least and
//!    the greatest `sum_p w_p v_p / sum_p w_p` over every token choice per
//!    free position, with `w_p = e^{s_p}` enclosed with the code's rounding
//!    of its `expf`. A fractional program: `r <= lambda` for every choice
//!    exactly when `G(lambda) = sum_p max_t w(t) (v(t) - lambda) <= 0`, each
//!    position choosing alone; Dinkelbach's iteration finds the least such
//!    `lambda`, and `G` at a `lambda` just above it, with a bound of its own
//!    `f64` rounding, certifies it. Then the code's `f32` arithmetic after
//!    `expf` (the sum, the divisions, the products, the mixing sum) is
//!    enclosed by the standard bound of a recursive sum's rounding.
//!
//! # The rounding of the coupled bound
//!
//! Let `c >= m` (`m` the code's maximum score) and `x = s - c <= 0`. The
//! code's weight is `expf(fl(s - m))`, within one ulp (a relative `2^-23`)
//! of `e^{s - m}` up to its argument's rounding (`|s - m| u <= |x| u`,
//! `u = 2^-24`); ours is `expf(x as f32)`, the same up to `|x| u` and one
//! ulp. So the code's weight times `e^{m - c}`, which leaves every ratio
//! unchanged, lies within `ours * [(1 - 2^-20)(1 - y), (1 + 2^-20) / (1 -
//! y)]` with `y = 2.01 u |x|`, widened by `2^-120` for results below the
//! normal range (a faithful `expf` is within `2^-149` there). After it, with
//! `L` positions: the sum of the weights is within a relative `gamma_{L-1}`,
//! each division and product within `u` (and `2^-150` below the normal
//! range), the mixing sum within `gamma_{L-1}` of its terms' magnitudes, so
//! the output is within `4 L u max|v| + L 2^-149 (max|v| + 1)` of the ratio.

use super::kernel::{Kernel, MAX_HEADS, MAX_LEN};
use super::state::{Slot, Tables, choices};
use super::weights::{U, Weight};
use crate::verify::interval::{self, I};

/// Dinkelbach steps before the bound gives up (it converges in a few).
const ITERATIONS: usize = 32;

/// The heads' outputs by hulls of the free positions' scores and values,
/// and the free position that may take the most attention, with that
/// weight's upper bound.
pub(super) fn hulls<const E: usize, const Q: usize, const KV: usize, const V: usize>(
    kernel: &Kernel<E, Q, KV, V>,
    tables: &Tables<E, Q, KV>,
    slots: &[Slot; MAX_LEN],
) -> ([I; Q], (Option<usize>, f32)) {
    let len = tables.len;
    let (hd, group) = (kernel.head_dim, kernel.n_head / kernel.n_kv_head);
    let hull = |table: &[f32; 10], slot: Slot| match slot {
        Slot::Token(_) => I::point(table[0]),
        Slot::Digit(d) => I::point(table[d as usize]),
        Slot::Free => table
            .iter()
            .fold(I::point(table[0]), |i, &x| i.hull(I::point(x))),
    };
    let mut mixed = [I::point(0.0); Q];
    let mut heaviest = (None, -1.0f32);
    for h in 0..kernel.n_head {
        let g = h / group;
        let mut scores = [I::point(0.0); MAX_LEN];
        let (mut lo, mut hi) = (f32::NEG_INFINITY, f32::NEG_INFINITY);
        for p in 0..len {
            scores[p] = hull(&tables.score[h][p], slots[p]);
            lo = lo.max(scores[p].lo);
            hi = hi.max(scores[p].hi);
        }
        let max = I::new(lo, hi);
        let mut sum = I::point(0.0);
        for score in scores.iter_mut().take(len) {
            *score = interval::expf(*score - max);
            sum = sum + *score;
        }
        for p in 0..len {
            let weight = scores[p] / sum;
            if slots[p] == Slot::Free && weight.hi > heaviest.1 {
                heaviest = (Some(p), weight.hi);
            }
            for d in 0..hd {
                let column = |t: usize| tables.value[p][t][g * hd + d];
                let value = hull(&core::array::from_fn(column), slots[p]);
                mixed[h * hd + d] = mixed[h * hd + d] + weight * value;
            }
        }
    }
    (mixed, heaviest)
}

/// Narrows `mixed` (the hulls' bound) to the coupled bound where that is
/// tighter: every coordinate of every head.
pub(super) fn coupled<const E: usize, const Q: usize, const KV: usize, const V: usize>(
    kernel: &Kernel<E, Q, KV, V>,
    tables: &Tables<E, Q, KV>,
    slots: &[Slot; MAX_LEN],
    mixed: &mut [I; Q],
) {
    let len = tables.len;
    let (hd, group) = (kernel.head_dim, kernel.n_head / kernel.n_kv_head);
    debug_assert!(kernel.n_head <= MAX_HEADS);
    for h in 0..kernel.n_head {
        let g = h / group;
        let weights = &tables.weights[h];
        for d in 0..hd {
            let value = |p: usize, t: usize| f64::from(tables.value[p][t][g * hd + d]);
            let Some(high) = ratio_bound(weights, slots, len, value) else {
                continue;
            };
            let Some(low) = ratio_bound(weights, slots, len, |p, t| -value(p, t)) else {
                continue;
            };
            let mut magnitude = 0.0f64;
            for (p, &slot) in slots.iter().enumerate().take(len) {
                for t in choices(slot) {
                    magnitude = magnitude.max(value(p, t).abs());
                }
            }
            // The code's arithmetic after `expf`, and this function's own
            // `f64` rounding of the ratio's ends.
            let slack = rounding(magnitude, len);
            let lo = -low - slack - low.abs() * 1e-15;
            let hi = high + slack + high.abs() * 1e-15;
            let (lo, hi) = (down(lo), up(hi));
            let i = h * hd + d;
            let current = mixed[i];
            if current.is_bounded() {
                mixed[i] = I::new(current.lo.max(lo), current.hi.min(hi));
            } else {
                mixed[i] = I::new(lo, hi);
            }
        }
    }
}

/// How far the code's `f32` arithmetic after `expf` (the sum, the
/// divisions, the products, the mixing sum over `len` positions) may take
/// an output coordinate from the ratio, its values at most `magnitude`
/// (module docs).
pub(super) fn rounding(magnitude: f64, len: usize) -> f64 {
    let n = len as f64;
    let tiny = f64::from(f32::from_bits(1)); // 2^-149
    4.0 * n * U * magnitude + n * tiny * (magnitude + 1.0)
}

/// The least `lambda`, certified, such that `sum w v / sum w <= lambda`
/// for every choice of token per position and every weight in its
/// enclosure; `None` where it cannot be certified.
pub(super) fn ratio_bound(
    weights: &[[Weight; 10]; MAX_LEN],
    slots: &[Slot; MAX_LEN],
    len: usize,
    value: impl Fn(usize, usize) -> f64,
) -> Option<f64> {
    // `G(lambda)`, the sums of its chosen weights and weighted values, and
    // the sum of its terms' magnitudes (for its rounding).
    let best = |lambda: f64| {
        let (mut g, mut weight, mut weighted, mut magnitude) = (0.0, 0.0, 0.0, 0.0);
        for (p, &slot) in slots.iter().enumerate().take(len) {
            let mut top = (f64::NEG_INFINITY, 0.0, 0.0);
            for t in choices(slot) {
                let w = weights[p][t];
                let v = value(p, t);
                // The weight in its enclosure that maximises w (v - lambda).
                let pick = if v > lambda { w.hi } else { w.lo };
                let term = pick * (v - lambda);
                if term > top.0 {
                    top = (term, pick, pick * v);
                }
            }
            g += top.0;
            weight += top.1;
            weighted += top.2;
            magnitude += top.0.abs();
        }
        (g, weight, weighted, magnitude)
    };
    // The greatest value bounds every ratio (a weighted mean); the choice
    // that maximises `G` there is feasible, and its ratio is where
    // Dinkelbach's iteration starts, climbing to the optimum from below.
    let mut lambda = f64::NEG_INFINITY;
    for (p, &slot) in slots.iter().enumerate().take(len) {
        for t in choices(slot) {
            lambda = lambda.max(value(p, t));
        }
    }
    let top = lambda;
    let (g, weight, weighted, _) = best(lambda);
    if !(g.is_finite() && weight > 0.0) {
        return None;
    }
    lambda = weighted / weight;
    for _ in 0..ITERATIONS {
        let (g, weight, weighted, _) = best(lambda);
        if !(g.is_finite() && weight > 0.0) {
            return None;
        }
        let next = weighted / weight;
        if next <= lambda {
            break;
        }
        lambda = next;
    }
    // Certify a `lambda` just above the optimum found.
    let n = len as f64;
    let mut step = (n + 4.0) * f64::EPSILON * (lambda.abs() + top.abs()) + 1e-300;
    for _ in 0..8 {
        let candidate = lambda + step;
        if candidate >= top {
            return Some(top);
        }
        let (g, _, _, magnitude) = best(candidate);
        // Each term's two roundings and the sum's: within (L + 2) eps/2
        // of their magnitudes (doubled for safety).
        if g + (n + 2.0) * f64::EPSILON * magnitude < 0.0 {
            return Some(candidate);
        }
        step *= 16.0;
    }
    Some(top)
}

/// The `f32` at or below `x`.
fn down(x: f64) -> f32 {
    let y = x as f32;
    if f64::from(y) > x { y.next_down() } else { y }
}

/// The `f32` at or above `x`.
fn up(x: f64) -> f32 {
    let y = x as f32;
    if f64::from(y) < x { y.next_up() } else { y }
}
