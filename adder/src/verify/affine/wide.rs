//! Affine forms that enclose what an `f64` model's code computes: the
//! `f64` kin of [`A`](super::A), for the verifier of fixed attention
//! ([`crate::fixed`]), re-exported as `adder::affine64`. An interval loses
//! how two quantities move together (`relu(s + b_0) - relu(s + b_1)` with
//! `s` in a range is as wide as two ranges, where it is one number); a form
//! keeps each quantity's dependence on the heads' outputs and on the
//! roundings before it, so their difference cancels.
//!
//! An [`A64`] is `c + sum a_i e_i + sum k_j f_j + r e'` as an [`A`](super::A)
//! is, with the same error symbols ([`Errors`]): each operation adds the
//! code's rounding of its `f64` result (a relative `2^-53` of its greatest
//! magnitude, plus `2^-1074` below the normal range) and the coefficients'
//! own `f64` rounding (`2^-51` of the terms they sum) as a fresh symbol
//! shared by every quantity computed from it.

use core::ops::{Add, Mul, Neg, Sub};

use super::errors::{self, ERRORS, Errors};
pub use super::form::NOISE;
use crate::verify::interval::scalar_operands;

/// `2^-53`: the `f64` code's relative rounding.
const U: f64 = f64::EPSILON / 2.0;
/// `2^-51`: the coefficients' own rounding, relative to their terms.
const SLACK: f64 = 4.0 * U;
/// `2^-1074`: the code's absolute rounding below the normal range.
const TINY: f64 = f64::from_bits(1);

/// An affine form over [`NOISE`] shared input symbols, error symbols and
/// one of its own, enclosing an `f64` of the code.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct A64 {
    /// The centre.
    pub c: f64,
    /// The coefficients of the shared input symbols.
    pub a: [f64; NOISE],
    /// The error symbols.
    pub e: Errors,
    /// The radius of its own symbol (`inf` where nothing is known).
    pub r: f64,
}

impl A64 {
    /// Nothing known.
    pub const ANY: A64 = A64 {
        c: 0.0,
        a: [0.0; NOISE],
        e: Errors::NONE,
        r: f64::INFINITY,
    };

    /// The one value `x`.
    #[must_use]
    pub const fn point(x: f64) -> A64 {
        A64 {
            c: x,
            a: [0.0; NOISE],
            e: Errors::NONE,
            r: 0.0,
        }
    }

    /// `[lo, hi]` as symbol `i`: an input of one evaluation.
    #[must_use]
    pub fn input(lo: f64, hi: f64, i: usize) -> A64 {
        if !(lo.is_finite() && hi.is_finite() && lo <= hi) || i >= NOISE {
            return A64::ANY;
        }
        let c = lo / 2.0 + hi / 2.0;
        let mut a = [0.0; NOISE];
        a[i] = (hi - c).max(c - lo).next_up();
        A64 {
            c,
            a,
            e: Errors::NONE,
            r: 0.0,
        }
    }

    /// Whether the form is known.
    #[must_use]
    pub fn is_bounded(&self) -> bool {
        self.c.is_finite() && self.r.is_finite()
    }

    /// Every term's magnitude, summed and rounded up.
    fn radius(&self) -> f64 {
        let sum: f64 = self.a.iter().map(|x| x.abs()).sum();
        (sum + self.e.sum() + self.r) * (1.0 + SLACK * (NOISE + ERRORS) as f64)
    }

    /// `[lo, hi]` holding every value of the form.
    #[must_use]
    pub fn range(&self) -> (f64, f64) {
        if !self.is_bounded() {
            return (f64::NEG_INFINITY, f64::INFINITY);
        }
        let radius = self.radius();
        ((self.c - radius).next_down(), (self.c + radius).next_up())
    }

    /// The exact difference `self - other`, as `argmax` compares two
    /// logits (no rounding of the code's): `[lo, hi]`.
    #[must_use]
    pub fn minus(&self, other: &A64) -> (f64, f64) {
        combine(self, other, 1.0, -1.0, false).range()
    }

    /// The code's rounding of the result and the coefficients' own (of
    /// `terms`) added as one fresh error symbol, so that every quantity
    /// computed from it shares them (two logits' difference cancels them,
    /// where an own radius would count them in each); `ANY` past `f64`.
    fn rounded(mut self, terms: f64) -> A64 {
        let magnitude = self.c.abs() + self.radius();
        let error = (U * magnitude + SLACK * terms + TINY) * (1.0 + SLACK);
        self.r = (self.r + self.e.push(error)) * (1.0 + SLACK);
        if !(self.is_bounded() && magnitude + error < f64::MAX / 4.0) {
            return A64::ANY;
        }
        self
    }
}

