//! The two floats a model computes in: `f32`, as the board's models are
//! trained, and `f64` (`dtype: f64` in a spec), for constructions whose
//! weights need its range or precision. [`Float`] is what a [`crate::Step`]
//! holds; the `f64` kin of the `f32` helpers the generated code calls are
//! here, as `const fn`s (a trait's methods cannot be called in `const`).

use core::fmt;

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}

/// `f32` or `f64`: the numbers of a model's forward pass. Sealed: the
/// generated code and the verifier know these two alone.
pub trait Float:
    sealed::Sealed + Copy + PartialOrd + fmt::Debug + fmt::Display + Default + 'static
{
    /// The value, exactly, as `f64`.
    fn to_f64(self) -> f64;
}

impl Float for f32 {
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
}

impl Float for f64 {
    fn to_f64(self) -> f64 {
        self
    }
}

/// [`crate::tokens::argmax`] for `f64` logits: the index of the largest
/// logit, the first one on a tie, as `torch.argmax`; a NaN never wins
/// (every logit NaN: index 0).
#[must_use]
pub const fn argmax_f64<const V: usize>(logits: &[f64; V]) -> usize {
    let mut best = 0;
    let mut i = 1;
    while i < V {
        if logits[i] > logits[best] || (logits[best].is_nan() && !logits[i].is_nan()) {
            best = i;
        }
        i += 1;
    }
    best
}

/// [`crate::math::relu`] in `f64`: `x` where `x > 0`, else `0.0`.
#[must_use]
pub const fn relu_f64(x: f64) -> f64 {
    if x > 0.0 { x } else { 0.0 }
}

/// [`crate::math::square`] in `f64`.
#[must_use]
pub const fn square_f64(x: f64) -> f64 {
    x * x
}

/// [`crate::math::silu`] in `f64`, `x / (1 + e^-x)`, with [`crate::math::exp`].
#[must_use]
pub const fn silu_f64(x: f64) -> f64 {
    x / (1.0 + crate::math::exp(-x))
}

/// [`crate::math::normed`] in `f64`: `x * inv`.
#[must_use]
pub const fn normed_f64<const WIDTH: usize>(x: f64, inv: f64) -> f64 {
    x * inv
}
