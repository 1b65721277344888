//! `adder::math` against `libm`, the library that does the same at run time,
//! and against `f64` for the error in ulps.
//!
//! Measured (this test asserts it): `expf`, `sinf` and `cosf` return the same
//! bits as `libm` 0.2 on every input tried, and are at most 1 ulp from the
//! correctly rounded value.

use adder::math::{TRIG_MAX_BITS, cosf, expf, sinf};

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

#[test]
fn the_math_runs_in_const_items() {
    const E: f32 = expf(1.0);
    const S: f32 = sinf(8.0 * core::f32::consts::TAU / 11.0);
    assert_eq!(E.to_bits(), libm::expf(1.0).to_bits());
    assert_eq!(
        S.to_bits(),
        libm::sinf(8.0 * core::f32::consts::TAU / 11.0).to_bits()
    );
}
