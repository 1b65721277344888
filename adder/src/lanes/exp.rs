//! `expf` across the lanes, branch-free, bit for bit musl's: for every
//! `f32`, and, cheaper, for the `x <= 0` of a softmax.

use super::{LANES, Lanes, mask, pick};
use crate::math;

/// `1.5 2^23`: `x + ROUNDER - ROUNDER` rounds `|x| < 2^22` to an integer,
/// and the low bits of `k + ROUNDER` are the integer `k`.
const ROUNDER: f32 = 12_582_912.0;

/// musl's `expf` after its choice of `k` (as a float, `kf`), before its
/// `scalbnf`: `x = k ln 2 + r` by `LN2_HI` and `LN2_LO`, and
/// `1 + (r c / (2 - c) - lo + hi)` by its polynomial `c`. With `kf = 0`
/// it is musl's `|x| <= 1.5 ln 2` branch (`x - 0 LN2_HI` is `x`,
/// `0 LN2_LO` is `0`).
#[inline(always)]
const fn before_scaling(x: Lanes, kf: Lanes) -> Lanes {
    let hi = lanewise!(0.0f32, |l| x[l] - kf[l] * math::LN2_HI);
    let lo = lanewise!(0.0f32, |l| kf[l] * math::LN2_LO);
    let rest = lanewise!(0.0f32, |l| hi[l] - lo[l]);
    let rr = lanewise!(0.0f32, |l| rest[l] * rest[l]);
    let poly = lanewise!(0.0f32, |l| rest[l]
        - rr[l] * (math::EXP_P1 + rr[l] * math::EXP_P2));
    lanewise!(0.0f32, |l| 1.0
        + (rest[l] * poly[l] / (2.0 - poly[l]) - lo[l] + hi[l]))
}

/// The integer `k` of each lane's integral `kf` (|kf| < 2^22), from the
/// low bits of `kf + 1.5 2^23`.
#[inline(always)]
const fn integer(kf: Lanes) -> [i32; LANES] {
    lanewise!(0i32, |l| (kf[l] + ROUNDER)
        .to_bits()
        .wrapping_sub(ROUNDER.to_bits())
        .cast_signed())
}

/// musl's `scalbnf(y, k)` as `y first 2^power`, where `first` is the step
/// a `k` whose `2^k` is not a normal `f32` takes first and `power` what
/// is left of `k`.
#[inline(always)]
const fn scale(y: Lanes, first: Lanes, power: [i32; LANES]) -> Lanes {
    lanewise!(0.0f32, |l| y[l]
        * first[l]
        * f32::from_bits(((0x7f + power[l]) as u32) << 23))
}

/// [`math::expf`] in each lane, bit for bit, without a branch on the
/// values and one operation at a time across the lanes, so that each
/// becomes a vector instruction: the softmax of a token-reading attention
/// takes one per position and head ([`expf_nonpositive`], the same
/// without the work for `x > 0`, where `x <= 0`). Every lane takes musl's
/// far reduction, `k` by its formula, and the results musl returns early
/// are picked at the end. The same bits: where musl takes `k = 0` or
/// `k = +-1` instead (`|x| <= 1.5 ln 2`), the formula's `k` gives musl's
/// bits (with `k = 0`, `x - 0 LN2_HI` is `x` and `0 LN2_LO` is `0`, musl's
/// `hi` and `lo` there); its `scalbnf` is a multiplication by `2^k` (by
/// `2^-102` first where `k < -126`, by `2^127` first where `k = 128`). The
/// tests compare it with [`math::expf`] on every `f32`.
#[inline(always)]
#[must_use]
pub const fn expf(x: Lanes) -> Lanes {
    let bits = lanewise!(0u32, |l| x[l].to_bits());
    // `|x|`'s bits, compared as `i32` (the sign bit is clear): SSE2 has no
    // unsigned compare.
    let hx = lanewise!(0i32, |l| (bits[l] & 0x7fff_ffff).cast_signed());
    // All ones in a negative lane: the sign bit, shifted arithmetically.
    let negative = lanewise!(0u32, |l| (bits[l].cast_signed() >> 31).cast_unsigned());
    // What musl returns before its reduction.
    let nan = lanewise!(0u32, |l| mask(hx[l] > 0x7f80_0000));
    let overflow = lanewise!(0u32, |l| mask(hx[l] >= 0x42b1_7218) & !negative[l]);
    let underflow = lanewise!(0u32, |l| mask(hx[l] >= 0x42cf_f1b5) & negative[l]);
    let tiny = lanewise!(0u32, |l| mask(hx[l] <= 0x3900_0000));
    // In the lanes returned early x is taken as 0, so that `k` stays in
    // range there.
    let early = lanewise!(0u32, |l| nan[l] | overflow[l] | underflow[l]);
    let xk = lanewise!(0.0f32, |l| f32::from_bits(bits[l] & !early[l]));
    let half = lanewise!(0.0f32, |l| f32::from_bits(pick(
        negative[l],
        (-0.5f32).to_bits(),
        0.5f32.to_bits()
    )));
    // musl's `k`: `(INV_LN2 x + half) as i32` as a float: `v` rounded to an
    // integer by adding and taking away 1.5 2^23 (exact for |v| < 2^22),
    // then moved one toward zero where that rounded away from it. musl
    // takes `k = +-1` for `|x|` up to `1.5 ln 2` and `k = 0` up to `0.5 ln 2`
    // instead; on every `f32` this `k` gives the same bits (the tests try
    // them all), so no lane needs musl's two thresholds.
    let to_round = lanewise!(0.0f32, |l| math::INV_LN2 * xk[l] + half[l]);
    let rounded = lanewise!(0.0f32, |l| (to_round[l] + ROUNDER) - ROUNDER);
    let away = lanewise!(0u32, |l| pick(
        negative[l],
        mask(rounded[l] < to_round[l]),
        mask(rounded[l] > to_round[l])
    ));
    let toward = lanewise!(0.0f32, |l| f32::from_bits(
        pick(negative[l], 1.0f32.to_bits(), (-1.0f32).to_bits()) & away[l]
    ));
    let kf = lanewise!(0.0f32, |l| rounded[l] + toward[l]);
    let k_int = integer(kf);
    let unscaled = before_scaling(x, kf);
    // scalbnf(y, k) for the k that occur, -150 to 128: a first factor
    // where 2^k is not a normal f32.
    let low = lanewise!(0u32, |l| mask(k_int[l] < -126));
    let high = lanewise!(0u32, |l| mask(k_int[l] > 127));
    let first = lanewise!(0.0f32, |l| f32::from_bits(pick(
        low[l],
        0x0c80_0000, // 2^-126 2^24
        pick(high[l], 0x7f00_0000, 0x3f80_0000)
    )));
    let power = lanewise!(0i32, |l| k_int[l] + pick(low[l], 102, 0).cast_signed()
        - pick(high[l], 127, 0).cast_signed());
    let scaled = scale(unscaled, first, power);
    let overflowed = lanewise!(0u32, |l| (x[l] * f32::from_bits(0x7f00_0000)).to_bits());
    let near_one = lanewise!(0u32, |l| (1.0 + x[l]).to_bits());
    lanewise!(0.0f32, |l| f32::from_bits(pick(
        nan[l],
        bits[l],
        pick(
            overflow[l],
            overflowed[l],
            pick(
                underflow[l],
                0,
                pick(tiny[l], near_one[l], scaled[l].to_bits())
            )
        )
    )))
}

