//! The `const`-evaluable `f32` math the generated forward pass calls.
//!
//! `core` has no `exp`, `sin`, `cos`, `sqrt` or `erf`, and the `libm` crate's
//! functions are not `const fn`, so these are ports of the same FreeBSD/musl
//! algorithms that `libm` 0.2 uses (`e_expf.c`, `s_sinf.c`, `s_cosf.c`,
//! `s_erff.c`): written with the same operations in the same order, they
//! return the same bits; [`exp`] and [`sqrt`] are their `f64` kin, for
//! models of `dtype: f64`. [`sqrtf`] needs no port: it is correctly rounded, as
//! IEEE `sqrt` (and so `libm::sqrtf`) is, so any correct algorithm gives the
//! same bits; two are here, one for cores with `f64` hardware and one for
//! cores without. The activations [`gelu`] and
//! [`silu`] are written the way PyTorch's CPU kernels write them. The tests in
//! `tests/tests/math.rs` compare all of them with `libm` over millions of
//! inputs (`sqrtf` on every `f32`) and with `f64` functions for the error in
//! ulps.
//!
//! One code path serves both worlds: the network that runs in a `const` item
//! and the one that runs on a microcontroller call these same functions.

mod erf;
mod exp;
mod trig;

pub use erf::erff;
pub(crate) use erf::{
    ERF_FROM_SIX, erf_near_zero, erf_special, erf_tiny, erfc_near_one, erfc_tail_base,
    erfc_tail_ratio_far, erfc_tail_ratio_near, erfc_tail_rest,
};
pub use exp::exp;
pub use trig::{TRIG_MAX_BITS, cosf, sinf};

/// `ln 2`, high part: `k * LN2_HI` is exact for the `k` that occur.
pub(crate) const LN2_HI: f32 = 6.931_457_5e-1; // 0x3f317200
/// `ln 2`, low part.
pub(crate) const LN2_LO: f32 = 1.428_606_8e-6; // 0x35bfbe8e
/// `1 / ln 2`.
pub(crate) const INV_LN2: f32 = core::f32::consts::LOG2_E;
/// Remez coefficients of `x (e^x + 1) / (e^x - 1)` on `[-0.34568, 0.34568]`.
pub(crate) const EXP_P1: f32 = 1.666_662_5e-1; // 0xaaaa8f.0p-26
pub(crate) const EXP_P2: f32 = -2.766_733_3e-3; // -0xb55215.0p-32

/// `e^x` for `f32`, correctly rounded in nearly all cases (at most 1 ulp off).
///
/// Bit-for-bit the same as `libm::expf`. Inputs below about `-103.97` give
/// exactly `0.0`, which is what makes the softmax of widely separated attention
/// scores exact.
#[must_use]
pub const fn expf(mut x: f32) -> f32 {
    let x1p127 = f32::from_bits(0x7f00_0000);
    let mut hx = x.to_bits();
    let sign = (hx >> 31).cast_signed();
    let negative = sign != 0;
    hx &= 0x7fff_ffff;

    if hx >= 0x42ae_ac50 {
        // |x| >= 87.33655 or NaN.
        if hx > 0x7f80_0000 {
            return x;
        }
        if hx >= 0x42b1_7218 && !negative {
            // x >= 88.722839: overflow to infinity.
            return x * x1p127;
        }
        if negative && hx >= 0x42cf_f1b5 {
            // x <= -103.972084: underflow to zero.
            return 0.0;
        }
    }

    // Argument reduction: x = k ln2 + r, |r| <= 0.5 ln2.
    let k: i32;
    let hi: f32;
    let lo: f32;
    if hx > 0x3eb1_7218 {
        // |x| > 0.5 ln2
        if hx > 0x3f85_1592 {
            // |x| > 1.5 ln2
            let half = if negative { -0.5 } else { 0.5 };
            k = (INV_LN2 * x + half) as i32;
        } else {
            k = 1 - sign - sign;
        }
        let kf = k as f32;
        hi = x - kf * LN2_HI;
        lo = kf * LN2_LO;
        x = hi - lo;
    } else if hx > 0x3900_0000 {
        // |x| > 2^-14
        k = 0;
        hi = x;
        lo = 0.0;
    } else {
        return 1.0 + x;
    }

    let xx = x * x;
    let c = x - xx * (EXP_P1 + xx * EXP_P2);
    let y = 1.0 + (x * c / (2.0 - c) - lo + hi);
    if k == 0 { y } else { scalbnf(y, k) }
}

