//! The affine form, its arithmetic (each operation with the code's
//! rounding), and the mean-value step the functions build on.

use core::ops::{Add, Div, Mul, Neg, Sub};

use super::errors::{self, ERRORS, Errors};
use crate::verify::interval::I;
use crate::verify::real::R;

/// The shared symbols: the most coordinates of heads' outputs it takes.
pub const NOISE: usize = 16;

/// `2^-24`: the `f32` code's relative rounding.
pub(super) const U: f64 = 1.0 / 16_777_216.0;
/// `2^-51`: the coefficients' own rounding, relative to their terms.
pub(super) const SLACK: f64 = 1.0 / 2_251_799_813_685_248.0;
/// `2^-149`, the `f32` rounding's absolute bound below the normal range.
pub(super) const TINY: f64 = 1.401_298_464_324_817e-45;

/// An affine form over [`NOISE`] shared input symbols, error symbols
/// ([`Errors`]) and one of its own.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct A {
    /// The centre.
    pub c: f64,
    /// The coefficients of the shared input symbols.
    pub a: [f64; NOISE],
    /// The error symbols: roundings and remainders it shares with the
    /// other quantities of its evaluation.
    pub e: Errors,
    /// The radius of its own symbol (`inf` where nothing is known).
    pub r: f64,
    /// The interval twin's bound of the same value: the range is the
    /// intersection of both (a reduced product), so what the form loses
    /// in a nonlinear step (`x * x` reaching below zero) the interval keeps.
    pub i: I,
}

impl A {
    /// Nothing known.
    pub const ANY: A = A {
        c: 0.0,
        a: [0.0; NOISE],
        e: Errors::NONE,
        r: f64::INFINITY,
        i: I::ANY,
    };

    /// The one value `x`.
    #[must_use]
    pub const fn point(x: f32) -> A {
        A {
            c: x as f64,
            a: [0.0; NOISE],
            e: Errors::NONE,
            r: 0.0,
            i: I::point(x),
        }
    }

    /// `[lo, hi]` as symbol `i`: the input of one evaluation.
    #[must_use]
    pub fn input(lo: f32, hi: f32, i: usize) -> A {
        let range = R::rounded(f64::from(lo), f64::from(hi));
        let mut a = [0.0; NOISE];
        a[i] = range.rad();
        A {
            c: range.mid(),
            a,
            e: Errors::NONE,
            r: 0.0,
            i: I::new(lo, hi),
        }
    }

    /// Whether the form is known (its interval may be, where it is not).
    #[must_use]
    pub fn is_bounded(&self) -> bool {
        self.r.is_finite() && self.c.is_finite()
    }

    /// The form unknown, its interval kept.
    pub(super) const fn lost(i: I) -> A {
        A { i, ..A::ANY }
    }

    /// The interval as a real range.
    fn hull(&self) -> R {
        if self.i.is_bounded() {
            R::point(f64::from(self.i.lo)).add_hull(R::point(f64::from(self.i.hi)))
        } else {
            R::ANY
        }
    }

    /// The distance from the centre to the range's ends, rounded up.
    pub(super) fn radius(&self) -> f64 {
        let sum: f64 = self.a.iter().map(|x| x.abs()).sum();
        (sum + self.e.sum() + self.r) * (1.0 + SLACK * (NOISE + ERRORS) as f64)
    }

    /// The range, over every value of the symbols: the form's and the
    /// interval's, intersected.
    #[must_use]
    pub fn range(&self) -> R {
        if !self.is_bounded() {
            return self.hull();
        }
        let radius = self.radius();
        R::rounded(self.c - radius, self.c + radius).meet(self.hull())
    }

    /// The values at one point of the shared symbols (`eps[i]` in
    /// `[-1, 1]`), over every value of its own.
    #[must_use]
    pub fn at(&self, eps: &[f64; NOISE]) -> R {
        if !self.is_bounded() {
            return R::ANY;
        }
        let mut centre = self.c;
        let mut terms = self.c.abs();
        for (a, e) in self.a.iter().zip(eps) {
            centre += a * e;
            terms += (a * e).abs();
        }
        let errors = self.e.sum() * (1.0 + SLACK * ERRORS as f64);
        let radius = (self.r + errors + SLACK * terms) * (1.0 + SLACK);
        R::rounded(centre - radius, centre + radius).meet(self.hull())
    }

