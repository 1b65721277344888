//! An oriented box of each head's output: the coupled bound
//! (`attention.rs`) taken along the directions the free positions move
//! the output in most, not along its coordinates.
//!
//! A head whose output moves along one line as its free digits change (the
//! values of the ten tokens on a curve, the weights moving with them) has
//! a box as wide as the line on every side, and the forms over that box
//! reach points no context gives. The oriented box is as wide as the line
//! along it and thin across it.
//!
//! # Soundness
//!
//! Per head, the directions are the rows `b_i` of `B`, the eigenvectors of
//! a covariance of how each free position's token moves the output (any
//! rows would do: only the tightness depends on them). Side `i` encloses
//! `b_i . o` for every context of the state: the fractional program of
//! `attention.rs` over the values projected on `b_i`, widened by the
//! projection's `f64` rounding and by the code's `f32` arithmetic after
//! `expf` (each coordinate's bound, weighted by `|b_i|`). Then `o = B^-1 y`
//! with `y` in the sides. `B` is orthonormal up to rounding: with
//! `E = I - B B^T` (bounded with its own rounding), `B^-1 = B^T (I - E)^-1`,
//! so `|o - B^T y| <= |B^T| |E| / (1 - |E|) max |y|` in the infinity norm
//! ([`Frame::skew`]), which the forms add to each coordinate's own radius.

use super::attention::{ratio_bound, rounding};
use super::kernel::{Kernel, MAX_LEN};
use super::state::{Slot, Tables, choices};
use crate::math;
use crate::verify::affine::{A, Errors, NOISE};
use crate::verify::interval::I;
use crate::verify::real::{R, f32_down, f32_up};

/// Jacobi sweeps: a few diagonalise a matrix of a head's width.
const SWEEPS: usize = 12;

/// The directions of the oriented box.
pub(super) struct Frame<const Q: usize> {
    /// `basis[i]`: the direction of side `i`, over the coordinates of
    /// its head (block-diagonal: zero elsewhere).
    basis: [[f64; Q]; Q],
    /// Per coordinate: the bound of `|o - B^T y|` relative to the
    /// greatest `|y|` of its head.
    skew: [f64; Q],
    /// The width of a head: coordinate `k`'s sides are those of
    /// `k / width`'s block.
    width: usize,
}

/// The heads' outputs over a state: their box, and where a frame was
/// found, an oriented box; the forms take the oriented one, the box kept
/// as their intervals.
#[derive(Clone, Copy)]
pub(super) struct Zone<'f, const Q: usize> {
    /// The box of the heads' outputs.
    pub(super) mixed: [I; Q],
    /// The sides of the oriented box (the box's own, without a frame).
    pub(super) sides: [I; Q],
    /// Their directions.
    pub(super) frame: Option<&'f Frame<Q>>,
}

impl<const Q: usize> Zone<'_, Q> {
    /// The box alone.
    pub(super) fn axes(mixed: [I; Q]) -> Self {
        Zone {
            mixed,
            sides: mixed,
            frame: None,
        }
    }

    /// Whether every side and coordinate is bounded.
    pub(super) fn is_bounded(&self) -> bool {
        self.mixed.iter().chain(&self.sides).all(|x| x.is_bounded())
    }

    /// The heads' outputs as forms: side `i` is shared symbol `i`.
    pub(super) fn forms(&self) -> [A; Q] {
        let Some(frame) = self.frame else {
            return core::array::from_fn(|i| A::input(self.sides[i].lo, self.sides[i].hi, i));
        };
        let sides = self
            .sides
            .map(|y| R::rounded(f64::from(y.lo), f64::from(y.hi)));
        core::array::from_fn(|k| {
            let (mut c, mut a, mut terms, mut most) = (0.0, [0.0; NOISE], 0.0, 0.0f64);
            let at = k / frame.width * frame.width;
            for (i, side) in sides.iter().enumerate().skip(at).take(frame.width) {
                let b = frame.basis[i][k];
                c += b * side.mid();
                a[i] = b * side.rad();
                terms += b.abs() * (side.mid().abs() + side.rad());
                most = most.max(side.mag());
            }
            // The sums' and products' `f64` rounding, and `B^-1` read as
            // `B^T` (module docs).
            let rounding = 2.0 * (Q as f64 + 2.0) * f64::EPSILON * terms;
            let r = (rounding + frame.skew[k] * most) * (1.0 + 1e-12);
            let form = A {
                c,
                a,
                e: Errors::NONE,
                r,
                i: self.mixed[k],
            };
            // The coordinate's interval: the box, narrowed by the form.
            let range = form.range();
            let (lo, hi) = (
                f32_down(range.lo).max(self.mixed[k].lo),
                f32_up(range.hi).min(self.mixed[k].hi),
            );
            A {
                i: if lo <= hi {
                    I::new(lo, hi)
                } else {
                    self.mixed[k]
                },
                ..form
            }
        })
    }

    /// The zone cut in two across side `d`, where it has width.
    pub(super) fn halves(&self, d: usize) -> Option<(Self, Self)> {
        let side = self.sides[d];
        if !(side.is_bounded() && side.hi > side.lo) {
            return None;
        }
        let middle = (side.lo + (side.hi - side.lo) / 2.0).clamp(side.lo, side.hi);
        let (mut low, mut high) = (*self, *self);
        low.sides[d] = I::new(side.lo, middle);
        high.sides[d] = I::new(middle, side.hi);
        if self.frame.is_none() {
            low.mixed = low.sides;
            high.mixed = high.sides;
        }
        Some((low, high))
    }
}