/// `x * 2^n`, exact where the result is normal.
const fn scalbnf(x: f32, mut n: i32) -> f32 {
    let x1p127 = f32::from_bits(0x7f00_0000);
    let x1p_126 = f32::from_bits(0x0080_0000);
    let x1p24 = f32::from_bits(0x4b80_0000);
    let mut y = x;
    if n > 127 {
        y *= x1p127;
        n -= 127;
        if n > 127 {
            y *= x1p127;
            n -= 127;
            if n > 127 {
                n = 127;
            }
        }
    } else if n < -126 {
        y *= x1p_126 * x1p24;
        n += 126 - 24;
        if n < -126 {
            y *= x1p_126 * x1p24;
            n += 126 - 24;
            if n < -126 {
                n = -126;
            }
        }
    }
    y * f32::from_bits(((0x7f + n) as u32) << 23)
}

/// `sqrt x` for `f32`, correctly rounded (0 ulp), as IEEE requires: bit
/// for bit `libm::sqrtf` (the hardware instruction where there is one) on
/// every `f32`. `-0.0` gives `-0.0`; `x < 0`, `-inf` and NaN give NaN. RMS
/// normalisation divides by it: `1.0 / sqrtf(mean_square + eps)`.
///
/// `f32::sqrt` lives in `std` and is not `const`, and a `const fn` cannot
/// pick the FPU's instruction at run time and a port in `const` evaluation.
/// So two ports, the same bits: on bare metal [`sqrtf_by_f32`], by `f32` and
/// 32-bit integer work (a Cortex-M4F has no `f64` unit, an M0 no FPU at
/// all), elsewhere [`sqrtf_by_f64`], whose `f64` work a hosted core does in
/// hardware without the other's data-dependent loops.
#[must_use]
pub const fn sqrtf(x: f32) -> f32 {
    if cfg!(target_os = "none") {
        sqrtf_by_f32(x)
    } else {
        sqrtf_by_f64(x)
    }
}

/// The roots that take no arithmetic: `+-0` and `+inf` are their own, NaN
/// and every `x < 0` give NaN.
const fn special_root(x: f32) -> Option<f32> {
    let bits = x.to_bits();
    if bits << 1 == 0 || bits == 0x7f80_0000 {
        Some(x)
    } else if bits > 0x7f80_0000 {
        Some(f32::NAN)
    } else {
        None
    }
}

/// [`sqrtf`] by `f64` arithmetic: three Newton steps for `r = 1/sqrt x` in
/// `f64`, from the bit-trick guess, put `x r` within 3.2e-11 of the root, so
/// it rounds to the right `f32` or to a neighbour; squaring the midpoints to
/// the neighbours (exact in `f64`) settles which.
#[must_use]
pub const fn sqrtf_by_f64(x: f32) -> f32 {
    /// `1/sqrt a` within 3.5 % is `f64::from_bits(RSQRT_MAGIC - (a.to_bits() >> 1))`.
    const RSQRT_MAGIC: u64 = 0x5fe6_eb50_c7b5_37a9;
    if let Some(root) = special_root(x) {
        return root;
    }
    // Exact, subnormals included, and its square root is a normal f32.
    let a = x as f64;
    let half = 0.5 * a;
    let mut r = f64::from_bits(RSQRT_MAGIC - (a.to_bits() >> 1));
    // Each step squares the relative error: 3.4e-2, 1.8e-3, 4.6e-6, 3.2e-11.
    r *= 1.5 - half * r * r;
    r *= 1.5 - half * r * r;
    r *= 1.5 - half * r * r;
    let y = (a * r) as f32;
    // The root is not past the midpoints between `y` and its neighbours, or
    // the neighbour is the right answer. A midpoint has 25 significant bits, so
    // its square is exact in f64, and it is never `a` (it has 49 or 50 bits).
    let up = f32::from_bits(y.to_bits() + 1);
    let mid = (y as f64 + up as f64) * 0.5;
    if mid * mid < a {
        return up;
    }
    let down = f32::from_bits(y.to_bits() - 1);
    let mid = (y as f64 + down as f64) * 0.5;
    if mid * mid > a {
        return down;
    }
    y
}

