//! Intervals of real numbers with `f64` bounds rounded outward: what the
//! affine forms ([`super::affine`]) bound a function's exact value and
//! slope with. Unlike [`super::interval::I`], which encloses the `f32`
//! code's results, an [`R`] encloses an exact real quantity: each operation
//! widens its bounds by more than the `f64` rounding it did (a relative
//! `2^-53`), and `exp`, `erf` and `sqrt` come from the crate's `f32` math
//! with its error bound (within 1 ulp; 2 ulps allowed) taken outward.

use crate::math;

/// `[lo, hi]` holding an exact real number; `lo = -inf, hi = inf` where
/// nothing is known.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct R {
    /// The least value.
    pub lo: f64,
    /// The greatest value.
    pub hi: f64,
}

/// Outward widening of a bound computed with a few `f64` roundings.
const WIDEN: f64 = 1.0 / 1_125_899_906_842_624.0; // 2^-50

impl R {
    pub(crate) const ANY: R = R {
        lo: f64::NEG_INFINITY,
        hi: f64::INFINITY,
    };

    /// The exact value `x`.
    pub(crate) const fn point(x: f64) -> R {
        R { lo: x, hi: x }
    }

    /// `[lo, hi]` computed with rounding: widened outward; `ANY` where a
    /// bound is NaN.
    pub(crate) fn rounded(lo: f64, hi: f64) -> R {
        if lo.is_nan() || hi.is_nan() || lo > hi {
            return R::ANY;
        }
        R {
            lo: lo - lo.abs() * WIDEN - f64::MIN_POSITIVE,
            hi: hi + hi.abs() * WIDEN + f64::MIN_POSITIVE,
        }
    }

    /// The smallest interval holding both.
    pub(crate) fn add_hull(self, o: R) -> R {
        R {
            lo: self.lo.min(o.lo),
            hi: self.hi.max(o.hi),
        }
    }

    /// The intersection (both hold the value); `ANY` if they do not meet,
    /// which only a wrong bound could cause, and then nothing is concluded.
    pub(crate) fn meet(self, o: R) -> R {
        let (lo, hi) = (self.lo.max(o.lo), self.hi.min(o.hi));
        if lo <= hi { R { lo, hi } } else { R::ANY }
    }

    pub(crate) fn is_bounded(self) -> bool {
        self.lo.is_finite() && self.hi.is_finite()
    }

    pub(crate) fn mid(self) -> f64 {
        self.lo / 2.0 + self.hi / 2.0
    }

    /// Half the width, rounded up.
    pub(crate) fn rad(self) -> f64 {
        (self.hi / 2.0 - self.lo / 2.0) * (1.0 + WIDEN)
    }

    /// The greatest magnitude.
    pub(crate) fn mag(self) -> f64 {
        self.lo.abs().max(self.hi.abs())
    }

    pub(crate) fn add(self, o: R) -> R {
        R::rounded(self.lo + o.lo, self.hi + o.hi)
    }

    pub(crate) fn sub(self, o: R) -> R {
        R::rounded(self.lo - o.hi, self.hi - o.lo)
    }

    pub(crate) fn neg(self) -> R {
        R {
            lo: -self.hi,
            hi: -self.lo,
        }
    }

    pub(crate) fn mul(self, o: R) -> R {
        let p = [
            self.lo * o.lo,
            self.lo * o.hi,
            self.hi * o.lo,
            self.hi * o.hi,
        ];
        R::rounded(
            p.iter().fold(f64::INFINITY, |m, &x| m.min(x)),
            p.iter().fold(f64::NEG_INFINITY, |m, &x| m.max(x)),
        )
    }

    /// `1 / self`, for an interval that holds no zero.
    pub(crate) fn recip(self) -> R {
        if self.lo <= 0.0 && self.hi >= 0.0 {
            return R::ANY;
        }
        R::rounded(1.0 / self.hi, 1.0 / self.lo)
    }

    pub(crate) fn scale(self, k: f64) -> R {
        self.mul(R::point(k))
    }
}

/// The `f32` at or below `x`, and at or above it.
pub(crate) fn f32_down(x: f64) -> f32 {
    let y = x as f32;
    if f64::from(y) > x { y.next_down() } else { y }
}

pub(crate) fn f32_up(x: f64) -> f32 {
    let y = x as f32;
    if f64::from(y) < x { y.next_up() } else { y }
}

/// A monotone increasing function of the crate's `f32` math, within 2
/// ulps: its exact value over `x`, outward.
fn increasing(x: R, f: fn(f32) -> f32) -> R {
    if !x.is_bounded() {
        return R::ANY;
    }
    let lo = f(f32_down(x.lo)).next_down().next_down();
    let hi = f(f32_up(x.hi)).next_up().next_up();
    R::rounded(f64::from(lo), f64::from(hi))
}

/// `e^x`.
pub(crate) fn exp(x: R) -> R {
    let e = increasing(x, math::expf);
    R {
        lo: e.lo.max(0.0),
        hi: e.hi,
    }
}

/// `erf x`.
pub(crate) fn erf(x: R) -> R {
    let e = increasing(x, math::erff);
    R {
        lo: e.lo.max(-1.0),
        hi: e.hi.min(1.0),
    }
}

/// `sqrt x` for `x >= 0` (correctly rounded in `f32`; 2 ulps allowed).
pub(crate) fn sqrt(x: R) -> R {
    if x.lo < 0.0 {
        return R::ANY;
    }
    increasing(x, math::sqrtf)
}

/// `1 / (1 + e^-x)`.
pub(crate) fn sigmoid(x: R) -> R {
    R::point(1.0).add(exp(x.neg())).recip()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_hold_the_exact_values() {
        for &x in &[-30.0f64, -2.5, -0.1, 0.0, 0.3, 1.0, 7.0] {
            let r = R::point(x);
            assert!(exp(r).lo <= libm::exp(x) && libm::exp(x) <= exp(r).hi);
            assert!(erf(r).lo <= libm::erf(x) && libm::erf(x) <= erf(r).hi);
            let s = 1.0 / (1.0 + libm::exp(-x));
            assert!(sigmoid(r).lo <= s && s <= sigmoid(r).hi);
            if x >= 0.0 {
                assert!(sqrt(r).lo <= libm::sqrt(x) && libm::sqrt(x) <= sqrt(r).hi);
            }
        }
        let third = R::point(1.0).mul(R::point(3.0).recip());
        assert!(third.lo < 1.0 / 3.0 && 1.0 / 3.0 < third.hi);
    }
}