/// The directions of each head's oriented box and its sides, for the
/// state `slots`; `None` where a weight is not known.
pub(super) fn oriented<const E: usize, const Q: usize, const KV: usize, const V: usize>(
    kernel: &Kernel<E, Q, KV, V>,
    tables: &Tables<E, Q, KV>,
    slots: &[Slot; MAX_LEN],
    mixed: &[I; Q],
) -> Option<(Frame<Q>, [I; Q])> {
    let len = tables.len;
    let (hd, group) = (kernel.head_dim, kernel.n_head / kernel.n_kv_head);
    let mut frame = Frame {
        basis: [[0.0; Q]; Q],
        skew: [0.0; Q],
        width: hd,
    };
    let mut sides = [I::ANY; Q];
    for h in 0..kernel.n_head {
        let (g, at) = (h / group, h * hd);
        let weights = &tables.weights[h];
        let value = |p: usize, t: usize, d: usize| f64::from(tables.value[p][t][g * hd + d]);
        let centre: [f64; Q] = core::array::from_fn(|d| {
            let m = mixed.get(at + d).copied().unwrap_or(I::point(0.0));
            f64::midpoint(f64::from(m.lo), f64::from(m.hi))
        });
        let mut covariance = [[0.0; Q]; Q];
        let mut top = 0.0f64;
        for p in (0..len).filter(|&p| slots[p] == Slot::Free) {
            for w in &weights[p] {
                if !w.hi.is_finite() {
                    return None;
                }
                top = top.max(w.hi);
            }
        }
        for p in (0..len).filter(|&p| slots[p] == Slot::Free && top > 0.0) {
            // How each token moves the output: its weight times its value's
            // distance from the centre, less the position's mean move.
            let shift = |t: usize, d: usize| weights[p][t].hi / top * (value(p, t, d) - centre[d]);
            let mean: [f64; Q] = core::array::from_fn(|d| {
                if d < hd {
                    (0..10).map(|t| shift(t, d)).sum::<f64>() / 10.0
                } else {
                    0.0
                }
            });
            for t in 0..10 {
                for x in 0..hd {
                    for y in 0..hd {
                        covariance[x][y] += (shift(t, x) - mean[x]) * (shift(t, y) - mean[y]);
                    }
                }
            }
        }
        let axes = principal_axes(&mut covariance, hd);
        // The code's arithmetic after `expf` on each coordinate.
        let mut magnitudes = [0.0f64; Q];
        for (p, &slot) in slots.iter().enumerate().take(len) {
            for t in choices(slot) {
                for (d, magnitude) in magnitudes.iter_mut().enumerate().take(hd) {
                    *magnitude = magnitude.max(value(p, t, d).abs());
                }
            }
        }
        for i in 0..hd {
            let direction: [f64; Q] =
                core::array::from_fn(|d| if d < hd { axes[d][i] } else { 0.0 });
            // The values projected on the direction, and the greatest sum
            // of their terms' magnitudes (for the projection's rounding).
            let (mut projected, mut dots) = ([[0.0f64; 10]; MAX_LEN], 0.0f64);
            for (p, &slot) in slots.iter().enumerate().take(len) {
                for t in choices(slot) {
                    projected[p][t] = (0..hd).map(|d| direction[d] * value(p, t, d)).sum();
                    dots = dots.max((0..hd).map(|d| (direction[d] * value(p, t, d)).abs()).sum());
                }
            }
            let high = ratio_bound(weights, slots, len, |p, t| projected[p][t])?;
            let low = -ratio_bound(weights, slots, len, |p, t| -projected[p][t])?;
            let code: f64 = (0..hd)
                .map(|d| direction[d].abs() * rounding(magnitudes[d], len))
                .sum();
            let slack = 2.0 * (hd as f64 + 1.0) * f64::EPSILON * dots + code * (1.0 + 1e-12);
            let lo = low - slack - low.abs() * 1e-15;
            let hi = high + slack + high.abs() * 1e-15;
            sides[at + i] = I::new(f32_down(lo), f32_up(hi));
            frame.basis[at + i][at..at + hd].copy_from_slice(&direction[..hd]);
        }
        let skew = skew(&frame.basis, at, hd)?;
        for d in 0..hd {
            frame.skew[at + d] = skew;
        }
    }
    Some((frame, sides))
}

