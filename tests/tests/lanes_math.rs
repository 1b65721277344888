//! `adder::lanes`' functions against `adder::math`'s, bit for bit: the
//! branch-free `expf` (on every `f32`), its softmax form `expf_nonpositive`
//! (on every `f32` it is for), `silu`, `sqrtf`, `erff` and `gelu` (on
//! every `f32`); the ignored tests try all 2^32 (about a minute each,
//! `--ignored`).

use adder::lanes::{LANES, Lanes};
use adder::math::{erff, expf, gelu, silu, sqrtf};

/// Runs `check` on `bits` as `f32`, `LANES` at a time (the last batch
/// padded with zeros); returns how many inputs it checked.
fn in_batches(bits: impl Iterator<Item = u32>, mut check: impl FnMut(Lanes)) -> u64 {
    let mut count = 0;
    let mut batch: Lanes = [0.0; LANES];
    let mut filled = 0;
    for x in bits
        .map(f32::from_bits)
        .chain(std::iter::repeat_n(0.0, LANES - 1))
    {
        batch[filled] = x;
        filled += 1;
        if filled == LANES {
            check(batch);
            count += LANES as u64;
            filled = 0;
        }
    }
    count
}

/// Checks `lanes_expf` (`adder::lanes::expf` or `expf_nonpositive`, the
/// branch-free versions) against `adder::math::expf` on `bits`.
fn compare_lanes_expf(lanes_expf: fn(Lanes) -> Lanes, bits: impl Iterator<Item = u32>) -> u64 {
    in_batches(bits, |batch| {
        for (x, lane) in batch.iter().zip(lanes_expf(batch)) {
            assert_eq!(lane.to_bits(), expf(*x).to_bits(), "lanes::expf({x:e})");
        }
    })
}

#[test]
fn lanes_expf_is_expf_bit_for_bit() {
    // Every 7th bit pattern, every f32 near musl's thresholds, and the
    // softmax's range (x <= 0) at every 3rd.
    let thresholds = [
        0x3900_0000u32,
        0x3eb1_7218,
        0x3f85_1592,
        0x42ae_ac50,
        0x42b1_7218,
        0x42cf_f1b5,
        0x7f80_0000,
    ];
    let near = thresholds
        .iter()
        .flat_map(|&t| (t - 4096..t + 4096).flat_map(|b| [b, b | 0x8000_0000]));
    let softmax = (0x8000_0000..=0xc2d0_0000u32).step_by(3);
    let count = compare_lanes_expf(
        adder::lanes::expf,
        (0..=u32::MAX).step_by(7).chain(near).chain(softmax),
    );
    eprintln!("lanes::expf: {count} inputs, bit-identical to expf");
}

#[test]
#[ignore = "all 2^32 f32, about a minute; run with --ignored"]
fn lanes_expf_is_expf_on_every_f32() {
    let count = compare_lanes_expf(adder::lanes::expf, 0..=u32::MAX);
    eprintln!("lanes::expf: all {count} f32, bit-identical to expf");
}

/// Every bit pattern `expf_nonpositive` is for: the sign bit set (every
/// negative number, `-0`, `-inf`, the NaNs of that sign), `+0`, and the
/// NaNs without the sign, each `stride`-th (every one at 1).
fn nonpositive(stride: usize) -> impl Iterator<Item = u32> {
    (0x8000_0000..=u32::MAX)
        .step_by(stride)
        .chain([0])
        .chain((0x7f80_0001..=0x7fff_ffff).step_by(stride))
}

#[test]
fn lanes_expf_nonpositive_is_expf_bit_for_bit() {
    // Every 5th, and every one near musl's thresholds.
    let thresholds = [
        0x3900_0000u32,
        0x3eb1_7218,
        0x3f85_1592,
        0x42ae_ac50,
        0x42cf_f1b5,
    ];
    let near = thresholds
        .iter()
        .flat_map(|&t| (t - 4096..t + 4096).map(|b| b | 0x8000_0000));
    let count = compare_lanes_expf(adder::lanes::expf_nonpositive, nonpositive(5).chain(near));
    eprintln!("lanes::expf_nonpositive: {count} inputs, bit-identical to expf");
}

#[test]
#[ignore = "2^31 f32, about 30 s; run with --ignored"]
fn lanes_expf_nonpositive_is_expf_on_every_f32_it_is_for() {
    let count = compare_lanes_expf(adder::lanes::expf_nonpositive, nonpositive(1));
    eprintln!("lanes::expf_nonpositive: all {count} f32 it is for, bit-identical to expf");
}

