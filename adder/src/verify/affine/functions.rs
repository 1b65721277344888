//! The functions of [`crate::math`] the emitted code calls, over affine
//! forms: each the mean-value step (or a chord, for `relu`) with the
//! function's slope enclosed over the form's range, and the code's own
//! rounding of it.

use super::form::{A, SLACK, TINY, U, combine, smooth};
use crate::verify::interval;
use crate::verify::real::{self, R};

/// [`crate::math::square`]: `x * x`, its two factors the same.
#[must_use]
pub fn square(x: A) -> A {
    let i = interval::square(x.i);
    if !x.is_bounded() {
        return A::lost(i);
    }
    let radius = x.radius();
    let half = radius * radius / 2.0;
    // x.c^2 + 2 x.c (x - x.c) + (x - x.c)^2, the last in [0, 2 half].
    let mut z = A {
        c: x.c * x.c + half,
        a: x.a.map(|a| 2.0 * x.c * a),
        e: x.e.scaled(2.0 * x.c),
        r: 2.0 * x.c.abs() * x.r,
        i,
    };
    let terms = x.c * x.c + half + 2.0 * x.c.abs() * radius + z.r;
    z.r *= 1.0 + SLACK;
    z.widened(half * (1.0 + SLACK)).rounded(terms)
}

/// [`crate::math::relu`]: the chord over the range where it bends.
#[must_use]
pub fn relu(x: A) -> A {
    let i = interval::relu(x.i);
    let range = x.range();
    if !range.is_bounded() {
        return A::lost(i);
    }
    if range.lo >= 0.0 {
        return A { i, ..x };
    }
    if range.hi <= 0.0 {
        return A::point(0.0);
    }
    if !x.is_bounded() {
        return A::lost(i);
    }
    // relu(x) in [l x + m - m, l x + m + m] with l = hi / (hi - lo), m = -l lo / 2.
    let lambda = range.hi / (range.hi - range.lo);
    let mu = -lambda * range.lo / 2.0;
    let mut z = combine(&x, &A::point(0.0), lambda, 0.0, false);
    z.c += mu;
    z.r = (z.r + SLACK * (range.mag() + mu)) * (1.0 + SLACK);
    A {
        i,
        ..z.widened(mu * (1.0 + SLACK))
    }
}

/// [`crate::math::sqrtf`]: correctly rounded; NaN (so [`A::ANY`]) where
/// the range reaches below zero.
#[must_use]
pub fn sqrtf(x: A) -> A {
    let i = interval::sqrtf(x.i);
    let range = x.range();
    if !range.is_bounded() || range.lo < 0.0 {
        return A::ANY;
    }
    if !x.is_bounded() {
        return A::lost(i);
    }
    let ends = real::sqrt(range);
    let slope = if range.lo > 0.0 {
        R::point(0.5).mul(ends.recip())
    } else {
        R::ANY
    };
    let error = |_: f64, f: f64| U * f + TINY;
    if slope.is_bounded() {
        A {
            i,
            ..smooth(&x, range, real::sqrt, slope, error)
        }
    } else {
        // Down to zero the slope is unbounded: the range alone.
        let mut z = A::point(0.0);
        z.c = ends.mid();
        z.r = (ends.rad() + error(0.0, ends.hi)) * (1.0 + SLACK);
        A { i, ..z }
    }
}

/// [`crate::math::silu`], `x / (1 + expf(-x))`: within a relative `2^-21`
/// of `x sigmoid(x)` (one ulp of `expf`, two roundings), and `2^-140`
/// below the normal range; below `-80` (where `expf(-x)` may overflow and
/// the code give `-0`) within `|x| e^x < 2^-105` of it. `silu' = s (1 + x
/// (1 - s))`, `s` the sigmoid.
#[must_use]
pub fn silu(x: A) -> A {
    let i = interval::silu(x.i);
    let range = x.range();
    if !x.is_bounded() || !range.is_bounded() {
        return A::lost(i);
    }
    let tail = if range.lo < -80.0 { 2.5e-32 } else { 1e-42 };
    let value = |t: R| t.mul(real::sigmoid(t));
    let s = real::sigmoid(range);
    let slope = s.mul(R::point(1.0).add(range.mul(R::point(1.0).sub(s))));
    A {
        i,
        ..smooth(&x, range, value, slope, |_, f| f * 4.8e-7 + tail)
    }
}

/// [`crate::math::normed`]: `x * inv`, its interval never past
/// [`interval::normed_bound`] across (the range is the form's and the
/// interval's, intersected).
#[must_use]
pub fn normed<const WIDTH: usize>(x: A, inv: A) -> A {
    let i = interval::normed::<WIDTH>(x.i, inv.i);
    let product = x * inv;
    if !product.is_bounded() {
        return A::lost(i);
    }
    A { i, ..product }
}

/// [`crate::math::gelu`], `x * 0.5 * (1 + erff(x / sqrt 2))`; `gelu' =
/// Phi(x) + x phi(x)`. The code is within `|x| / 2 (1.6 |x| u + 2^-22) +
/// 2 u |gelu|` of it: the argument's two roundings (the `f32` constant's
/// and the product's) move `erf` by at most `1.13 |t| 2u`, `erff` is
/// within 2 ulps, `1 + erff` rounds once, then the product.
#[must_use]
pub fn gelu(x: A) -> A {
    let i = interval::gelu(x.i);
    let range = x.range();
    if !x.is_bounded() || !range.is_bounded() {
        return A::lost(i);
    }
    let root_half = R::rounded(
        core::f64::consts::FRAC_1_SQRT_2,
        core::f64::consts::FRAC_1_SQRT_2,
    );
    let phi_big = |t: R| R::point(0.5).mul(R::point(1.0).add(real::erf(t.mul(root_half))));
    let value = |t: R| t.mul(phi_big(t));
    let inv_root_two_pi = R::rounded(0.398_942_280_401_432_7, 0.398_942_280_401_432_7);
    let density = real::exp(range.mul(range).scale(-0.5)).mul(inv_root_two_pi);
    let slope = phi_big(range).add(range.mul(density));
    let error = |greatest: f64, f: f64| {
        greatest / 2.0 * (1.6 * greatest * U + 2.4e-7) + 2.0 * U * f + 1e-42
    };
    A {
        i,
        ..smooth(&x, range, value, slope, error)
    }
}
