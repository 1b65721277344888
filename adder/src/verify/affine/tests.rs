use super::*;
use crate::math;

/// A splitmix64 stream of `f32`s in `[lo, hi]`.
struct Points(u64);

impl Points {
    fn next(&mut self, lo: f32, hi: f32) -> f32 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        let t = ((z ^ (z >> 31)) >> 40) as f32 / 16_777_216.0;
        (lo + (hi - lo) * t).clamp(lo, hi)
    }
}

/// An RMS norm, a gated MLP and a difference of two "logits", as the
/// emitted code writes them, generic over the number type.
macro_rules! network {
    ($x:expr, $sqrtf:path, $square:path, $silu:path, $gelu:path, $relu:path, $lit:path) => {{
        let x = $x;
        let inv = $lit(1.0)
            / $sqrtf(($square(x[0]) + $square(x[1]) + $square(x[2])) / $lit(3.0) + $lit(0.000001));
        let n = [x[0] * inv * 1.5f32, x[1] * inv * -0.75f32, x[2] * inv];
        let gate = $silu(n[0] * 2.0f32 - n[1]) * (n[2] + 0.5f32 * n[1]);
        let g = $gelu(n[1] * 3.0f32 + n[2]);
        let r = $relu(n[0] - n[2] * 0.25f32);
        [
            gate * 4.0f32 + g - r,
            gate * 3.5f32 - g + r * 2.0f32,
            x[0] / (x[1] * x[1] + $lit(1.0)),
        ]
    }};
}

fn code(x: [f32; 3]) -> [f32; 3] {
    let lit = |v: f32| v;
    network!(
        x,
        math::sqrtf,
        math::square,
        math::silu,
        math::gelu,
        math::relu,
        lit
    )
}

#[allow(clippy::needless_pass_by_value, clippy::large_types_passed_by_value)] // as the network reads it
fn twin(x: [A; 3]) -> [A; 3] {
    network!(x, sqrtf, square, silu, gelu, relu, A::point)
}

/// At every point of the inputs' box, the code's `f32` results lie in the
/// affine forms at that point, and their difference in `minus`'s.
#[test]
fn forms_enclose_the_code_at_every_point() {
    let mut points = Points(7);
    let boxes: [[(f32, f32); 3]; 4] = [
        [(0.5, 0.6), (-2.0, -1.9), (3.0, 3.2)],
        [(-1.0, 1.0), (0.1, 0.4), (-5.0, 5.0)],
        [(10.0, 10.0), (-0.3, 0.2), (1e-3, 2e-3)],
        [(-40.0, 35.0), (2.0, 9.0), (-7.0, -6.5)],
    ];
    let mut width = 0.0f64;
    for bounds in boxes {
        let inputs = core::array::from_fn(|i| A::input(bounds[i].0, bounds[i].1, i));
        let out = twin(inputs);
        let margin = out[0].minus(&out[1]);
        for _ in 0..2_000 {
            let x: [f32; 3] = core::array::from_fn(|i| points.next(bounds[i].0, bounds[i].1));
            let mut eps = [0.0; NOISE];
            for i in 0..3 {
                let range = inputs[i].a[i];
                eps[i] = if range == 0.0 {
                    0.0
                } else {
                    (f64::from(x[i]) - inputs[i].c) / range
                };
                eps[i] = eps[i].clamp(-1.0, 1.0);
            }
            let y = code(x);
            for (form, value) in out.iter().zip(y) {
                let at = form.at(&eps);
                assert!(
                    at.lo <= f64::from(value) && f64::from(value) <= at.hi,
                    "{x:?}: {value} outside {at:?}"
                );
            }
            let m = margin;
            let d = f64::from(y[0]) - f64::from(y[1]);
            assert!(m.lo <= d && d <= m.hi, "{x:?}: margin {d} outside {m:?}");
        }
        // The narrow boxes keep their forms (the wide ones may fall back
        // to their intervals, where a norm's denominator nears zero).
        if bounds.iter().all(|(lo, hi)| hi - lo < 1.0) {
            for form in &out {
                assert!(form.is_bounded(), "{bounds:?}: {form:?}");
            }
        }
        width = width.max(out[2].range().rad());
    }
    assert!(width.is_finite());
}

/// A narrow box: the forms are tight (first order), where intervals of the
/// same code are not.
#[test]
fn a_narrow_box_gives_a_narrow_margin() {
    let inputs = [
        A::input(0.5, 0.5001, 0),
        A::input(-2.0, -1.9999, 1),
        A::input(3.0, 3.0001, 2),
    ];
    let out = twin(inputs);
    let margin = out[0].minus(&out[1]);
    assert!(margin.hi - margin.lo < 0.01, "{margin:?}");
}

