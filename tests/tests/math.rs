//! `adder::math` against `libm`, the library that does the same at run time,
//! and against `f64` for the error in ulps.
//!
//! Measured (this test asserts it): `exp` (`f64`), `expf`, `sinf`, `cosf` and `erff` return
//! the same bits as `libm` 0.2 on every input tried, and are at most 1 ulp from
//! the correctly rounded value; `sqrtf` returns the bits of `libm::sqrtf` on
//! every `f32` (the ignored test tries all 2^32), and `sqrt` those of `libm::sqrt` on
//! tens of millions of `f64`; `gelu` and `silu` return the
//! bits of the same formulas written with `libm`, within 3 ulp.

use adder::math::{
    TRIG_MAX_BITS, cosf, erff, exp, expf, gelu, silu, sinf, sqrt, sqrtf, sqrtf_by_f32, sqrtf_by_f64,
};

/// Every `stride`-th `f32` bit pattern, both signs, up to `max_bits`.
fn inputs(max_bits: u32, stride: u32) -> impl Iterator<Item = f32> {
    (0..max_bits)
        .step_by(stride as usize)
        .flat_map(|bits| [f32::from_bits(bits), -f32::from_bits(bits)])
}

/// Distance in ulps between `ours` and the exact value `exact`.
fn ulps(ours: f32, exact: f64) -> f64 {
    let rounded = exact as f32;
    if ours == rounded {
        return 0.0;
    }
    let ulp = f64::from(f32::from_bits(rounded.abs().to_bits() + 1) - rounded.abs());
    (f64::from(ours) - exact).abs() / ulp
}

/// Every `f64` from `from` to `to` (bit patterns of one sign) at `stride`,
/// both signs.
fn inputs_f64(from: u64, to: u64, stride: u64) -> impl Iterator<Item = f64> {
    (from..to)
        .step_by(usize::try_from(stride).unwrap())
        .flat_map(|bits| [f64::from_bits(bits), -f64::from_bits(bits)])
}

#[test]
fn exp_is_libm_exp_bit_for_bit() {
    let mut count = 0u64;
    let mut off_std = 0u64;
    // |x| < 768 at an odd stride of bit patterns (every exponent, mantissas
    // spread), every f64 near e_exp.c's thresholds (its high-word tests at
    // 2^-28, 0.5 ln 2, 1.5 ln 2 and 708.39; subnormal results, overflow,
    // underflow), and the specials.
    let thresholds = [
        0x3e30_0001_0000_0000u64,
        0x3fd6_2e43_0000_0000,
        0x3ff0_a2b2_0000_0000,
        0x4086_232b_0000_0000,
        0x4086_232b_dd7a_bcd2,
        0x4086_2e42_fefa_39ef,
        0x4087_4910_d52d_3051,
    ];
    let near = thresholds
        .iter()
        .flat_map(|&t| inputs_f64(t - 200_000, t + 200_000, 1));
    let specials = [
        0.0,
        -0.0,
        1.0,
        -1.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MAX,
        f64::MIN,
    ];
    for x in inputs_f64(0, 0x4088_0000_0000_0000, (1 << 36) + 0x9e37_79b9)
        .chain(near)
        .chain(specials)
    {
        let (ours, theirs) = (exp(x), libm::exp(x));
        assert_eq!(
            ours.to_bits(),
            theirs.to_bits(),
            "exp({x:e}): {ours:e} vs libm {theirs:e}"
        );
        // Within 1 ulp of the platform's own exp (correctly rounded nearly
        // everywhere), where the result is normal.
        if ours.is_normal() {
            let other = x.exp();
            let apart = ours.to_bits().abs_diff(other.to_bits());
            assert!(apart <= 1, "exp({x:e}): {ours:e} vs std {other:e}");
            off_std += u64::from(apart == 1);
        }
        count += 1;
    }
    assert!(exp(f64::NAN).is_nan());
    eprintln!("exp: {count} inputs, bit-identical to libm; {off_std} 1 ulp from std's");
}