/// `|B^T| |E| / (1 - |E|)` for the head's block of `basis` (module docs),
/// with `E = I - B B^T` bounded with its own rounding; `None` where the
/// rows are far from orthonormal.
fn skew<const Q: usize>(basis: &[[f64; Q]; Q], at: usize, hd: usize) -> Option<f64> {
    let (mut e, mut transposed) = (0.0f64, 0.0f64);
    for i in at..at + hd {
        let mut row = 0.0;
        for j in at..at + hd {
            let dot: f64 = (at..at + hd).map(|d| basis[i][d] * basis[j][d]).sum();
            let scale: f64 = (at..at + hd)
                .map(|d| (basis[i][d] * basis[j][d]).abs())
                .sum();
            let entry = if i == j { 1.0 - dot } else { -dot };
            row += entry.abs() + 2.0 * (hd as f64 + 2.0) * f64::EPSILON * (scale + 1.0);
        }
        e = e.max(row);
        transposed = transposed.max((at..at + hd).map(|j| basis[j][i].abs()).sum());
    }
    (e < 0.5).then(|| transposed * e / (1.0 - e) * (1.0 + 1e-12))
}

/// The eigenvectors of the symmetric `width x width` matrix (its columns),
/// by Jacobi's rotations; the matrix is left near diagonal.
fn principal_axes<const Q: usize>(matrix: &mut [[f64; Q]; Q], width: usize) -> [[f64; Q]; Q] {
    let mut axes = [[0.0; Q]; Q];
    for (i, row) in axes.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    let pairs = || (0..width).flat_map(move |p| (0..width).map(move |q| (p, q)));
    for _ in 0..SWEEPS {
        let off: f64 = pairs()
            .filter(|(p, q)| p != q)
            .map(|(p, q)| matrix[p][q] * matrix[p][q])
            .sum();
        let all: f64 = pairs().map(|(p, q)| matrix[p][q] * matrix[p][q]).sum();
        if off <= all * 1e-30 {
            break;
        }
        for (p, q) in pairs().filter(|(p, q)| p < q) {
            if matrix[p][q] == 0.0 {
                continue;
            }
            let theta = (matrix[q][q] - matrix[p][p]) / (2.0 * matrix[p][q]);
            let tangent = if theta.abs() > 1e15 {
                0.5 / theta
            } else {
                theta.signum() / (theta.abs() + root(theta * theta + 1.0))
            };
            let cosine = 1.0 / root(tangent * tangent + 1.0);
            let sine = tangent * cosine;
            let rotate = |x: &mut f64, y: &mut f64| {
                (*x, *y) = (cosine * *x - sine * *y, sine * *x + cosine * *y);
            };
            for row in matrix.iter_mut().take(width) {
                let (left, right) = row.split_at_mut(q);
                rotate(&mut left[p], &mut right[0]);
            }
            let (upper, lower) = matrix.split_at_mut(q);
            for k in 0..width {
                rotate(&mut upper[p][k], &mut lower[0][k]);
            }
            for row in axes.iter_mut().take(width) {
                let (left, right) = row.split_at_mut(q);
                rotate(&mut left[p], &mut right[0]);
            }
        }
    }
    axes
}

/// `sqrt(x)` for `1 <= x <= 1e31`, to about `f64` precision: the `f32`
/// root refined by two Newton steps (only the directions' tightness
/// depends on it).
fn root(x: f64) -> f64 {
    let mut y = f64::from(math::sqrtf(x as f32));
    y = 0.5 * (y + x / y);
    0.5 * (y + x / y)
}

#[cfg(test)]
mod tests;
