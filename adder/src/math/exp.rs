//! `e^x` in `f64`, for the models whose every stage is `f64` (`dtype: f64`):
//! a `const fn` port of FreeBSD's `e_exp.c` as the `libm` crate has it, the
//! same operations in the same order, so the same bits on every `f64`.

/// `ln 2`'s high part: `k ln2_hi` is exact for the `k` that occur.
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000); // 6.931_471_803_691_238_164_90e-1
/// `ln 2 - LN2_HI`.
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76); // 1.908_214_929_270_587_700_02e-10
/// `1 / ln 2`.
const INV_LN2: f64 = f64::from_bits(0x3ff7_1547_652b_82fe); // 1.442_695_040_888_963_387_00
/// The Remez polynomial of `e_exp.c`, `R(z) ~ 2 + P1 z + ... + P5 z^5`.
const P1: f64 = f64::from_bits(0x3fc5_5555_5555_553e); // 1.666_666_666_666_660_190_37e-1
const P2: f64 = f64::from_bits(0xbf66_c16c_16be_bd93); // -2.777_777_777_701_559_338_42e-3
const P3: f64 = f64::from_bits(0x3f11_566a_af25_de2c); // 6.613_756_321_437_934_361_17e-5
const P4: f64 = f64::from_bits(0xbebb_bd41_c5d2_6bf1); // -1.653_390_220_546_525_153_90e-6
const P5: f64 = f64::from_bits(0x3e66_3769_72be_a4d0); // 4.138_136_797_057_238_460_39e-8

/// `e^x` for `f64`, less than 1 ulp from exact: bit for bit `libm::exp`
/// (the tests compare them on hundreds of millions of `f64`). Below about
/// `-745.13` it is exactly `0.0`; above about `709.78`, `inf`.
#[must_use]
pub const fn exp(mut x: f64) -> f64 {
    let x1p1023 = f64::from_bits(0x7fe0_0000_0000_0000);
    // The high word of |x|, which is what e_exp.c compares.
    let high = (x.to_bits() >> 32) as u32;
    let sign = (high >> 31).cast_signed();
    let hx = high & 0x7fff_ffff;

    if hx >= 0x4086_232b {
        // |x| >= 708.39, or NaN.
        if x.is_nan() {
            return x;
        }
        if x > f64::from_bits(0x4086_2e42_fefa_39ef) {
            // 709.78: exp overflows.
            return x * x1p1023;
        }
        if x < f64::from_bits(0xc087_4910_d52d_3051) {
            // -745.13: exp underflows to 0.
            return 0.0;
        }
    }

    // Argument reduction: x = k ln2 + r, |r| <= 0.5 ln2.
    let k: i32;
    let hi: f64;
    let lo: f64;
    if hx > 0x3fd6_2e42 {
        // |x| > 0.5 ln2
        if hx >= 0x3ff0_a2b2 {
            // |x| >= 1.5 ln2
            let half = if sign == 0 { 0.5 } else { -0.5 };
            k = (INV_LN2 * x + half) as i32;
        } else {
            k = 1 - sign - sign;
        }
        hi = x - k as f64 * LN2_HI;
        lo = k as f64 * LN2_LO;
        x = hi - lo;
    } else if hx > 0x3e30_0000 {
        // |x| > 2^-28
        k = 0;
        hi = x;
        lo = 0.0;
    } else {
        return 1.0 + x;
    }

    let xx = x * x;
    let c = x - xx * (P1 + xx * (P2 + xx * (P3 + xx * (P4 + xx * P5))));
    let y = 1.0 + (x * c / (2.0 - c) - lo + hi);
    if k == 0 { y } else { scalbn(y, k) }
}

/// `x 2^n`, as `libm::scalbn`: exact where the result is normal, and by
/// steps where `2^n` itself is not a normal `f64`.
const fn scalbn(x: f64, mut n: i32) -> f64 {
    let x1p1023 = f64::from_bits(0x7fe0_0000_0000_0000);
    // 2^-1022 2^53: the step toward the subnormals.
    let down = f64::from_bits(0x0010_0000_0000_0000) * f64::from_bits(0x4340_0000_0000_0000);
    let mut y = x;
    if n > 1023 {
        y *= x1p1023;
        n -= 1023;
        if n > 1023 {
            y *= x1p1023;
            n -= 1023;
            if n > 1023 {
                n = 1023;
            }
        }
    } else if n < -1022 {
        y *= down;
        n += 1022 - 53;
        if n < -1022 {
            y *= down;
            n += 1022 - 53;
            if n < -1022 {
                n = -1022;
            }
        }
    }
    y * f64::from_bits(((0x3ff + n) as u64) << 52)
}
