//! `sin` and `cos` of `f32`: musl's `s_sinf.c` and `s_cosf.c`, with their
//! kernels and the reduction of small arguments by multiples of pi/2.

/// Multiples of pi/2 for the reduction of small arguments.
const PIO2_1X: f64 = core::f64::consts::FRAC_PI_2;
const PIO2_2X: f64 = 2.0 * core::f64::consts::FRAC_PI_2;
const PIO2_3X: f64 = 3.0 * core::f64::consts::FRAC_PI_2;
const PIO2_4X: f64 = 4.0 * core::f64::consts::FRAC_PI_2;

/// The largest `|x|` (bits of `f32`) that [`sinf`] and [`cosf`] reduce
/// exactly: about `4.2e8`. Beyond it musl falls back to a multi-precision
/// reduction that this crate does not carry; the spec checker rejects such
/// angles, and these functions return NaN for them rather than a wrong value.
pub const TRIG_MAX_BITS: u32 = 0x4dc9_0fdb;

/// `sin x` for `f32`, bit-for-bit `libm::sinf` for `|x| < 4.2e8` (NaN beyond).
#[must_use]
pub const fn sinf(x: f32) -> f32 {
    let x64 = x as f64;
    let ix = x.to_bits() & 0x7fff_ffff;
    let negative = (x.to_bits() >> 31) != 0;
    if ix <= 0x3f49_0fda {
        // |x| ~<= pi/4
        if ix < 0x3980_0000 {
            return x;
        }
        return k_sinf(x64);
    }
    if ix <= 0x407b_53d1 {
        // |x| ~<= 5pi/4
        if ix <= 0x4016_cbe3 {
            return if negative {
                -k_cosf(x64 + PIO2_1X)
            } else {
                k_cosf(x64 - PIO2_1X)
            };
        }
        return k_sinf(if negative {
            -(x64 + PIO2_2X)
        } else {
            -(x64 - PIO2_2X)
        });
    }
    if ix <= 0x40e2_31d5 {
        // |x| ~<= 9pi/4
        if ix <= 0x40af_eddf {
            return if negative {
                k_cosf(x64 + PIO2_3X)
            } else {
                -k_cosf(x64 - PIO2_3X)
            };
        }
        return k_sinf(if negative {
            x64 + PIO2_4X
        } else {
            x64 - PIO2_4X
        });
    }
    if ix >= TRIG_MAX_BITS {
        return f32::NAN;
    }
    let (n, y) = rem_pio2f(x64);
    match n & 3 {
        0 => k_sinf(y),
        1 => k_cosf(y),
        2 => k_sinf(-y),
        _ => -k_cosf(y),
    }
}

/// `cos x` for `f32`, bit-for-bit `libm::cosf` for `|x| < 4.2e8` (NaN beyond).
#[must_use]
pub const fn cosf(x: f32) -> f32 {
    let x64 = x as f64;
    let ix = x.to_bits() & 0x7fff_ffff;
    let negative = (x.to_bits() >> 31) != 0;
    if ix <= 0x3f49_0fda {
        if ix < 0x3980_0000 {
            return 1.0;
        }
        return k_cosf(x64);
    }
    if ix <= 0x407b_53d1 {
        if ix > 0x4016_cbe3 {
            return -k_cosf(if negative {
                x64 + PIO2_2X
            } else {
                x64 - PIO2_2X
            });
        }
        return if negative {
            k_sinf(x64 + PIO2_1X)
        } else {
            k_sinf(PIO2_1X - x64)
        };
    }
    if ix <= 0x40e2_31d5 {
        if ix > 0x40af_eddf {
            return k_cosf(if negative {
                x64 + PIO2_4X
            } else {
                x64 - PIO2_4X
            });
        }
        return if negative {
            k_sinf(-x64 - PIO2_3X)
        } else {
            k_sinf(x64 - PIO2_3X)
        };
    }
    if ix >= TRIG_MAX_BITS {
        return f32::NAN;
    }
    let (n, y) = rem_pio2f(x64);
    match n & 3 {
        0 => k_cosf(y),
        1 => k_sinf(-y),
        2 => -k_cosf(y),
        _ => k_sinf(y),
    }
}

/// Reduces `x` (|x| < 4.2e8) to `y` in `[-pi/4, pi/4]` with `x = n pi/2 + y`.
const fn rem_pio2f(x: f64) -> (i32, f64) {
    const TOINT: f64 = 1.5 / f64::EPSILON;
    const INV_PIO2: f64 = core::f64::consts::FRAC_2_PI; // 0x3FE45F30, 0x6DC9C883
    const PIO2_1: f64 = 1.570_796_310_901_641_8; // 0x3FF921FB, 0x50000000
    const PIO2_1T: f64 = 1.589_325_477_352_819_7e-8; // 0x3E5110b4, 0x611A6263
    let f_n = (x * INV_PIO2 + TOINT) - TOINT;
    (f_n as i32, x - f_n * PIO2_1 - f_n * PIO2_1T)
}

/// `sin x` on `[-pi/4, pi/4]`, computed in `f64`.
#[allow(clippy::many_single_char_names)] // the names of the musl kernel it ports
const fn k_sinf(x: f64) -> f32 {
    const S1: f64 = -0.166_666_666_416_265_24; // -0x15555554cbac77.0p-55
    const S2: f64 = 0.008_333_329_385_889_463; // 0x111110896efbb2.0p-59
    const S3: f64 = -0.000_198_393_348_360_966_32; // -0x1a00f9e2cae774.0p-65
    const S4: f64 = 0.000_002_718_311_493_989_822; // 0x16cd878c3b46a7.0p-71
    let z = x * x;
    let w = z * z;
    let r = S3 + z * S4;
    let s = z * x;
    ((x + s * (S1 + z * S2)) + s * w * r) as f32
}

/// `cos x` on `[-pi/4, pi/4]`, computed in `f64`.
#[allow(clippy::many_single_char_names)] // the names of the musl kernel it ports
const fn k_cosf(x: f64) -> f32 {
    const C0: f64 = -0.499_999_997_251_031; // -0x1ffffffd0c5e81.0p-54
    const C1: f64 = 0.041_666_623_323_739_06; // 0x155553e1053a42.0p-57
    const C2: f64 = -0.001_388_676_377_460_993; // -0x16c087e80f1e27.0p-62
    const C3: f64 = 0.000_024_390_448_796_277_41; // 0x199342e0ee5069.0p-68
    let z = x * x;
    let w = z * z;
    let r = C2 + z * C3;
    (((1.0 + z * C0) + w * C1) + (w * z) * r) as f32
}