#[test]
fn what_may_be_nan_or_overflow_bounds_nothing() {
    assert!(!sqrtf(A::input(-1.0, 1.0, 0)).is_bounded());
    assert!(!(A::point(1.0) / A::input(-1.0, 1.0, 0)).is_bounded());
    assert!(!(A::point(3e38) * A::point(10.0)).is_bounded());
    assert_eq!(relu(A::input(-3.0, -1.0, 0)), A::point(0.0));
}

/// A tied head over a normed 2-vector, as the G1 models compute theirs:
/// two logits near `1e5` whose difference is near a tenth.
macro_rules! head {
    ($x:expr, $sqrtf:path, $square:path, $lit:path) => {{
        let x = $x;
        let inv = $lit(1.0) / $sqrtf(($square(x[0]) + $square(x[1])) / $lit(2.0) + $lit(0.000_001));
        let n = [x[0] * inv * 70.71f32, x[1] * inv * -14.14f32];
        [n[0] * 999.999f32 - n[1], n[0] * 999.996f32 + n[1] * -2.0f32]
    }};
}

/// Every rounding of the norm reaches both logits alike: kept as one
/// symbol, it cancels in their difference, which then stays within a few
/// of the logits' own roundings (`2^-24` of `1e5` is `0.006`) over a box
/// as narrow as the G1 models' attention leaves, and holds the code's
/// difference at every point of it.
#[cfg(feature = "std")] // without it, errors are each form's own
#[test]
fn roundings_two_logits_share_cancel_in_their_difference() {
    let lit = |v: f32| v;
    let code = |x: [f32; 2]| head!(x, math::sqrtf, math::square, lit);
    let (lo, hi) = ([999.99f32, 188.9], [1000.0f32, 189.0]);
    let inputs = [A::input(lo[0], hi[0], 0), A::input(lo[1], hi[1], 1)];
    let out = head!(inputs, sqrtf, square, A::point);
    let margin = out[0].minus(&out[1]);
    let mut points = Points(3);
    for _ in 0..20_000 {
        let x = [points.next(lo[0], hi[0]), points.next(lo[1], hi[1])];
        let y = code(x);
        let d = f64::from(y[0]) - f64::from(y[1]);
        assert!(
            margin.lo <= d && d <= margin.hi,
            "{x:?}: {d} outside {margin:?}"
        );
    }
    assert!(margin.hi - margin.lo < 0.1, "{margin:?}");
}

/// A long chain of roundings (more error symbols than a form keeps, so the
/// least are folded into its own radius), two quantities that share most of
/// them: both forms and their difference hold the code at every point.
#[test]
fn folded_errors_still_enclose_the_code() {
    macro_rules! chain {
        ($x:expr, $y:expr) => {{
            let (mut x, mut y) = ($x, $y);
            for n in 0..100u16 {
                let w = 1.0f32 + f32::from(n) * 1e-3;
                x = x * w + y * 0.3f32;
                y = y * 0.9f32 - x * (0.01f32 * w);
            }
            [x, y, x * 2.0f32 - y]
        }};
    }
    let (lo, hi) = ([0.9f32, -1.1], [1.0f32, -1.0]);
    let out = chain!(A::input(lo[0], hi[0], 0), A::input(lo[1], hi[1], 1));
    assert!(out.iter().all(A::is_bounded), "{out:?}");
    if cfg!(feature = "std") {
        assert!(out[0].e.coefficients().len() == ERRORS, "the fold is taken");
    }
    let margin = out[0].minus(&out[2]);
    let mut points = Points(5);
    for _ in 0..5_000 {
        let x = [points.next(lo[0], hi[0]), points.next(lo[1], hi[1])];
        let mut eps = [0.0; NOISE];
        for i in 0..2 {
            let input = A::input(lo[i], hi[i], i);
            eps[i] = ((f64::from(x[i]) - input.c) / input.a[i]).clamp(-1.0, 1.0);
        }
        let y = chain!(x[0], x[1]);
        for (form, value) in out.iter().zip(y) {
            let at = form.at(&eps);
            assert!(
                at.lo <= f64::from(value) && f64::from(value) <= at.hi,
                "{x:?}"
            );
        }
        let d = f64::from(y[0]) - f64::from(y[2]);
        assert!(
            margin.lo <= d && d <= margin.hi,
            "{x:?}: {d} outside {margin:?}"
        );
    }
}
