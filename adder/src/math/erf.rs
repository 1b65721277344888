//! musl's `erff`, cut into pieces without a branch on the value: the
//! scalar [`erff`] picks one piece by `|x|`, as musl does, and the lanes'
//! `erff` (`crate::lanes::erff`) computes each piece a lane needs and picks
//! by masks, so both run the same operations on each value.

// The names of the musl function it ports; the pieces are a few
// instructions each, and the lanes need them inlined to vectorise.
#![allow(clippy::many_single_char_names, clippy::inline_always)]

use super::expf;

/// `erf x` for `6 <= |x| < inf`: musl's `1 - 2^-120`, which rounds to 1.
pub(crate) const ERF_FROM_SIX: f32 = 1.0 - f32::from_bits(0x0380_0000);

/// `erf x` for `f32`, at most 1 ulp from the correctly rounded value.
///
/// Bit-for-bit `libm::erff`: musl's rational approximations of `erf` near 0
/// and around 1, and of `erfc` via `expf` beyond 1.25; `+-1` from `|x| = 6` on.
#[must_use]
pub const fn erff(x: f32) -> f32 {
    let bits = x.to_bits();
    let ix = bits & 0x7fff_ffff;
    if ix >= 0x7f80_0000 {
        return erf_special(x);
    }
    if ix < 0x3f58_0000 {
        // |x| < 0.84375
        return if ix < 0x3180_0000 {
            erf_tiny(x)
        } else {
            erf_near_zero(x)
        };
    }
    let y = if ix < 0x3fa0_0000 {
        // |x| < 1.25
        1.0 - erfc_near_one(x)
    } else if ix < 0x40c0_0000 {
        // |x| < 6
        let a = x.abs();
        let s = 1.0 / (a * a);
        let ratio = if ix < 0x4036_db6d {
            // |x| < 1/0.35
            erfc_tail_ratio_near(s)
        } else {
            erfc_tail_ratio_far(s)
        };
        1.0 - expf(erfc_tail_base(a)) * expf(erfc_tail_rest(a, ratio)) / a
    } else {
        ERF_FROM_SIX
    };
    if bits >> 31 != 0 { -y } else { y }
}

/// `erf x` for NaN (NaN) and `+-inf` (`+-1`).
#[inline(always)]
pub(crate) const fn erf_special(x: f32) -> f32 {
    let sign = (x.to_bits() >> 31) as f32;
    1.0 - 2.0 * sign + 1.0 / x
}

/// `erf x` for `|x| < 2^-28`: `x + EFX x`, scaled by 8 to keep the
/// subnormals' bits.
#[inline(always)]
pub(crate) const fn erf_tiny(x: f32) -> f32 {
    const EFX8: f32 = 1.027_033_3; // 0x3f8375d4
    0.125 * (8.0 * x + EFX8 * x)
}

/// `erf x` for `2^-28 <= |x| < 0.84375`: `x + x P/Q` in `x^2`.
#[inline(always)]
pub(crate) const fn erf_near_zero(x: f32) -> f32 {
    const PP0: f32 = 1.283_791_7e-1; // 0x3e0375d4
    const PP1: f32 = -3.250_421e-1; // 0xbea66beb
    const PP2: f32 = -2.848_175e-2; // 0xbce9528f
    const PP3: f32 = -5.770_270_2e-3; // 0xbbbd1489
    const PP4: f32 = -2.376_301_7e-5; // 0xb7c756b1
    const QQ1: f32 = 3.979_172e-1; // 0x3ecbbbce
    const QQ2: f32 = 6.502_225e-2; // 0x3d852a63
    const QQ3: f32 = 5.081_306e-3; // 0x3ba68116
    const QQ4: f32 = 1.324_947_4e-4; // 0x390aee49
    const QQ5: f32 = -3.960_228_2e-6; // 0xb684e21a
    let z = x * x;
    let r = PP0 + z * (PP1 + z * (PP2 + z * (PP3 + z * PP4)));
    let s = 1.0 + z * (QQ1 + z * (QQ2 + z * (QQ3 + z * (QQ4 + z * QQ5))));
    let y = r / s;
    x + x * y
}

/// `erfc |x|` for `0.84375 <= |x| < 1.25`: `1 - erx - P/Q` around 1.
#[inline(always)]
pub(crate) const fn erfc_near_one(x: f32) -> f32 {
    /// `erf x` on this interval is `ERX + P/Q`.
    const ERX: f32 = 8.450_629e-1; // 0x3f58560b
    const PA0: f32 = -2.362_118_6e-3; // 0xbb1acdc6
    const PA1: f32 = 4.148_561e-1; // 0x3ed46805
    const PA2: f32 = -3.722_078_8e-1; // 0xbebe9208
    const PA3: f32 = 3.183_466_2e-1; // 0x3ea2fe54
    const PA4: f32 = -1.108_946_95e-1; // 0xbde31cc2
    const PA5: f32 = 3.547_830_5e-2; // 0x3d1151b3
    const PA6: f32 = -2.166_375_5e-3; // 0xbb0df9c0
    const QA1: f32 = 1.064_208_8e-1; // 0x3dd9f331
    const QA2: f32 = 5.403_979_4e-1; // 0x3f0a5785
    const QA3: f32 = 7.182_865_6e-2; // 0x3d931ae7
    const QA4: f32 = 1.261_712_2e-1; // 0x3e013307
    const QA5: f32 = 1.363_708_4e-2; // 0x3c5f6e13
    const QA6: f32 = 1.198_45e-2; // 0x3c445aa3
    let s = x.abs() - 1.0;
    let p = PA0 + s * (PA1 + s * (PA2 + s * (PA3 + s * (PA4 + s * (PA5 + s * PA6)))));
    let q = 1.0 + s * (QA1 + s * (QA2 + s * (QA3 + s * (QA4 + s * (QA5 + s * QA6)))));
    1.0 - ERX - p / q
}