#[test]
fn lanes_silu_is_silu_bit_for_bit() {
    let mut count = 0u64;
    for start in (0..=u32::MAX - 64).step_by(4099 * LANES) {
        let batch: Lanes = std::array::from_fn(|lane| f32::from_bits(start + 64 * lane as u32));
        for (x, lane) in batch.iter().zip(adder::lanes::silu(batch)) {
            let alone = silu(*x);
            if alone.is_nan() {
                assert!(lane.is_nan(), "lanes::silu({x:e}): {lane:e}, not NaN");
            } else {
                assert_eq!(lane.to_bits(), alone.to_bits(), "lanes::silu({x:e})");
            }
            count += 1;
        }
    }
    eprintln!("lanes::silu: {count} inputs, bit-identical to silu");
}

/// Checks `adder::lanes::sqrtf` against `sqrtf` on `bits`; returns how
/// many.
fn compare_lanes_sqrtf(bits: impl Iterator<Item = u32>) -> u64 {
    in_batches(bits, |batch| {
        for (x, lane) in batch.iter().zip(adder::lanes::sqrtf(batch)) {
            let alone = sqrtf(*x);
            if alone.is_nan() {
                assert!(lane.is_nan(), "lanes::sqrtf({x:e}): {lane:e}, not NaN");
            } else {
                assert_eq!(lane.to_bits(), alone.to_bits(), "lanes::sqrtf({x:e})");
            }
        }
    })
}

#[test]
fn lanes_sqrtf_is_sqrtf_bit_for_bit() {
    // Every f32 in [1, 4) (which stand for all normal and subnormal inputs,
    // as for `sqrtf`), every subnormal, every 61st bit pattern.
    let one_to_four = 1.0f32.to_bits()..4.0f32.to_bits();
    let all = (0..=u32::MAX).step_by(61);
    let count = compare_lanes_sqrtf(one_to_four.chain(0..0x0080_0000).chain(all));
    eprintln!("lanes::sqrtf: {count} inputs, bit-identical to sqrtf");
}

#[test]
#[ignore = "all 2^32 f32, about a minute; run with --ignored"]
fn lanes_sqrtf_is_sqrtf_on_every_f32() {
    let count = compare_lanes_sqrtf(0..=u32::MAX);
    eprintln!("lanes::sqrtf: all {count} f32, bit-identical to sqrtf");
}

/// Checks `lanes_f` against `alone` on `bits`, bit for bit (NaNs' payloads
/// included); returns how many.
fn compare_bits(
    name: &str,
    lanes_f: fn(Lanes) -> Lanes,
    alone: fn(f32) -> f32,
    bits: impl Iterator<Item = u32>,
) -> u64 {
    in_batches(bits, |batch| {
        for (x, lane) in batch.iter().zip(lanes_f(batch)) {
            assert_eq!(lane.to_bits(), alone(*x).to_bits(), "lanes::{name}({x:e})");
        }
    })
}

/// Every `stride`-th `f32`, and every one within 4,096 of musl's `erff`
/// thresholds (both signs), scaled by `scale` (`sqrt 2` for the GELU, whose
/// `erf` reads `x / sqrt 2`).
fn erf_inputs(stride: usize, scale: f32) -> impl Iterator<Item = u32> {
    let thresholds = [
        0x3180_0000u32,
        0x3f58_0000,
        0x3fa0_0000,
        0x4036_db6d,
        0x40c0_0000,
        0x7f80_0000,
    ];
    let near = thresholds.into_iter().flat_map(move |t| {
        (t - 4096..t + 4096).flat_map(move |b| {
            let x = (f32::from_bits(b) * scale).to_bits();
            [x, x | 0x8000_0000]
        })
    });
    (0..=u32::MAX).step_by(stride).chain(near)
}

#[test]
fn lanes_erff_is_erff_bit_for_bit() {
    let count = compare_bits("erff", adder::lanes::erff, erff, erf_inputs(5, 1.0));
    eprintln!("lanes::erff: {count} inputs, bit-identical to erff");
}

#[test]
fn lanes_gelu_is_gelu_bit_for_bit() {
    let sqrt2 = std::f32::consts::SQRT_2;
    let count = compare_bits("gelu", adder::lanes::gelu, gelu, erf_inputs(5, sqrt2));
    eprintln!("lanes::gelu: {count} inputs, bit-identical to gelu");
}

#[test]
#[ignore = "all 2^32 f32, about a minute; run with --ignored"]
fn lanes_erff_is_erff_on_every_f32() {
    let count = compare_bits("erff", adder::lanes::erff, erff, 0..=u32::MAX);
    eprintln!("lanes::erff: all {count} f32, bit-identical to erff");
}

#[test]
#[ignore = "all 2^32 f32, about a minute; run with --ignored"]
fn lanes_gelu_is_gelu_on_every_f32() {
    let count = compare_bits("gelu", adder::lanes::gelu, gelu, 0..=u32::MAX);
    eprintln!("lanes::gelu: all {count} f32, bit-identical to gelu");
}