#[test]
fn expf_is_libm_expf_bit_for_bit() {
    let mut worst: f64 = 0.0;
    let mut count = 0;
    // All of |x| < 128 at a stride of 7 bit patterns, the specials, and the
    // softmax's range, where scores lie 1e5 apart.
    let specials = [
        0.0,
        -0.0,
        88.72283,
        88.72284,
        -87.33655,
        -103.972_08,
        -103.972_09,
        -1e5,
        f32::INFINITY,
        f32::NEG_INFINITY,
    ];
    for x in inputs(0x4300_0000, 7).chain(specials) {
        let (ours, theirs) = (expf(x), libm::expf(x));
        assert_eq!(
            ours.to_bits(),
            theirs.to_bits(),
            "expf({x:e}): {ours:e} vs libm {theirs:e}"
        );
        if ours.is_finite() && ours > f32::MIN_POSITIVE {
            worst = worst.max(ulps(ours, f64::from(x).exp()));
        }
        count += 1;
    }
    assert!(expf(f32::NAN).is_nan());
    eprintln!("expf: {count} inputs, bit-identical to libm; worst error {worst:.3} ulp");
    assert!(worst < 1.0);
}

#[test]
fn sinf_and_cosf_are_libm_bit_for_bit_within_their_range() {
    let mut worst: f64 = 0.0;
    let mut count = 0;
    for x in inputs(TRIG_MAX_BITS, 97) {
        let (ours, theirs) = (sinf(x), libm::sinf(x));
        assert_eq!(ours.to_bits(), theirs.to_bits(), "sinf({x:e})");
        let (ours_cos, theirs_cos) = (cosf(x), libm::cosf(x));
        assert_eq!(ours_cos.to_bits(), theirs_cos.to_bits(), "cosf({x:e})");
        if f64::from(ours).abs() > 1e-30 {
            worst = worst.max(ulps(ours, f64::from(x).sin()));
        }
        if f64::from(ours_cos).abs() > 1e-30 {
            worst = worst.max(ulps(ours_cos, f64::from(x).cos()));
        }
        count += 1;
    }
    eprintln!("sinf/cosf: {count} inputs each, bit-identical to libm; worst error {worst:.3} ulp");
    assert!(worst < 1.0);
    // Beyond the exactly reduced range: NaN, never a wrong number.
    let beyond = f32::from_bits(TRIG_MAX_BITS);
    assert!(sinf(beyond).is_nan() && cosf(-beyond).is_nan());
}

/// Checks `sqrtf` and both its ports (the one this target runs and the
/// other) against `libm::sqrtf` on `bits`; returns how many, and how many
/// of them gave NaN.
fn compare_sqrtf(bits: impl Iterator<Item = u32>) -> (u64, u64) {
    let (mut count, mut nans) = (0, 0);
    for x in bits.map(f32::from_bits) {
        let theirs = libm::sqrtf(x);
        for (port, ours) in [
            ("sqrtf", sqrtf(x)),
            ("by f64", sqrtf_by_f64(x)),
            ("by f32", sqrtf_by_f32(x)),
        ] {
            if theirs.is_nan() {
                // Rust leaves a NaN's sign and payload unspecified: NaN is all
                // there is to compare.
                assert!(ours.is_nan(), "{port}({x:e}): {ours:e}, not NaN");
            } else {
                assert_eq!(
                    ours.to_bits(),
                    theirs.to_bits(),
                    "{port}({x:e}): {ours:e} vs libm {theirs:e}"
                );
            }
        }
        nans += u64::from(theirs.is_nan());
        count += 1;
    }
    (count, nans)
}

#[test]
fn sqrtf_is_libm_sqrtf_bit_for_bit() {
    // Every f32 in [1, 4): both ports compute for 4x exactly twice what they
    // compute for x (the bit-trick guesses too; `by f32` normalises
    // subnormals to the same mantissas), so these stand for all normal and
    // subnormal inputs. Every subnormal anyway, and every 61st bit pattern.
    let one_to_four = 1.0f32.to_bits()..4.0f32.to_bits();
    let subnormals = 0..0x0080_0000;
    let specials = [
        0x8000_0000, // -0
        0x7f80_0000, // inf
        0xff80_0000, // -inf
        0x7fc0_0000, // NaN
        0x7f7f_ffff, // MAX
        0x0080_0000, // MIN_POSITIVE
        0x8000_0001, // the smallest negative
    ];
    let all = (0..=u32::MAX).step_by(61);
    let (count, nans) = compare_sqrtf(one_to_four.chain(subnormals).chain(all).chain(specials));
    assert_eq!(sqrtf(-0.0).to_bits(), (-0.0f32).to_bits());
    assert_eq!(sqrtf(f32::INFINITY), f32::INFINITY);
    eprintln!("sqrtf: {count} inputs, bit-identical to libm ({nans} of them NaN, compared as NaN)");
}

