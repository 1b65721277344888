//! The positional table, computed at expansion time.

use std::f64::consts::TAU;

use crate::front::dtype::Dtype;
use crate::lower::ir::Rope;

/// `(sin, cos)` rows for positions `0..block_size` of the sinusoid table
/// `a(p) sin(2 pi p / period)`, `a(p) cos(..)`.
///
/// Each entry is computed in `f64` from the phase of `p mod period` and
/// rounded once to the model's `dtype`: positions one period apart get bit-identical rows
/// by construction, so attention splits exactly evenly between them. `PyTorch`
/// computes `p * theta` in `f32`, which skews that split (NOTES §3).
pub fn sinusoid(
    period: usize,
    amplitude: &[(usize, f64)],
    block_size: usize,
    dtype: Dtype,
) -> Vec<[f64; 2]> {
    (0..block_size)
        .map(|p| {
            let phase = TAU * (p % period) as f64 / period as f64;
            let amplitude = amplitude
                .iter()
                .take_while(|(from, _)| *from <= p)
                .last()
                .map_or(0.0, |(_, amplitude)| *amplitude);
            [
                dtype.round(amplitude * phase.sin()),
                dtype.round(amplitude * phase.cos()),
            ]
        })
        .collect()
}

/// `(cos, sin)` of `p * frequency_i` for positions `0..block_size` and
/// each pair `i` of a head, computed in `f64` and rounded once to `dtype`.
/// (`mlx` and `PyTorch` compute the angle in `f32` first; at the positions
/// here that moves an entry by a few ulps at most.)
pub fn rope(rope: &Rope, block_size: usize, dtype: Dtype) -> Vec<Vec<[f64; 2]>> {
    (0..block_size)
        .map(|p| {
            rope.frequencies
                .iter()
                .map(|frequency| {
                    let angle = p as f64 * frequency;
                    [dtype.round(angle.cos()), dtype.round(angle.sin())]
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_period_apart_is_bit_identical_within_an_amplitude() {
        let table = sinusoid(11, &[(0, 100.0), (22, 1.0)], 35, Dtype::F32);
        for p in 0..11 {
            assert_eq!(table[p].map(f64::to_bits), table[p + 11].map(f64::to_bits));
            assert_eq!(
                table[22 + p].map(f64::to_bits),
                table[22 + p].map(f64::to_bits)
            );
            // Rounded once to f32: each entry an f32.
            assert!(table[p].iter().all(|&v| Dtype::F32.round(v) == v));
        }
        assert_eq!(table[0], [0.0, 100.0]);
        assert_eq!(table[22], [0.0, 1.0]);
        // Position 21 closes the prompt at amplitude 100; position 32 is amplitude 1.
        assert!((table[21][0] - 100.0 * (TAU * 10.0 / 11.0).sin()).abs() < 1e-5);
        assert!((table[32][1] - (TAU * 10.0 / 11.0).cos()).abs() < 1e-7);
        let exact = sinusoid(11, &[(0, 100.0), (22, 1.0)], 35, Dtype::F64);
        assert_eq!(exact[32][1], (TAU * 10.0 / 11.0).cos());
    }
}
