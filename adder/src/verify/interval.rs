//! Intervals that enclose what the `f32` code computes, for the verifier
//! ([`crate::bounds`]).
//!
//! An [`I`] holds two `f32`s, `lo <= hi`, and stands for every `f32` the
//! code could hold at that point for some input of a set. Each operation
//! computes its bounds with the same `f32` operation the code performs: IEEE
//! 754 addition, subtraction, multiplication, division and square root are
//! correctly rounded, and rounding is monotone, so `fl(x + y)` for `x` in
//! `[a, b]`, `y` in `[c, d]` lies in `[fl(a + c), fl(b + d)]` (and likewise
//! for the corners of a product or a quotient). The bounds are therefore the
//! tightest that hold for every rounding the code does, with no slack.
//!
//! The crate's [`expf`](crate::math::expf) and [`erff`](crate::math::erff)
//! are faithful (within 1 ulp of the exact value, as libm's; bit-identical
//! to libm on the inputs `tests/math.rs` checks), and `e^x`, `erf x` are
//! monotone: their bounds are widened by one ulp each way. [`sqrtf`] is
//! correctly rounded (checked on every `f32`). An interval that may hold a
//! NaN or an infinity becomes [`I::ANY`], and nothing is then concluded
//! from it.
//!
//! The emitted `interval` module of a model is its forward pass after the
//! attention, with `f32` replaced by `I` token for token: the same
//! operations in the same order, each enclosed.

use core::ops::{Add, Div, Mul, Neg, Sub};

use crate::math;

/// A closed interval of `f32`s, or [`I::ANY`] where nothing is known.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct I {
    /// The least value.
    pub lo: f32,
    /// The greatest value.
    pub hi: f32,
}

impl I {
    /// Every value, NaN included: what a bound that failed becomes.
    pub const ANY: I = I {
        lo: f32::NEG_INFINITY,
        hi: f32::INFINITY,
    };

    /// The one value `x`.
    #[must_use]
    pub const fn point(x: f32) -> I {
        I::new(x, x)
    }

    /// `[lo, hi]`, or [`I::ANY`] where a bound is not finite or they cross.
    #[must_use]
    pub const fn new(lo: f32, hi: f32) -> I {
        if lo.is_finite() && hi.is_finite() && lo <= hi {
            I { lo, hi }
        } else {
            I::ANY
        }
    }

    /// Whether the interval is known (finite bounds).
    #[must_use]
    pub const fn is_bounded(self) -> bool {
        self.lo.is_finite() && self.hi.is_finite()
    }

    /// The smallest interval holding both.
    #[must_use]
    pub fn hull(self, other: I) -> I {
        I::new(self.lo.min(other.lo), self.hi.max(other.hi))
    }

    /// Narrowed to `[lo, hi]`, a range known to hold the code's value:
    /// unchanged where nothing is known (it may be a NaN).
    #[must_use]
    pub fn within(self, lo: f32, hi: f32) -> I {
        if self.is_bounded() {
            I::new(self.lo.max(lo), self.hi.min(hi))
        } else {
            self
        }
    }

    /// Whether `x` lies inside.
    #[must_use]
    pub fn contains(self, x: f32) -> bool {
        self.lo <= x && x <= self.hi
    }

    /// `[min, max]` of four corner values, or [`I::ANY`] if one is NaN.
    fn corners(values: [f32; 4]) -> I {
        let mut lo = values[0];
        let mut hi = values[0];
        for v in values {
            if v.is_nan() {
                return I::ANY;
            }
            lo = lo.min(v);
            hi = hi.max(v);
        }
        I::new(lo, hi)
    }
}

impl From<f32> for I {
    fn from(x: f32) -> I {
        I::point(x)
    }
}

impl Add for I {
    type Output = I;
    fn add(self, rhs: I) -> I {
        if !(self.is_bounded() && rhs.is_bounded()) {
            return I::ANY;
        }
        I::new(self.lo + rhs.lo, self.hi + rhs.hi)
    }
}

impl Sub for I {
    type Output = I;
    fn sub(self, rhs: I) -> I {
        if !(self.is_bounded() && rhs.is_bounded()) {
            return I::ANY;
        }
        I::new(self.lo - rhs.hi, self.hi - rhs.lo)
    }
}

impl Mul for I {
    type Output = I;
    fn mul(self, rhs: I) -> I {
        if !(self.is_bounded() && rhs.is_bounded()) {
            return I::ANY;
        }
        I::corners([
            self.lo * rhs.lo,
            self.lo * rhs.hi,
            self.hi * rhs.lo,
            self.hi * rhs.hi,
        ])
    }
}

impl Div for I {
    type Output = I;
    fn div(self, rhs: I) -> I {
        // A divisor that may be zero bounds nothing.
        if !(self.is_bounded() && rhs.is_bounded()) || (rhs.lo <= 0.0 && rhs.hi >= 0.0) {
            return I::ANY;
        }
        I::corners([
            self.lo / rhs.lo,
            self.lo / rhs.hi,
            self.hi / rhs.lo,
            self.hi / rhs.hi,
        ])
    }
}

impl Neg for I {
    type Output = I;
    fn neg(self) -> I {
        if !self.is_bounded() {
            return I::ANY;
        }
        I::new(-self.hi, -self.lo)
    }
}

/// `I op f32` and `f32 op I`, as the emitted code multiplies by a `static`.
macro_rules! with_f32 {
    ($($trait:ident $method:ident),*) => {$(
        impl $trait<f32> for I {
            type Output = I;
            fn $method(self, rhs: f32) -> I {
                self.$method(I::point(rhs))
            }
        }
        impl $trait<I> for f32 {
            type Output = I;
            fn $method(self, rhs: I) -> I {
                I::point(self).$method(rhs)
            }
        }
    )*};
}