/// [`sqrtf`] by `f32` and integer arithmetic alone, for cores whose `f64`
/// is soft float: on a Cortex-M4F it took `qwen3_228`'s addition from
/// 423,234 instructions to 104,752. With `x = m 2^e` (`m` a 24-bit integer, `e` made even
/// by a shift `s`), the root is `sqrt(M) 2^(e/2)` with `M = m 2^s` in
/// `[2^46, 2^48)`: three `f32` Newton steps for `1/sqrt` from the bit-trick
/// guess put `q` within a few units of `sqrt(M)`; exact integer squares
/// then make it `floor(sqrt(M))`, and `M - q^2 > q` says the root lies past
/// `q + 1/2` (no tie: `M` is an integer).
#[must_use]
pub const fn sqrtf_by_f32(x: f32) -> f32 {
    /// `1/sqrt g` within 3.5 % is `f32::from_bits(RSQRT_MAGIC - (g.to_bits() >> 1))`.
    const RSQRT_MAGIC: u32 = 0x5f37_59df;
    if let Some(root) = special_root(x) {
        return root;
    }
    let bits = x.to_bits();
    // x = m 2^e with m in [2^23, 2^24), subnormals normalised.
    let (m, e) = if bits >= 0x0080_0000 {
        (
            (bits & 0x007f_ffff) | 0x0080_0000,
            (bits >> 23).cast_signed() - 150,
        )
    } else {
        let shift = bits.leading_zeros() - 8;
        (bits << shift, -149 - shift.cast_signed())
    };
    // M = m 2^s with e - s even; its root lies in [2^23, 2^24).
    let s = if e & 1 == 1 { 23 } else { 24 };
    let big_m = (m as u64) << s;
    // M / 2^46 in [1, 4), exact; its root estimates root / 2^23.
    let scaled = f32::from_bits(0x3f80_0000 | (m & 0x007f_ffff)) * if s == 24 { 2.0 } else { 1.0 };
    let half = 0.5 * scaled;
    let mut rsqrt = f32::from_bits(RSQRT_MAGIC - (scaled.to_bits() >> 1));
    rsqrt *= 1.5 - half * rsqrt * rsqrt;
    rsqrt *= 1.5 - half * rsqrt * rsqrt;
    rsqrt *= 1.5 - half * rsqrt * rsqrt;
    let mut root = ((scaled * rsqrt) * 8_388_608.0) as u64;
    // Exact: root < 2^25, so its square < 2^50.
    while root * root > big_m {
        root -= 1;
    }
    while (root + 1) * (root + 1) <= big_m {
        root += 1;
    }
    if big_m - root * root > root {
        root += 1;
    }
    // root 2^((e - s) / 2), root in [2^23, 2^24]: a carry out of the
    // mantissa (root = 2^24) lands in the exponent, as it should.
    let exponent = ((e - s) / 2 + 150).cast_unsigned();
    f32::from_bits((exponent << 23) + (root as u32 - 0x0080_0000))
}

/// `sqrt x` for `f64`, correctly rounded (0 ulp), as IEEE requires: bit
/// for bit `libm::sqrt` and `f64::sqrt`, for the `f64` models' norms.
/// `-0.0` gives `-0.0`; `x < 0`, `-inf` and NaN give NaN.
///
/// [`sqrtf_by_f32`]'s method a size up: with `x = m 2^e` (`m` a 53-bit
/// integer, `e` made even by a shift `s`), the root is `sqrt(M) 2^(e/2)`
/// with `M = m 2^s` in `[2^104, 2^106)`. Four `f64` Newton steps for
/// `1/sqrt` from the bit-trick guess put `q` within a few units of
/// `sqrt(M)`; exact `u128` squares make it `floor(sqrt(M))`, and `M - q^2 >
/// q` says the root lies past `q + 1/2` (no tie: `M` is an integer).
#[must_use]
pub const fn sqrt(x: f64) -> f64 {
    /// `1/sqrt a` within 3.5 % is `f64::from_bits(RSQRT_MAGIC - (a.to_bits() >> 1))`.
    const RSQRT_MAGIC: u64 = 0x5fe6_eb50_c7b5_37a9;
    const IMPLICIT: u64 = 1 << 52;
    let bits = x.to_bits();
    if bits << 1 == 0 || bits == 0x7ff0_0000_0000_0000 {
        return x;
    }
    if bits > 0x7ff0_0000_0000_0000 {
        // NaN, or below zero.
        return f64::NAN;
    }
    // x = m 2^e with m in [2^52, 2^53), subnormals normalised.
    let (m, e) = if bits >= IMPLICIT {
        (
            (bits & (IMPLICIT - 1)) | IMPLICIT,
            (bits >> 52).cast_signed() as i32 - 1075,
        )
    } else {
        let shift = bits.leading_zeros() - 11;
        (bits << shift, -1074 - shift.cast_signed())
    };
    // M = m 2^s with e - s even; its root lies in [2^52, 2^53).
    let s = if e & 1 == 1 { 53 } else { 52 };
    let big_m = (m as u128) << s;
    // M / 2^104 in [1, 4), exact; its root estimates root / 2^52.
    let scaled = f64::from_bits(0x3ff0_0000_0000_0000 | (m & (IMPLICIT - 1)))
        * if s == 53 { 2.0 } else { 1.0 };
    let half = 0.5 * scaled;
    let mut rsqrt = f64::from_bits(RSQRT_MAGIC - (scaled.to_bits() >> 1));
    // Each step squares the relative error: 3.4e-2, 1.8e-3, 4.6e-6, 3.2e-11, then f64's own.
    rsqrt *= 1.5 - half * rsqrt * rsqrt;
    rsqrt *= 1.5 - half * rsqrt * rsqrt;
    rsqrt *= 1.5 - half * rsqrt * rsqrt;
    rsqrt *= 1.5 - half * rsqrt * rsqrt;
    let mut root = ((scaled * rsqrt) * 4_503_599_627_370_496.0) as u128;
    // Exact: root < 2^54, so its square < 2^108.
    while root * root > big_m {
        root -= 1;
    }
    while (root + 1) * (root + 1) <= big_m {
        root += 1;
    }
    if big_m - root * root > root {
        root += 1;
    }
    // root 2^((e - s) / 2), root in [2^52, 2^53]: a carry out of the
    // mantissa (root = 2^53) lands in the exponent, as it should.
    let exponent = ((e - s) / 2 + 1075).cast_unsigned() as u64;
    f64::from_bits((exponent << 52) + (root as u64 - IMPLICIT))
}

