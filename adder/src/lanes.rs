//! [`LANES`] `f32`s side by side, one per addition, and the operations of a
//! forward pass on them: what a model's `lanes` module computes with.
//!
//! Each model's `lanes` module is its stages after the attention with every
//! value of the residual stream an array of [`Lanes`] (structure of arrays)
//! and every operation a call of this module: the same `f32` operation on
//! every lane, so each lane's result has the bits the scalar code gives
//! (Rust never contracts `a * b + c` into a fused multiply-add), and the
//! compiler turns each call into vector instructions. Plain functions, not
//! operators, so that the code stays `const fn`: operator traits are not
//! `const` on stable Rust.

// Each function is one or two vector instructions once inlined; a call
// would cost more than the work, and stop the vectorising across them.
#![allow(clippy::inline_always)]

use crate::math;

/// Additions a model's `add_lanes` and `checked_add_lanes` take at once:
/// 8 lanes of `f32` fill a 256-bit vector register.
pub const LANES: usize = 8;

/// One `f32` per lane.
pub type Lanes = [f32; LANES];

/// The same value in every lane: a parameter, or a constant of the code.
#[inline(always)]
#[must_use]
pub const fn splat(x: f32) -> Lanes {
    [x; LANES]
}

/// Applies a binary `f32` operation lane by lane.
macro_rules! binary {
    ($(#[$doc:meta] $name:ident: $op:tt),* $(,)?) => {$(
        #[$doc]
        #[inline(always)]
        #[must_use]
        pub const fn $name(x: Lanes, y: Lanes) -> Lanes {
            let mut out = x;
            let mut lane = 0;
            while lane < LANES {
                out[lane] = x[lane] $op y[lane];
                lane += 1;
            }
            out
        }
    )*};
}

binary! {
    /// `x + y` in each lane.
    add: +,
    /// `x - y` in each lane.
    sub: -,
    /// `x * y` in each lane.
    mul: *,
    /// `x / y` in each lane.
    div: /,
}

/// `-x` in each lane.
#[inline(always)]
#[must_use]
pub const fn neg(x: Lanes) -> Lanes {
    let mut out = x;
    let mut lane = 0;
    while lane < LANES {
        out[lane] = -x[lane];
        lane += 1;
    }
    out
}

/// Applies a function of [`crate::math`] lane by lane.
macro_rules! unary {
    ($($name:ident),* $(,)?) => {$(
        #[doc = concat!("[`math::", stringify!($name), "`] in each lane.")]
        #[inline(always)]
        #[must_use]
        pub const fn $name(x: Lanes) -> Lanes {
            let mut out = x;
            let mut lane = 0;
            while lane < LANES {
                out[lane] = math::$name(x[lane]);
                lane += 1;
            }
            out
        }
    )*};
}

unary!(relu, square, sinf, cosf);

/// [`math::normed`] in each lane: `x * inv`.
#[inline(always)]
#[must_use]
pub const fn normed<const WIDTH: usize>(x: Lanes, inv: Lanes) -> Lanes {
    mul(x, inv)
}

/// [`math::silu`] in each lane, bit for bit: its `x / (1 + e^-x)`, the
/// same operations, `e^-x` by the vectorised [`expf`].
#[inline(always)]
#[must_use]
pub const fn silu(x: Lanes) -> Lanes {
    div(x, add(splat(1.0), expf(neg(x))))
}

/// An array of one value per lane, `$e` for each lane `$l`.
macro_rules! lanewise {
    ($zero:expr, |$l:ident| $e:expr) => {{
        let mut out = [$zero; LANES];
        let mut $l = 0;
        while $l < LANES {
            out[$l] = $e;
            $l += 1;
        }
        out
    }};
}

/// All ones where `b`, else zero: a lane mask.
#[inline(always)]
const fn mask(b: bool) -> u32 {
    (b as u32).wrapping_neg()
}

/// `yes` where `mask` is all ones, else `no`: a select by bit operations,
/// which vectorises where an `if` on each lane may not.
#[inline(always)]
const fn pick(mask: u32, yes: u32, no: u32) -> u32 {
    (yes & mask) | (no & !mask)
}

mod erf;
mod exp;

pub use erf::{erff, gelu};
pub use exp::{expf, expf_nonpositive};

