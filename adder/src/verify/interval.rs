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

use crate::math;

/// An interval type over `$float`, its corners rounded by `$float`'s own
/// operations: [`I`] for `f32` code, [`I64`](super::interval64::I64) for
/// `f64` code. One definition, so the two cannot drift apart.
macro_rules! closed_interval {
    ($name:ident, $float:ident, $doc:literal) => {
        #[doc = $doc]
        #[derive(Clone, Copy, Debug, PartialEq)]
        pub struct $name {
            /// The least value.
            pub lo: $float,
            /// The greatest value.
            pub hi: $float,
        }

        impl $name {
            /// Every value, NaN included: what a bound that failed becomes.
            pub const ANY: $name = $name {
                lo: $float::NEG_INFINITY,
                hi: $float::INFINITY,
            };

            /// The one value `x`.
            #[must_use]
            pub const fn point(x: $float) -> $name {
                $name::new(x, x)
            }

            /// `[lo, hi]`, or [`Self::ANY`] where a bound is not finite or they cross.
            #[must_use]
            pub const fn new(lo: $float, hi: $float) -> $name {
                if lo.is_finite() && hi.is_finite() && lo <= hi {
                    $name { lo, hi }
                } else {
                    $name::ANY
                }
            }

            /// Whether the interval is known (finite bounds).
            #[must_use]
            pub const fn is_bounded(self) -> bool {
                self.lo.is_finite() && self.hi.is_finite()
            }

            /// The smallest interval holding both.
            #[must_use]
            pub fn hull(self, other: $name) -> $name {
                $name::new(self.lo.min(other.lo), self.hi.max(other.hi))
            }

            /// Narrowed to `[lo, hi]`, a range known to hold the code's value:
            /// unchanged where nothing is known (it may be a NaN).
            #[must_use]
            pub fn within(self, lo: $float, hi: $float) -> $name {
                if self.is_bounded() {
                    $name::new(self.lo.max(lo), self.hi.min(hi))
                } else {
                    self
                }
            }

            /// Whether `x` lies inside.
            #[must_use]
            pub fn contains(self, x: $float) -> bool {
                self.lo <= x && x <= self.hi
            }

            /// `[min, max]` of four corner values, or [`Self::ANY`] if one is NaN.
            fn corners(values: [$float; 4]) -> $name {
                let mut lo = values[0];
                let mut hi = values[0];
                for v in values {
                    if v.is_nan() {
                        return $name::ANY;
                    }
                    lo = lo.min(v);
                    hi = hi.max(v);
                }
                $name::new(lo, hi)
            }
        }

        impl From<$float> for $name {
            fn from(x: $float) -> $name {
                $name::point(x)
            }
        }

        impl core::ops::Add for $name {
            type Output = $name;
            fn add(self, rhs: $name) -> $name {
                if !(self.is_bounded() && rhs.is_bounded()) {
                    return $name::ANY;
                }
                $name::new(self.lo + rhs.lo, self.hi + rhs.hi)
            }
        }

        impl core::ops::Sub for $name {
            type Output = $name;
            fn sub(self, rhs: $name) -> $name {
                if !(self.is_bounded() && rhs.is_bounded()) {
                    return $name::ANY;
                }
                $name::new(self.lo - rhs.hi, self.hi - rhs.lo)
            }
        }

        impl core::ops::Mul for $name {
            type Output = $name;
            fn mul(self, rhs: $name) -> $name {
                if !(self.is_bounded() && rhs.is_bounded()) {
                    return $name::ANY;
                }
                $name::corners([
                    self.lo * rhs.lo,
                    self.lo * rhs.hi,
                    self.hi * rhs.lo,
                    self.hi * rhs.hi,
                ])
            }
        }

        impl core::ops::Div for $name {
            type Output = $name;
            fn div(self, rhs: $name) -> $name {
                // A divisor that may be zero bounds nothing.
                if !(self.is_bounded() && rhs.is_bounded()) || (rhs.lo <= 0.0 && rhs.hi >= 0.0) {
                    return $name::ANY;
                }
                $name::corners([
                    self.lo / rhs.lo,
                    self.lo / rhs.hi,
                    self.hi / rhs.lo,
                    self.hi / rhs.hi,
                ])
            }
        }

        impl core::ops::Neg for $name {
            type Output = $name;
            fn neg(self) -> $name {
                if !self.is_bounded() {
                    return $name::ANY;
                }
                $name::new(-self.hi, -self.lo)
            }
        }

        scalar_operands!($name, $float; Add add, Sub sub, Mul mul, Div div);
    };
}