#[test]
#[ignore = "all 2^32 f32, about a minute; run with --ignored"]
fn sqrtf_is_libm_sqrtf_on_every_f32() {
    let (count, nans) = compare_sqrtf(0..=u32::MAX);
    eprintln!(
        "sqrtf: all {count} f32, bit-identical to libm ({nans} of them NaN, compared as NaN)"
    );
}

#[test]
fn sqrt_is_libm_sqrt_bit_for_bit() {
    // Every exponent at an odd stride of mantissas (both signs), a dense
    // run in [1, 4) (the mantissas the method scales every input to, both
    // parities of the exponent), the subnormals' range at a stride, the
    // perfect squares and their neighbours, and the specials.
    let strided = inputs_f64(0, 0x7ff0_0000_0000_0000, (1 << 39) + 0x9e37_79b9);
    let one_to_four = inputs_f64(1.0f64.to_bits(), 4.0f64.to_bits(), (1 << 31) + 0x9e3);
    let dense = inputs_f64(1.0f64.to_bits(), 1.0f64.to_bits() + 2_000_000, 1);
    let subnormals = inputs_f64(0, 1 << 52, (1 << 30) + 0x79b9);
    let squares = (1u64..200_000).flat_map(|q| {
        let square = (q * q) as f64;
        [
            square,
            f64::from_bits(square.to_bits() + 1),
            f64::from_bits(square.to_bits() - 1),
        ]
    });
    let specials = [
        0.0,
        -0.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        f64::MAX,
        f64::MIN_POSITIVE,
        f64::from_bits(1),
        -f64::from_bits(1),
        f64::EPSILON,
        1.0 - f64::EPSILON / 2.0,
    ];
    let mut count = 0u64;
    for x in strided
        .chain(one_to_four)
        .chain(dense)
        .chain(subnormals)
        .chain(squares)
        .chain(specials)
    {
        let (ours, theirs) = (sqrt(x), libm::sqrt(x));
        if theirs.is_nan() {
            assert!(ours.is_nan(), "sqrt({x:e}): {ours:e}, not NaN");
        } else {
            assert_eq!(
                ours.to_bits(),
                theirs.to_bits(),
                "sqrt({x:e}): {ours:e} vs libm {theirs:e}"
            );
        }
        count += 1;
    }
    assert_eq!(sqrt(-0.0).to_bits(), (-0.0f64).to_bits());
    assert!(count > 10_000_000, "{count}");
    eprintln!("sqrt: {count} f64, bit-identical to libm");
}

#[test]
fn erff_is_libm_erff_bit_for_bit() {
    let mut worst: f64 = 0.0;
    let mut count = 0;
    // Every 31st f32 in [-10, 10] (beyond 6 it is +-1), every 4099th beyond,
    // and the edges of musl's intervals: 2^-28, 0.84375, 1.25, 1/0.35, 6.
    let specials = [
        0.0,
        -0.0,
        f32::from_bits(0x3180_0000),
        f32::from_bits(0x317f_ffff),
        0.843_75,
        0.843_749_94,
        1.25,
        1.249_999_9,
        f32::from_bits(0x4036_db6d),
        f32::from_bits(0x4036_db6c),
        6.0,
        5.999_999_5,
        f32::MIN_POSITIVE,
        f32::from_bits(1),
        f32::MAX,
        f32::INFINITY,
        f32::NEG_INFINITY,
    ];
    let ten = 10.0f32.to_bits();
    let beyond = (ten..0x7f80_0000)
        .step_by(4099)
        .flat_map(|bits| [f32::from_bits(bits), -f32::from_bits(bits)]);
    for x in inputs(ten + 1, 31).chain(beyond).chain(specials) {
        let (ours, theirs) = (erff(x), libm::erff(x));
        assert_eq!(
            ours.to_bits(),
            theirs.to_bits(),
            "erff({x:e}): {ours:e} vs libm {theirs:e}"
        );
        if ours != 0.0 {
            worst = worst.max(ulps(ours, libm::erf(f64::from(x))));
        }
        count += 1;
    }
    assert!(erff(f32::NAN).is_nan());
    eprintln!("erff: {count} inputs, bit-identical to libm; worst error {worst:.3} ulp");
    assert!(worst < 1.0);
}

/// PyTorch's exact GELU as its CPU kernel writes it, with `libm::erff`.
fn libm_gelu(x: f32) -> f32 {
    x * 0.5 * (1.0 + libm::erff(x * core::f32::consts::FRAC_1_SQRT_2))
}

/// PyTorch's `silu` as its CPU kernel writes it, with `libm::expf`.
fn libm_silu(x: f32) -> f32 {
    x / (1.0 + libm::expf(-x))
}