    /// `self - other` in exact arithmetic, the code rounding nothing: the
    /// margin of two logits that `argmax` compares.
    #[must_use]
    pub fn minus(&self, other: &A) -> R {
        let exact = self.hull().sub(other.hull());
        let form = combine(self, other, 1.0, -1.0, false);
        if form.is_bounded() {
            let radius = form.radius();
            R::rounded(form.c - radius, form.c + radius).meet(exact)
        } else {
            exact
        }
    }

    /// Adds the code's rounding of its `f32` result (a fresh error
    /// symbol), and checks it fits.
    pub(super) fn rounded(mut self, terms: f64) -> A {
        self.r += SLACK * terms;
        let magnitude = self.c.abs() + self.radius();
        let error = (U * magnitude + TINY) * (1.0 + SLACK);
        self.r = (self.r + self.e.push(error)) * (1.0 + SLACK);
        if !(self.is_bounded() && magnitude + error < f64::from(f32::MAX)) {
            return A::lost(self.i);
        }
        self
    }

    /// Adds a remainder `error >= 0` of a nonlinear step as a fresh
    /// error symbol (or to its own radius, where it cannot be kept).
    pub(super) fn widened(mut self, error: f64) -> A {
        self.r = (self.r + self.e.push(error)) * (1.0 + SLACK);
        self
    }
}