/// `I op x` and `x op I` for a scalar `x`, as the emitted code multiplies by
/// a `static`.
macro_rules! scalar_operands {
    ($name:ident, $float:ident; $($trait:ident $method:ident),*) => {$(
        impl core::ops::$trait<$float> for $name {
            type Output = $name;
            fn $method(self, rhs: $float) -> $name {
                core::ops::$trait::$method(self, $name::point(rhs))
            }
        }
        impl core::ops::$trait<$name> for $float {
            type Output = $name;
            fn $method(self, rhs: $name) -> $name {
                core::ops::$trait::$method($name::point(self), rhs)
            }
        }
    )*};
}

pub(crate) use {closed_interval, scalar_operands};

closed_interval!(
    I,
    f32,
    "A closed interval of `f32`s, or [`I::ANY`] where nothing is known."
);

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

/// [`math::normed`]: `x * inv`, and never past [`normed_bound`] across
/// (`WIDTH` 0: the macro knows no bound, where `eps` is too small).
#[must_use]
pub fn normed<const WIDTH: usize>(x: I, inv: I) -> I {
    let product = x * inv;
    if WIDTH == 0 || !(x.is_bounded() && inv.is_bounded() && product.is_bounded()) {
        return product;
    }
    let bound = normed_bound(WIDTH);
    I::new(product.lo.max(-bound), product.hi.min(bound))
}

/// The most `|x_i * inv|` can be, where `x` has `width` coordinates and
/// `inv = 1 / sqrtf(sum(square(x_j)) / width + eps)` in `f32`, `eps >= 2^-60`:
/// `x_i^2 <= T = sum(x_j^2)`, and each of the code's `width + 4` roundings
/// (the squares, the sum, `/ width`, `+ eps`, `sqrtf`, `1 /`, `* inv`) moves
/// it by at most `2^-24` relatively, so `|x_i inv| <= sqrt(width) (1 +
/// (width + 7) 2^-24)` where `T >= 2^-100` (the squares' absolute errors
/// below the normal range, `2^-150` each, are under `width 2^-49` of it);
/// below, `|x_i| < 2^-50` and `inv <= 2^31`, so `|x_i inv| < 2^-19`.
/// Rounded up generously: twice the roundings' share.
#[must_use]
pub fn normed_bound(width: usize) -> f32 {
    let width = width as f64;
    // `core` has no `f64` square root: the verifier's upper bound of it.
    let root = crate::verify::real::sqrt(crate::verify::real::R::point(width)).hi;
    let bound = root * (1.0 + 2.0 * (width + 8.0) / 16_777_216.0);
    (bound as f32).next_up()
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

    /// The code's own `x_i * inv` (as an `RMSNorm` and a `LayerNorm` of
    /// the macro compute it) never past `normed_bound`, on vectors whose
    /// coordinates span from subnormal to `1e18`, one coordinate dominant
    /// or all alike; and the bound within 1e-5 of `sqrt(width)`.
    #[test]
    fn normed_products_stay_within_the_bound() {
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for width in 1..=8usize {
            let bound = normed_bound(width);
            assert!((f64::from(bound) / (width as f64).sqrt() - 1.0).abs() < 1e-5);
            let n = width as f32;
            for round in 0..20_000 {
                let x: [f32; 8] = core::array::from_fn(|_| {
                    let r = next();
                    let magnitude = 2f32.powi((r % 200) as i32 - 140);
                    let sign = if r >> 63 == 1 { -1.0 } else { 1.0 };
                    sign * magnitude * (1.0 + (r >> 40) as f32 / (1u64 << 24) as f32)
                });
                let x = if round % 2 == 0 { x } else { [x[0]; 8] };
                for eps in [1e-6f32, 1e-5, 2f32.powi(-60)] {
                    let sum = x[..width].iter().fold(0.0f32, |s, v| s + math::square(*v));
                    let inv = 1.0 / math::sqrtf(sum / n + eps);
                    for &v in &x[..width] {
                        let y = math::normed::<8>(v, inv);
                        assert!(y.abs() <= bound, "{width} {eps} {x:?}: {y} > {bound}");
                    }
                }
            }
        }
        let wide = normed::<3>(I::new(-100.0, 100.0), I::new(0.0, 10.0));
        assert_eq!(wide, I::new(-normed_bound(3), normed_bound(3)));
        let narrow = normed::<3>(I::new(1.0, 1.5), I::new(0.5, 0.75));
        assert_eq!(narrow, I::new(0.5, 1.125));
        assert_eq!(
            normed::<0>(I::new(-100.0, 100.0), I::new(0.0, 10.0)),
            I::new(-1000.0, 1000.0)
        );
    }

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