/// [`expf`] where no lane is above zero (a softmax's `score - max`, which
/// is at most 0, or NaN where a score is NaN or infinite): the same bits
/// there, without the work `x > 0` needs (musl's overflow, its `k > 0`,
/// `2^128`). A lane above zero gets a wrong number: callers hold the
/// premise by construction. The tests compare it with [`math::expf`] on
/// every `f32` with the sign bit set, `+0` and every NaN.
#[inline(always)]
#[must_use]
pub const fn expf_nonpositive(x: Lanes) -> Lanes {
    let bits = lanewise!(0u32, |l| x[l].to_bits());
    // `|x|`'s bits, compared as `i32` (the sign bit is clear): SSE2 has no
    // unsigned compare.
    let hx = lanewise!(0i32, |l| (bits[l] & 0x7fff_ffff).cast_signed());
    let nan = lanewise!(0u32, |l| mask(hx[l] > 0x7f80_0000));
    // x <= -103.97, and -inf: exactly 0.
    let underflow = lanewise!(0u32, |l| mask(hx[l] >= 0x42cf_f1b5));
    // |x| <= 2^-14, +0 among them: 1 + x.
    let tiny = lanewise!(0u32, |l| mask(hx[l] <= 0x3900_0000));
    let early = lanewise!(0u32, |l| nan[l] | underflow[l]);
    // 0 in the lanes returned early, so that `k` stays in range there.
    let xk = lanewise!(0.0f32, |l| f32::from_bits(bits[l] & !early[l]));
    // musl's `k`: `(INV_LN2 x - 0.5) as i32`, toward zero from below,
    // rounded to an integer (exact for |v| < 2^22), then one up where that
    // went below. musl takes `k = -1` for `|x|` up to `1.5 ln 2` and `k = 0`
    // up to `0.5 ln 2` instead; on every `x <= 0` this `k` gives the same
    // bits (the tests try them all), so no lane needs musl's two thresholds.
    let to_round = lanewise!(0.0f32, |l| math::INV_LN2 * xk[l] - 0.5);
    let rounded = lanewise!(0.0f32, |l| (to_round[l] + ROUNDER) - ROUNDER);
    let up = lanewise!(0.0f32, |l| f32::from_bits(
        1.0f32.to_bits() & mask(rounded[l] < to_round[l])
    ));
    let kf = lanewise!(0.0f32, |l| rounded[l] + up[l]);
    let k_int = integer(kf);
    let unscaled = before_scaling(x, kf);
    // scalbnf(y, k), -150 <= k <= 0: by 2^-102 first where k < -126.
    let low = lanewise!(0u32, |l| mask(k_int[l] < -126));
    let first = lanewise!(0.0f32, |l| f32::from_bits(pick(
        low[l],
        0x0c80_0000, // 2^-126 2^24
        0x3f80_0000
    )));
    let power = lanewise!(0i32, |l| k_int[l] + pick(low[l], 102, 0).cast_signed());
    let scaled = scale(unscaled, first, power);
    let near_one = lanewise!(0u32, |l| (1.0 + x[l]).to_bits());
    // NaN: itself; below -103.97: +0.
    lanewise!(0.0f32, |l| f32::from_bits(pick(
        early[l],
        bits[l] & nan[l],
        pick(tiny[l], near_one[l], scaled[l].to_bits())
    )))
}
