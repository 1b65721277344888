//! Affine forms that enclose what the `f32` code computes, keeping how each
//! quantity depends on the heads' outputs: the verifier's second twin
//! ([`crate::bounds`]).
//!
//! An [`A`] is `c + sum_i a_i e_i + r e'`: `e_i` in `[-1, 1]` are shared by
//! every quantity of one evaluation (one per coordinate of the heads'
//! outputs), `e'` is a fresh one of its own. For each choice of the `e_i`,
//! the `f32` the code holds lies in the range of the rest. Intervals
//! ([`crate::interval`]) forget that `x - x = 0`; these keep it to first
//! order, so a norm, a gated MLP and a tied head over a box of attention
//! outputs lose only what their curvature does, and two logits that move
//! together keep their difference ([`A::minus`]).
//!
//! Every operation adds to `r`: the code's own rounding of its `f32`
//! result (a relative `2^-24` of the result's greatest magnitude, and
//! `2^-149` below the normal range), the `f64` rounding of the coefficients
//! (a relative `2^-51` of the terms they sum), and, for a nonlinear
//! function, the mean-value remainder: `f(x) = f(c) + f'(xi) (x - c)` with
//! `f'` enclosed over the whole range ([`crate::verify::real`]). Where a
//! result may overflow `f32` or be NaN, it is [`A::ANY`].

mod form;
mod functions;

pub use form::{A, NOISE};
pub use functions::{gelu, relu, silu, sqrtf, square};

#[cfg(test)]
mod tests;