/// `R/S` of `erfc` for `1.25 <= |x| < 1/0.35`, in `s = 1/x^2`.
#[inline(always)]
pub(crate) const fn erfc_tail_ratio_near(s: f32) -> f32 {
    const RA0: f32 = -9.864_944e-3; // 0xbc21a093
    const RA1: f32 = -6.938_585_6e-1; // 0xbf31a0b7
    const RA2: f32 = -10.558_626; // 0xc128f022
    const RA3: f32 = -62.375_33; // 0xc2798057
    const RA4: f32 = -162.396_67; // 0xc322658c
    const RA5: f32 = -184.605_09; // 0xc3389ae7
    const RA6: f32 = -81.287_44; // 0xc2a2932b
    const RA7: f32 = -9.814_329; // 0xc11d077e
    const SA1: f32 = 19.651_272; // 0x419d35ce
    const SA2: f32 = 137.657_76; // 0x4309a863
    const SA3: f32 = 434.565_9; // 0x43d9486f
    const SA4: f32 = 645.387_27; // 0x442158c9
    const SA5: f32 = 429.008_15; // 0x43d6810b
    const SA6: f32 = 108.635; // 0x42d9451f
    const SA7: f32 = 6.570_249_6; // 0x40d23f7c
    const SA8: f32 = -6.042_441_4e-2; // 0xbd777f97
    let r = RA0 + s * (RA1 + s * (RA2 + s * (RA3 + s * (RA4 + s * (RA5 + s * (RA6 + s * RA7))))));
    let big_s = 1.0
        + s * (SA1
            + s * (SA2 + s * (SA3 + s * (SA4 + s * (SA5 + s * (SA6 + s * (SA7 + s * SA8)))))));
    r / big_s
}

/// `R/S` of `erfc` for `1/0.35 <= |x| < 6`, in `s = 1/x^2`.
#[inline(always)]
pub(crate) const fn erfc_tail_ratio_far(s: f32) -> f32 {
    const RB0: f32 = -9.864_943e-3; // 0xbc21a092
    const RB1: f32 = -7.992_832_7e-1; // 0xbf4c9dd4
    const RB2: f32 = -17.757_956; // 0xc18e104b
    const RB3: f32 = -160.636_38; // 0xc320a2ea
    const RB4: f32 = -637.566_47; // 0xc41f6441
    const RB5: f32 = -1_025.095_1; // 0xc480230b
    const RB6: f32 = -483.519_2; // 0xc3f1c275
    const SB1: f32 = 30.338_06; // 0x41f2b459
    const SB2: f32 = 325.792_5; // 0x43a2e571
    const SB3: f32 = 1_536.729_6; // 0x44c01759
    const SB4: f32 = 3_199.858_2; // 0x4547fdbb
    const SB5: f32 = 2_553.050_3; // 0x451f90ce
    const SB6: f32 = 474.528_53; // 0x43ed43a7
    const SB7: f32 = -22.440_952; // 0xc1b38712
    let r = RB0 + s * (RB1 + s * (RB2 + s * (RB3 + s * (RB4 + s * (RB5 + s * RB6)))));
    let big_s =
        1.0 + s * (SB1 + s * (SB2 + s * (SB3 + s * (SB4 + s * (SB5 + s * (SB6 + s * SB7))))));
    r / big_s
}

/// `|x|` (`a`) with its low 13 bits cleared: its square is exact.
#[inline(always)]
const fn erfc_tail_split(a: f32) -> f32 {
    f32::from_bits(a.to_bits() & 0xffff_e000)
}

/// The first exponent of `erfc |x|`, which is
/// `e^(-z^2 - 0.5625) e^((z - a)(z + a) + R/S) / a` for
/// `1.25 <= |x| = a < 6`, `z` [`erfc_tail_split`]'s.
#[inline(always)]
pub(crate) const fn erfc_tail_base(a: f32) -> f32 {
    let z = erfc_tail_split(a);
    -z * z - 0.5625
}

/// The second exponent there: `(z - a)(z + a) + R/S`.
#[inline(always)]
pub(crate) const fn erfc_tail_rest(a: f32, ratio: f32) -> f32 {
    let z = erfc_tail_split(a);
    (z - a) * (z + a) + ratio
}