#[test]
fn gelu_and_silu_are_their_libm_formulas_bit_for_bit() {
    let (mut worst_gelu, mut worst_silu): (f64, f64) = (0.0, 0.0);
    let mut count = 0;
    // Every 31st f32 in [-16, 16], where both do their work, every 4099th
    // beyond, and the specials: where `1 + erf` cancels to 0 and where e^-x
    // overflows.
    let specials = [
        0.0,
        -0.0,
        -5.542_594,
        -5.542_594_4,
        -88.722_83,
        -88.722_84,
        -100.0,
        -1000.0,
        f32::MIN,
        f32::MAX,
        f32::INFINITY,
        f32::NEG_INFINITY,
    ];
    let sixteen = 16.0f32.to_bits();
    let beyond = (sixteen..0x7f80_0000)
        .step_by(4099)
        .flat_map(|bits| [f32::from_bits(bits), -f32::from_bits(bits)]);
    for x in inputs(sixteen + 1, 31).chain(beyond).chain(specials) {
        let (ours, theirs) = (gelu(x), libm_gelu(x));
        assert_eq!(
            ours.to_bits(),
            theirs.to_bits(),
            "gelu({x:e}): {ours:e} vs libm {theirs:e}"
        );
        // Below -1, `1 + erf` loses digits to cancellation, as in PyTorch.
        if x >= -1.0 && ours.is_finite() && ours.abs() > f32::MIN_POSITIVE {
            let x = f64::from(x);
            let exact = 0.5 * x * (1.0 + libm::erf(x * core::f64::consts::FRAC_1_SQRT_2));
            worst_gelu = worst_gelu.max(ulps(ours, exact));
        }
        let (ours, theirs) = (silu(x), libm_silu(x));
        if theirs.is_nan() {
            assert!(ours.is_nan(), "silu({x:e}): {ours:e}, not NaN");
        } else {
            assert_eq!(
                ours.to_bits(),
                theirs.to_bits(),
                "silu({x:e}): {ours:e} vs libm {theirs:e}"
            );
        }
        if ours.is_finite() && ours.abs() > f32::MIN_POSITIVE {
            let x = f64::from(x);
            worst_silu = worst_silu.max(ulps(ours, x / (1.0 + (-x).exp())));
        }
        count += 1;
    }
    // GELU is -0.0 from x = -5.5425944 on, where erf rounds to -1.
    assert!(gelu(-5.542_594) < 0.0);
    assert_eq!(gelu(-5.542_594_4).to_bits(), (-0.0f32).to_bits());
    // SiLU: below -88.72283, e^-x overflows and x / inf is -0.0; no NaN
    // until -inf (inf / inf).
    assert!(silu(-88.722_83) < 0.0);
    for x in [-88.722_84, -100.0, -1000.0, f32::MIN] {
        assert_eq!(silu(x).to_bits(), (-0.0f32).to_bits(), "silu({x:e})");
    }
    assert!(silu(f32::NEG_INFINITY).is_nan() && silu(f32::NAN).is_nan());
    assert_eq!(silu(f32::INFINITY), f32::INFINITY);
    assert!(gelu(f32::NAN).is_nan());
    eprintln!(
        "gelu/silu: {count} inputs each, bit-identical to the libm formulas; worst error \
         {worst_gelu:.3} ulp (gelu, x >= -1), {worst_silu:.3} ulp (silu)"
    );
    assert!(worst_gelu < 3.0 && worst_silu < 3.0);
}

#[test]
fn the_math_runs_in_const_items() {
    const E: f32 = expf(1.0);
    const S: f32 = sinf(8.0 * core::f32::consts::TAU / 11.0);
    const R: f32 = 1.0 / sqrtf(0.5 + 1e-6);
    const ERF: f32 = erff(0.5);
    const GELU: f32 = gelu(-0.75);
    const SILU: f32 = silu(2.5);
    assert_eq!(E.to_bits(), libm::expf(1.0).to_bits());
    assert_eq!(
        S.to_bits(),
        libm::sinf(8.0 * core::f32::consts::TAU / 11.0).to_bits()
    );
    assert_eq!(R.to_bits(), (1.0 / libm::sqrtf(0.5 + 1e-6)).to_bits());
    assert_eq!(ERF.to_bits(), libm::erff(0.5).to_bits());
    assert_eq!(GELU.to_bits(), libm_gelu(-0.75).to_bits());
    assert_eq!(SILU.to_bits(), libm_silu(2.5).to_bits());
}