with_f32!(Add add, Sub sub, Mul mul, Div div);

/// `x * x`, as [`math::square`] computes it: never below zero.
#[must_use]
pub fn square(x: I) -> I {
    if !x.is_bounded() {
        return I::ANY;
    }
    let (a, b) = (x.lo * x.lo, x.hi * x.hi);
    if x.lo <= 0.0 && x.hi >= 0.0 {
        I::new(0.0, a.max(b))
    } else {
        I::new(a.min(b), a.max(b))
    }
}

/// [`math::relu`]: monotone.
#[must_use]
pub fn relu(x: I) -> I {
    if !x.is_bounded() {
        return I::ANY;
    }
    I::new(math::relu(x.lo), math::relu(x.hi))
}

/// [`math::sqrtf`]: correctly rounded and monotone; a negative bound is
/// NaN in the code, so nothing is concluded.
#[must_use]
pub fn sqrtf(x: I) -> I {
    if !x.is_bounded() || x.lo < 0.0 {
        return I::ANY;
    }
    I::new(math::sqrtf(x.lo), math::sqrtf(x.hi))
}

/// The `f32` one ulp below `x` (towards `-inf`).
fn below(x: f32) -> f32 {
    x.next_down()
}

/// The `f32` one ulp above `x`.
fn above(x: f32) -> f32 {
    x.next_up()
}

/// [`math::expf`]: within 1 ulp of `e^x`, which is monotone, so
/// `expf(x)` for `x` in `[lo, hi]` lies in `[expf(lo) - 1 ulp, expf(hi) +
/// 1 ulp]` (and is never negative).
#[must_use]
pub fn expf(x: I) -> I {
    if !x.is_bounded() {
        return I::ANY;
    }
    if x.lo == x.hi {
        // One input: the code computes exactly this.
        return I::point(math::expf(x.lo));
    }
    I::new(below(math::expf(x.lo)).max(0.0), above(math::expf(x.hi)))
}

/// [`math::erff`]: within 1 ulp of `erf x`, monotone, within `[-1, 1]`.
#[must_use]
pub fn erff(x: I) -> I {
    if !x.is_bounded() {
        return I::ANY;
    }
    if x.lo == x.hi {
        return I::point(math::erff(x.lo));
    }
    I::new(
        below(math::erff(x.lo)).max(-1.0),
        above(math::erff(x.hi)).min(1.0),
    )
}

/// [`math::silu`], operation for operation: `x / (1 + expf(-x))`. Where
/// `expf(-x)` may overflow (`x` below -88.7), the bound is what the code's
/// quotient of `x` by a divisor of at least 1 can be: between `x` and 0,
/// and never below [`SILU_LEAST`].
#[must_use]
pub fn silu(x: I) -> I {
    if x.lo == x.hi {
        return I::point(math::silu(x.lo));
    }
    let bound = x / (1.0 + expf(-x));
    if !bound.is_bounded() && x.is_bounded() {
        return I::new(x.lo.max(SILU_LEAST), x.hi.max(0.0));
    }
    bound
}

/// Below the least the code's `silu` gives: `x / (1 + e^-x)` is least,
/// -0.27846.., at `x` = -1.2785.., and the code's three roundings move it
/// by a relative `2^-21` at most.
pub const SILU_LEAST: f32 = -0.279;

/// [`math::gelu`], operation for operation.
#[must_use]
pub fn gelu(x: I) -> I {
    if x.lo == x.hi {
        return I::point(math::gelu(x.lo));
    }
    x * 0.5 * (1.0 + erff(x * core::f32::consts::FRAC_1_SQRT_2))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `f32` result of an operation on members lies in the interval
    /// of the operation on the intervals.
    #[test]
    fn operations_enclose_their_f32_results() {
        let xs = [-200.0f32, -3.5, -1.0e-3, 0.0, 1.0e-7, 0.7, 2.25, 1.0e4];
        // Points of the interval (clamped: `lo + (hi - lo)` may round past `hi`).
        let grid = |i: I| {
            (0..=16).map(move |n| (i.lo + (i.hi - i.lo) * n as f32 / 16.0).clamp(i.lo, i.hi))
        };
        for &a in &xs {
            for &b in &xs {
                let x = I::new(a.min(b), a.max(b));
                for &c in &xs {
                    let y = I::new(c.min(a), c.max(a));
                    for u in grid(x) {
                        for v in grid(y) {
                            assert!((x + y).contains(u + v));
                            assert!((x - y).contains(u - v));
                            assert!((x * y).contains(u * v));
                            assert!(square(x).contains(u * u));
                            assert!(relu(x).contains(math::relu(u)));
                            assert!(silu(x).contains(math::silu(u)));
                            assert!(gelu(x).contains(math::gelu(u)));
                            assert!(expf(x).contains(math::expf(u)));
                            if (x / y).is_bounded() {
                                assert!((x / y).contains(u / v));
                            }
                            if sqrtf(x).is_bounded() {
                                assert!(sqrtf(x).contains(math::sqrtf(u)));
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn what_may_be_nan_bounds_nothing() {
        assert_eq!(sqrtf(I::new(-1.0, 1.0)), I::ANY);
        assert_eq!(I::point(1.0) / I::new(-1.0, 1.0), I::ANY);
        assert_eq!(I::new(1.0, f32::NAN), I::ANY);
        assert!(!I::ANY.is_bounded());
        assert_eq!(I::point(2.0) * I::point(3.0), I::point(6.0));
    }
}
