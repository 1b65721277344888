use super::*;
use crate::float::relu_f64;

/// A splitmix64 stream of `f64`s in `[0, 1)`.
fn stream(mut seed: u64) -> impl FnMut() -> f64 {
    move || {
        seed = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// fblissjr's carry and overflow hinges, `2e11 (relu(s - 1 + 1e-11) -
/// relu(s - 1 + 0.5e-11)) - 2e12 (relu(x + s - 10 + 1e-11) - relu(x + s -
/// 10 + 0.5e-11))`, as the code computes them at random points of a box of
/// `s`, inside the form's range; and the range narrow (under 0.5: the
/// code's own roundings near `2e13` are `2e-3` each) where every hinge is
/// on, where an interval's is `4e11` wide.
#[test]
fn forms_hold_the_code_and_cancel_the_hinges() {
    let code = |x: f64, s: f64| {
        let (h0, h1) = (relu_f64(s + (-1.0 + 1e-11)), relu_f64(s + (-1.0 + 0.5e-11)));
        let (h2, h3) = (
            relu_f64(x + s + (-10.0 + 1e-11)),
            relu_f64(x + s + (-10.0 + 0.5e-11)),
        );
        2e11 * h0 + -2e11 * h1 + -2e12 * h2 + 2e12 * h3
    };
    let form = |x: A64, s: A64| {
        let (h0, h1) = (relu(s + (-1.0 + 1e-11)), relu(s + (-1.0 + 0.5e-11)));
        let (h2, h3) = (
            relu(x + s + (-10.0 + 1e-11)),
            relu(x + s + (-10.0 + 0.5e-11)),
        );
        2e11 * h0 + -2e11 * h1 + -2e12 * h2 + 2e12 * h3
    };
    let mut next = stream(7);
    for (lo, hi, all_on) in [
        (1.81, 1.82, true),
        (1.0, 1.1, true),
        (0.0, 0.999, false),
        (0.9, 1.2, false),
        (-3.0, 5.0, false),
    ] {
        let x = 18.0;
        let out = form(A64::point(x), A64::input(lo, hi, 1));
        let (min, max) = out.range();
        for _ in 0..20_000 {
            let s = (lo + (hi - lo) * next()).clamp(lo, hi);
            let y = code(x, s);
            assert!(
                min <= y && y <= max,
                "[{lo}, {hi}]: {y} outside [{min}, {max}]"
            );
        }
        if all_on {
            assert!(max - min < 0.5, "[{lo}, {hi}]: [{min}, {max}]");
        }
    }
}

/// Sums, products, negations and `relu` of forms over two shared symbols
/// hold the code's `f64` results at random points, at magnitudes from
/// `1e-30` to `1e30`; and the difference of two forms holds the exact one.
#[test]
fn operations_hold_their_f64_results() {
    let mut next = stream(11);
    for _ in 0..300 {
        let scale = [1e-30, 1.0, 1e30][(next() * 3.0) as usize];
        let (lo0, lo1) = ((next() - 0.5) * scale, (next() - 0.5) * scale);
        let (hi0, hi1) = (lo0 + next() * scale, lo1 + next() * scale);
        let (x, y) = (A64::input(lo0, hi0, 0), A64::input(lo1, hi1, 1));
        let weight = (next() - 0.5) * 1e3;
        let forms = [
            x + y,
            x - y,
            x * y,
            -x,
            weight * x + y,
            relu(x - y),
            x * weight - 2.0,
            (x + y) * (x - y),
        ];
        for _ in 0..200 {
            let (u, v) = (lo0 + (hi0 - lo0) * next(), lo1 + (hi1 - lo1) * next());
            let (u, v) = (u.clamp(lo0, hi0), v.clamp(lo1, hi1));
            let values = [
                u + v,
                u - v,
                u * v,
                -u,
                weight * u + v,
                relu_f64(u - v),
                u * weight - 2.0,
                (u + v) * (u - v),
            ];
            for (form, value) in forms.iter().zip(values) {
                let (min, max) = form.range();
                assert!(
                    min <= value && value <= max,
                    "{value} outside [{min}, {max}]"
                );
            }
            let (min, max) = forms[0].minus(&forms[1]);
            let exact = (u + v) - (u - v);
            assert!(
                min <= exact && exact <= max,
                "{exact} outside [{min}, {max}]"
            );
        }
    }
    assert_eq!(A64::input(1.0, f64::NAN, 0).range().0, f64::NEG_INFINITY);
    let (lo, hi) = (A64::point(2.0) * A64::point(3.0)).range();
    assert!(lo <= 6.0 && 6.0 <= hi && hi - lo < 1e-14);
}