/// PyTorch's exact GELU, `x Phi(x) = x/2 (1 + erf(x / sqrt 2))`, in `f32`.
///
/// Written as the scalar lambda of PyTorch's CPU kernel (`GeluKernelImpl` in
/// `aten/src/ATen/native/cpu/Activation.cpp`, `approximate='none'`) writes it,
/// `x * 0.5 * (1 + erf(x * M_SQRT1_2))`: that code with [`erff`] as `std::erf`,
/// bit for bit. (Its AVX2/AVX-512 lanes use the Abramowitz-Stegun 7.1.26
/// approximation of `erf` instead, off by up to 1.5e-7.) Within 3 ulp of the
/// exact GELU for `x >= -1`; below, `1 + erf` cancels (100 ulp at -3), and
/// for `x <= -5.5425944` it is 0, so this gives `-0.0`, as that code does.
#[must_use]
pub const fn gelu(x: f32) -> f32 {
    x * 0.5 * (1.0 + erff(x * core::f32::consts::FRAC_1_SQRT_2))
}

/// The sigmoid linear unit (swish), `x sigmoid(x) = x / (1 + e^-x)`, in `f32`.
///
/// Written as PyTorch's CPU kernel (`silu_kernel`) writes it, one division,
/// with [`expf`]; within 3 ulp of the exact value. Below -88.72283, `e^-x`
/// overflows to infinity and this gives `-0.0`, never NaN; `-inf` gives NaN,
/// as in PyTorch.
#[must_use]
pub const fn silu(x: f32) -> f32 {
    x / (1.0 + expf(-x))
}

/// `x * inv`, a coordinate of a norm's input times its `1 / sqrt(mean of
/// squares + eps)`, before the gain: a function, not `x * inv` inline, so
/// that the twins of the code (`adder::interval::normed`) know what the
/// product is, a coordinate of a vector of `WIDTH` scaled to a root mean
/// square of at most 1, so at most `sqrt(WIDTH)` across, however wide the
/// bounds of `x` and `inv`. The macro writes `WIDTH` where `eps >= 2^-60`,
/// and 0 (no bound) where it is smaller.
#[inline]
#[must_use]
pub const fn normed<const WIDTH: usize>(x: f32, inv: f32) -> f32 {
    x * inv
}

/// `x * x`, as the norms square. A function, not `x * x` inline, so that
/// the interval twin of the code (`adder::interval::square`) knows both
/// factors are one number, and never below zero.
#[must_use]
pub const fn square(x: f32) -> f32 {
    x * x
}

/// The rectified linear unit, as the seed's `relu` writes it: `x` where `x >
/// 0`, else `0.0` (NaN gives `0.0`).
#[must_use]
pub const fn relu(x: f32) -> f32 {
    if x > 0.0 { x } else { 0.0 }
}
