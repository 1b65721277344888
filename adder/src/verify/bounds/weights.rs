//! The enclosures of the softmax's weights before its division, for the
//! coupled bound of the attention (`attention.rs`, whose docs give the
//! argument): `e^{s - c}` for every position's and token's score `s`, with
//! the code's rounding of its `expf` and of its argument.

use super::kernel::MAX_LEN;
use crate::math;

/// The unit roundoff of `f32`.
pub(super) const U: f64 = 1.0 / 16_777_216.0;

/// A weight's enclosure, `e^{s - c}` with the code's rounding, scaled.
#[derive(Clone, Copy, Default)]
pub(super) struct Weight {
    pub(super) lo: f64,
    pub(super) hi: f64,
}

/// The enclosures of every position's and token's weight for one head,
/// relative to the greatest score of the step (so at least the code's
/// maximum in any state); `tokens[p]` of a position's table are filled.
pub(super) fn weights(scores: &[[f32; 10]; MAX_LEN], tokens: &[usize]) -> [[Weight; 10]; MAX_LEN] {
    let shift = tokens
        .iter()
        .zip(scores)
        .flat_map(|(&n, row)| &row[..n])
        .fold(f32::NEG_INFINITY, |m, &s| m.max(s));
    let mut weights = [[Weight::default(); 10]; MAX_LEN];
    for ((row, scores), &n) in weights.iter_mut().zip(scores).zip(tokens) {
        for (weight, &score) in row.iter_mut().zip(scores).take(n) {
            *weight = weight_of(score, shift);
        }
    }
    weights
}

/// `e^{score - shift}` as the code's `expf` may give it, scaled (module
/// docs); `lo = 0, hi = inf` where nothing is known.
fn weight_of(score: f32, shift: f32) -> Weight {
    let x = f64::from(score) - f64::from(shift);
    let y = 2.01 * U * x.abs();
    if !x.is_finite() || y >= 0.5 {
        return Weight {
            lo: 0.0,
            hi: f64::INFINITY,
        };
    }
    let ours = f64::from(math::expf(x as f32));
    let tiny = f64::from(f32::from_bits(0x0380_0000)); // 2^-120
    let margin = 1.0 / 1_048_576.0; // 2^-20
    Weight {
        lo: (ours * (1.0 - margin) * (1.0 - y) - tiny).max(0.0),
        hi: ours * (1.0 + margin) / (1.0 - y) + tiny,
    }
}