/// `wx x + wy y`, exact or rounded as the code rounds.
fn combine(x: &A64, y: &A64, wx: f64, wy: f64, round: bool) -> A64 {
    if !(x.is_bounded() && y.is_bounded()) {
        return A64::ANY;
    }
    let (e, folded, mut terms) = errors::combine(&x.e, &y.e, wx, wy);
    let mut sum = A64 {
        c: wx * x.c + wy * y.c,
        a: [0.0; NOISE],
        e,
        r: wx.abs() * x.r + wy.abs() * y.r + folded,
    };
    terms += (wx * x.c).abs() + (wy * y.c).abs();
    for i in 0..NOISE {
        sum.a[i] = wx * x.a[i] + wy * y.a[i];
        terms += (wx * x.a[i]).abs() + (wy * y.a[i]).abs();
    }
    if round {
        sum.rounded(terms + sum.r)
    } else {
        sum.r = (sum.r + SLACK * (terms + sum.r)) * (1.0 + SLACK);
        sum
    }
}

impl From<f64> for A64 {
    fn from(x: f64) -> A64 {
        A64::point(x)
    }
}

impl Add for A64 {
    type Output = A64;
    fn add(self, rhs: A64) -> A64 {
        combine(&self, &rhs, 1.0, 1.0, true)
    }
}

impl Sub for A64 {
    type Output = A64;
    fn sub(self, rhs: A64) -> A64 {
        combine(&self, &rhs, 1.0, -1.0, true)
    }
}

impl Neg for A64 {
    type Output = A64;
    fn neg(self) -> A64 {
        combine(&self, &A64::point(0.0), -1.0, 0.0, false)
    }
}

impl Mul for A64 {
    type Output = A64;
    /// `x y`: `x.c y.c`, `x.c` times `y`'s terms and `y.c` times `x`'s,
    /// the product of the rest a remainder of its own; then the code's
    /// rounding.
    fn mul(self, rhs: A64) -> A64 {
        if !(self.is_bounded() && rhs.is_bounded()) {
            return A64::ANY;
        }
        if rhs.radius() == 0.0 {
            return combine(&self, &self, rhs.c, 0.0, true);
        }
        if self.radius() == 0.0 {
            return combine(&rhs, &rhs, self.c, 0.0, true);
        }
        let (rx, ry) = (self.radius(), rhs.radius());
        let (e, folded, mut terms) = errors::combine(&self.e, &rhs.e, rhs.c, self.c);
        let mut z = A64 {
            c: self.c * rhs.c,
            a: [0.0; NOISE],
            e,
            r: self.c.abs() * rhs.r + rhs.c.abs() * self.r + folded,
        };
        terms += z.c.abs() + z.r;
        for i in 0..NOISE {
            z.a[i] = self.c * rhs.a[i] + rhs.c * self.a[i];
            terms += (self.c * rhs.a[i]).abs() + (rhs.c * self.a[i]).abs();
        }
        z.r = (z.r + z.e.push(rx * ry * (1.0 + SLACK))) * (1.0 + SLACK);
        z.rounded(terms)
    }
}

// `A64 op x` and `x op A64`, as the emitted code multiplies by a `static`.
scalar_operands!(A64, f64; Add add, Sub sub, Mul mul);

/// [`crate::float::relu_f64`] (exact in the code): the form itself where it
/// is never below 0, 0 where never above, else the chord `lambda x <=
/// relu(x) <= lambda (x - lo)` with `lambda >= hi / (hi - lo)` (rounded
/// up, which keeps both), as `lambda x + mu` and a remainder `mu`.
#[must_use]
pub fn relu(x: A64) -> A64 {
    let (lo, hi) = x.range();
    if !x.is_bounded() {
        return A64::ANY;
    }
    if lo >= 0.0 {
        return x;
    }
    if hi <= 0.0 {
        return A64::point(0.0);
    }
    let lambda = (hi / (hi - lo)).next_up().min(1.0);
    let mu = (-lambda * lo / 2.0).next_up();
    let mut z = combine(&x, &A64::point(mu), lambda, 1.0, false);
    z.r = (z.r + z.e.push(mu)) * (1.0 + SLACK);
    z
}

#[cfg(test)]
mod tests;