/// `wx x + wy y`, exact or rounded as the code rounds.
pub(super) fn combine(x: &A, y: &A, wx: f64, wy: f64, round: bool) -> A {
    if !(x.is_bounded() && y.is_bounded()) {
        return A::ANY;
    }
    let (e, folded, mut terms) = errors::combine(&x.e, &y.e, wx, wy);
    let mut sum = A {
        c: wx * x.c + wy * y.c,
        a: [0.0; NOISE],
        e,
        r: wx.abs() * x.r + wy.abs() * y.r + folded,
        i: I::ANY,
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

/// `x * y` in exact arithmetic (no code rounding added).
pub(super) fn product(x: &A, y: &A) -> A {
    if !(x.is_bounded() && y.is_bounded()) {
        return A::ANY;
    }
    let (rx, ry) = (x.radius(), y.radius());
    // x's terms times y's centre, and y's times x's.
    let (e, folded, mut terms) = errors::combine(&x.e, &y.e, y.c, x.c);
    let mut z = A {
        c: x.c * y.c,
        a: [0.0; NOISE],
        e,
        r: x.c.abs() * y.r + y.c.abs() * x.r + folded,
        i: I::ANY,
    };
    terms += z.c.abs() + z.r;
    for i in 0..NOISE {
        z.a[i] = x.c * y.a[i] + y.c * x.a[i];
        terms += (x.c * y.a[i]).abs() + (y.c * x.a[i]).abs();
    }
    z.r = (z.r + SLACK * terms) * (1.0 + SLACK);
    // (x - x.c) (y - y.c): a remainder of its own.
    z.widened(rx * ry * (1.0 + SLACK))
}

/// `x * w` for a constant `w`, in exact arithmetic (no code rounding
/// added): [`product`] with a point, without merging its empty terms.
fn times(x: &A, w: f64) -> A {
    if !x.is_bounded() {
        return A::ANY;
    }
    let mut z = A {
        c: x.c * w,
        a: x.a.map(|a| a * w),
        e: x.e.scaled(w),
        r: x.r * w.abs(),
        i: I::ANY,
    };
    let terms = z.c.abs() + z.r + z.e.sum() + z.a.iter().map(|a| a.abs()).sum::<f64>();
    z.r = (z.r + SLACK * terms) * (1.0 + SLACK);
    z
}

/// `f(x)` by the mean value theorem about a point `m` of `range` (the
/// centre, or the nearest point of the range to it: the segment from `m`
/// to any value of `x` then stays in `range`): `value` encloses `f` at a
/// point, `slope` encloses `f'` over `range`; the code's result is within
/// `error(greatest |x|, greatest |f|)` of the exact `f`.
pub(super) fn smooth(
    x: &A,
    range: R,
    value: impl Fn(R) -> R,
    slope: R,
    error: impl Fn(f64, f64) -> f64,
) -> A {
    let m = x.c.clamp(range.lo, range.hi);
    let at_m = value(R::point(m));
    if !(x.is_bounded() && at_m.is_bounded() && slope.is_bounded() && range.is_bounded()) {
        return A::ANY;
    }
    let alpha = slope.mid();
    // |x - m| over the range, and the shift of the centre.
    let reach = (m - range.lo).max(range.hi - m) * (1.0 + SLACK);
    let shift = x.c - m;
    let mut z = A {
        c: at_m.mid() + alpha * shift,
        a: [0.0; NOISE],
        e: x.e.scaled(alpha),
        r: alpha.abs() * x.r,
        i: I::ANY,
    };
    let remainder = slope.rad() * reach + at_m.rad();
    let mut terms = at_m.mid().abs() + (alpha * shift).abs() + z.r + z.e.sum() + remainder;
    for i in 0..NOISE {
        z.a[i] = alpha * x.a[i];
        terms += z.a[i].abs();
    }
    let greatest_f = at_m.mag() + slope.mag() * reach;
    let greatest_x = range.mag();
    z.r = (z.r + SLACK * terms) * (1.0 + SLACK);
    // What the slope's spread, f(m)'s enclosure and the code's error add:
    // a remainder of its own.
    let z = z.widened((remainder + error(greatest_x, greatest_f)) * (1.0 + 2.0 * SLACK));
    if z.r.is_finite() { z } else { A::ANY }
}

impl Add for A {
    type Output = A;
    fn add(self, rhs: A) -> A {
        let i = self.i + rhs.i;
        A {
            i,
            ..combine(&self, &rhs, 1.0, 1.0, true)
        }
    }
}

impl Sub for A {
    type Output = A;
    fn sub(self, rhs: A) -> A {
        let i = self.i - rhs.i;
        A {
            i,
            ..combine(&self, &rhs, 1.0, -1.0, true)
        }
    }
}

impl Mul for A {
    type Output = A;
    fn mul(self, rhs: A) -> A {
        let i = self.i * rhs.i;
        let z = product(&self, &rhs);
        let terms = z.c.abs() + z.radius();
        A {
            i,
            ..z.rounded(terms)
        }
    }
}

impl Div for A {
    type Output = A;
    fn div(self, rhs: A) -> A {
        // `x * (1 / y)` exactly, then the code's one rounding.
        let i = self.i / rhs.i;
        let range = rhs.range();
        if !rhs.is_bounded() || !range.is_bounded() || (range.lo <= 0.0 && range.hi >= 0.0) {
            return A::lost(i);
        }
        let slope = range.mul(range).recip().neg();
        let recip = smooth(&rhs, range, R::recip, slope, |_, _| 0.0);
        let z = product(&self, &recip);
        let terms = z.c.abs() + z.radius();
        A {
            i,
            ..z.rounded(terms)
        }
    }
}

impl Neg for A {
    type Output = A;
    fn neg(self) -> A {
        A {
            c: -self.c,
            a: self.a.map(|x| -x),
            e: self.e.scaled(-1.0),
            r: self.r,
            i: -self.i,
        }
    }
}

/// `A op f32` and `f32 op A`, as the emitted code multiplies by a `static`.
macro_rules! with_f32 {
    ($($trait:ident $method:ident),*) => {$(
        impl $trait<f32> for A {
            type Output = A;
            fn $method(self, rhs: f32) -> A {
                self.$method(A::point(rhs))
            }
        }
        impl $trait<A> for f32 {
            type Output = A;
            fn $method(self, rhs: A) -> A {
                A::point(self).$method(rhs)
            }
        }
    )*};
}

with_f32!(Add add, Sub sub, Div div);

/// `x * w` and `w * x` (the same `f32` product): the emitted code's
/// every weight, so its own path.
impl Mul<f32> for A {
    type Output = A;
    fn mul(self, rhs: f32) -> A {
        let i = self.i * I::point(rhs);
        let z = times(&self, f64::from(rhs));
        let terms = z.c.abs() + z.radius();
        A {
            i,
            ..z.rounded(terms)
        }
    }
}

impl Mul<A> for f32 {
    type Output = A;
    fn mul(self, rhs: A) -> A {
        rhs * self
    }
}
