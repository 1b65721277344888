//! `erff` and the GELU across the lanes, bit for bit musl's: each piece of
//! `math::erff` that some lane needs, computed for every lane at once, and
//! picked by masks; a piece no lane needs is skipped.

use super::{LANES, Lanes, expf, expf_nonpositive, mask, pick};
use crate::math;

/// Whether any lane's `mask` is set.
#[inline(always)]
const fn any(mask: &[u32; LANES]) -> bool {
    let mut set = 0;
    let mut lane = 0;
    while lane < LANES {
        set |= mask[lane];
        lane += 1;
    }
    set != 0
}

/// `yes` in the lanes of `mask`, `no` in the rest.
#[inline(always)]
const fn select(mask: &[u32; LANES], yes: Lanes, no: Lanes) -> Lanes {
    lanewise!(0.0f32, |l| f32::from_bits(pick(
        mask[l],
        yes[l].to_bits(),
        no[l].to_bits()
    )))
}

/// `erfc |x|` for the lanes of `tail` (`1.25 <= |x| < 6`), musl's
/// `e^(-z^2 - 0.5625) e^((z - |x|)(z + |x|) + R/S) / |x|`; where `near`,
/// the `R/S` of `|x| < 1/0.35`.
#[inline(always)]
const fn erfc_tail(x: Lanes, tail: &[u32; LANES], near: &[u32; LANES]) -> Lanes {
    let a = lanewise!(0.0f32, |l| x[l].abs());
    let s = lanewise!(0.0f32, |l| 1.0 / (a[l] * a[l]));
    let far = lanewise!(0u32, |l| tail[l] & !near[l]);
    let mut ratio = [0.0f32; LANES];
    if any(near) {
        ratio = select(
            near,
            lanewise!(0.0f32, |l| math::erfc_tail_ratio_near(s[l])),
            ratio,
        );
    }
    if any(&far) {
        ratio = select(
            &far,
            lanewise!(0.0f32, |l| math::erfc_tail_ratio_far(s[l])),
            ratio,
        );
    }
    // `-z^2 - 0.5625` is below 0 (or NaN) in every lane: the cheaper `expf`.
    let base = expf_nonpositive(lanewise!(0.0f32, |l| math::erfc_tail_base(a[l])));
    let rest = expf(lanewise!(0.0f32, |l| math::erfc_tail_rest(a[l], ratio[l])));
    lanewise!(0.0f32, |l| base[l] * rest[l] / a[l])
}

/// [`math::erff`] in each lane, bit for bit, with no branch on a lane's
/// value: every piece of it a lane needs, for all lanes, picked by masks
/// (a branch only on whether any lane needs a piece). The tests compare it
/// with `math::erff` on every `f32`.
#[inline(always)]
#[must_use]
pub const fn erff(x: Lanes) -> Lanes {
    let bits = lanewise!(0u32, |l| x[l].to_bits());
    let ix = lanewise!(0u32, |l| bits[l] & 0x7fff_ffff);
    let special = lanewise!(0u32, |l| mask(ix[l] >= 0x7f80_0000));
    let near_zero = lanewise!(0u32, |l| mask(ix[l] < 0x3f58_0000));
    let tiny = lanewise!(0u32, |l| mask(ix[l] < 0x3180_0000));
    let near_one = lanewise!(0u32, |l| mask(ix[l] < 0x3fa0_0000) & !near_zero[l]);
    let tail = lanewise!(0u32, |l| mask(ix[l] >= 0x3fa0_0000)
        & mask(ix[l] < 0x40c0_0000));
    let tail_near = lanewise!(0u32, |l| tail[l] & mask(ix[l] < 0x4036_db6d));
    // |x| >= 6 unless a piece below says otherwise; the sign comes last.
    let mut y = [math::ERF_FROM_SIX; LANES];
    if any(&near_one) {
        let near_one_y = lanewise!(0.0f32, |l| 1.0 - math::erfc_near_one(x[l]));
        y = select(&near_one, near_one_y, y);
    }
    if any(&tail) {
        let erfc = erfc_tail(x, &tail, &tail_near);
        y = select(&tail, lanewise!(0.0f32, |l| 1.0 - erfc[l]), y);
    }
    let negative = lanewise!(0u32, |l| (bits[l].cast_signed() >> 31).cast_unsigned());
    let mut out = select(&negative, lanewise!(0.0f32, |l| -y[l]), y);
    if any(&near_zero) {
        let small = select(
            &tiny,
            lanewise!(0.0f32, |l| math::erf_tiny(x[l])),
            lanewise!(0.0f32, |l| math::erf_near_zero(x[l])),
        );
        out = select(&near_zero, small, out);
    }
    if any(&special) {
        out = select(
            &special,
            lanewise!(0.0f32, |l| math::erf_special(x[l])),
            out,
        );
    }
    out
}

/// [`math::gelu`] in each lane, bit for bit: its `x 0.5 (1 + erf(x /
/// sqrt 2))`, the same operations, `erf` by the lanes' [`erff`].
#[inline(always)]
#[must_use]
pub const fn gelu(x: Lanes) -> Lanes {
    let erf = erff(lanewise!(0.0f32, |l| x[l] * core::f32::consts::FRAC_1_SQRT_2));
    lanewise!(0.0f32, |l| x[l] * 0.5 * (1.0 + erf[l]))
}