/// [`math::sqrtf`] in each lane, bit for bit: the `f64` port
/// (`math::sqrtf_by_f64`, what hosted targets run) one operation at a time
/// across the lanes, its specials and its choice of neighbour by masks, so
/// that it vectorises. The tests compare it with `sqrtf` on every `f32`.
#[inline(always)]
#[must_use]
pub const fn sqrtf(x: Lanes) -> Lanes {
    /// `math::sqrtf_by_f64`'s bit-trick constant for `1/sqrt a`.
    const RSQRT_MAGIC: u64 = 0x5fe6_eb50_c7b5_37a9;
    let bits = lanewise!(0u32, |l| x[l].to_bits());
    // +-0 and +inf are their own roots; NaN and x < 0 give NaN.
    let itself = lanewise!(0u32, |l| mask(bits[l] << 1 == 0)
        | mask(bits[l] == 0x7f80_0000));
    let nan = lanewise!(0u32, |l| mask(bits[l] > 0x7f80_0000));
    let a = lanewise!(0.0f64, |l| x[l] as f64);
    let half = lanewise!(0.0f64, |l| 0.5 * a[l]);
    let mut r = lanewise!(0.0f64, |l| f64::from_bits(
        RSQRT_MAGIC.wrapping_sub(a[l].to_bits() >> 1)
    ));
    let mut step = 0;
    while step < 3 {
        r = lanewise!(0.0f64, |l| r[l] * (1.5 - half[l] * r[l] * r[l]));
        step += 1;
    }
    let y = lanewise!(0u32, |l| ((a[l] * r[l]) as f32).to_bits());
    let up = lanewise!(0u32, |l| y[l].wrapping_add(1));
    let down = lanewise!(0u32, |l| y[l].wrapping_sub(1));
    let above = lanewise!(0.0f64, |l| (f32::from_bits(y[l]) as f64
        + f32::from_bits(up[l]) as f64)
        * 0.5);
    let below = lanewise!(0.0f64, |l| (f32::from_bits(y[l]) as f64
        + f32::from_bits(down[l]) as f64)
        * 0.5);
    let go_up = lanewise!(0u32, |l| mask(above[l] * above[l] < a[l]));
    let go_down = lanewise!(0u32, |l| mask(below[l] * below[l] > a[l]));
    lanewise!(0.0f32, |l| f32::from_bits(pick(
        itself[l],
        bits[l],
        pick(
            nan[l],
            f32::NAN.to_bits(),
            pick(go_up[l], up[l], pick(go_down[l], down[l], y[l]))
        )
    )))
}

/// Each lane's [`crate::tokens::argmax`]: the index of its largest logit,
/// the first on a tie, 0 where every logit is NaN. Without a branch on the
/// logits: the largest number of each lane (from minus infinity, taking a
/// logit where it is above, so never a NaN: one vector `max` instruction
/// per logit), then from the last index to the first, every index that
/// holds it (so the first is left).
///
/// # Panics
///
/// If there are more than 256 logits (the index is a `u8`).
#[inline(always)]
#[must_use]
pub const fn argmax<const V: usize>(logits: &[Lanes; V]) -> [u8; LANES] {
    assert!(V <= 256, "adder: argmax of at most 256 logits");
    let mut top = [f32::NEG_INFINITY; LANES];
    let mut v = 0;
    while v < V {
        let mut lane = 0;
        while lane < LANES {
            let x = logits[v][lane];
            top[lane] = if x > top[lane] { x } else { top[lane] };
            lane += 1;
        }
        v += 1;
    }
    // The index as an `f32` (exact below 2^24), so that the select is on
    // the same lanes as the comparison.
    let mut index = [0.0f32; LANES];
    let mut v = V;
    while v > 0 {
        v -= 1;
        let mut lane = 0;
        while lane < LANES {
            index[lane] = if logits[v][lane] == top[lane] {
                v as f32
            } else {
                index[lane]
            };
            lane += 1;
        }
    }
    let mut out = [0u8; LANES];
    let mut lane = 0;
    while lane < LANES {
        out[lane] = index[lane] as u8;
        lane += 1;
    }
    out
}

/// Lane `lane` of each of `values`: one addition's numbers out of the lanes.
#[inline(always)]
#[must_use]
pub const fn lane<const N: usize>(values: &[Lanes; N], lane: usize) -> [f32; N] {
    let mut out = [0.0; N];
    let mut i = 0;
    while i < N {
        out[i] = values[i][lane];
        i += 1;
    }
    out
}

/// The rows of `table` that each lane's token at `position` picks, side by
/// side: lane `l` of entry `d` is `table[tokens[l][position]][d]`.
///
/// # Panics
///
/// If a token has no row.
#[inline(always)]
#[must_use]
pub const fn gather<const N: usize, const V: usize, const T: usize>(
    table: &[[f32; N]; V],
    tokens: &[[u8; T]; LANES],
    position: usize,
) -> [Lanes; N] {
    let mut rows = [[0.0; N]; LANES];
    let mut lane = 0;
    while lane < LANES {
        rows[lane] = table[tokens[lane][position] as usize];
        lane += 1;
    }
    let mut out = [[0.0; LANES]; N];
    let mut i = 0;
    while i < N {
        let mut lane = 0;
        while lane < LANES {
            out[i][lane] = rows[lane][i];
            lane += 1;
        }
        i += 1;
    }
    out
}
