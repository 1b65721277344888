//! Affine forms that enclose what the `f32` code computes, keeping how each
//! quantity depends on the heads' outputs: the verifier's second twin
//! ([`crate::bounds`]).
//!
//! An [`A`] is `c + sum_i a_i e_i + sum_j k_j f_j + r e'`: `e_i` in
//! `[-1, 1]` are shared by every quantity of one evaluation (one per
//! coordinate of the heads' outputs), `f_j` are error symbols (one per
//! rounding and per nonlinear remainder of the evaluation, shared by every
//! quantity computed from it: [`Errors`]), `e'` is a fresh one of its own.
//! For each choice of the shared symbols, the `f32` the code holds lies in
//! the range of the rest. Intervals ([`crate::interval`]) forget that
//! `x - x = 0`; these keep it to first order, so a norm, a gated MLP and a
//! tied head over a box of attention outputs lose only what their
//! curvature does, and two logits that move together keep their
//! difference ([`A::minus`]): near `1e5` and a tenth apart, as the G1
//! models' are, their common roundings cancel.
//!
//! Every operation adds an error symbol: the code's own rounding of its
//! `f32` result (a relative `2^-24` of the result's greatest magnitude,
//! and `2^-149` below the normal range), and, for a nonlinear function, the
//! mean-value remainder: `f(x) = f(c) + f'(xi) (x - c)` with `f'` enclosed
//! over the whole range ([`crate::verify::real`]). The `f64` rounding of
//! the coefficients (a relative `2^-51` of the terms they sum) goes to the
//! own radius `r`, as do the least error terms beyond [`ERRORS`]. Where a
//! result may overflow `f32` or be NaN, it is [`A::ANY`].

mod errors;
mod form;
mod functions;
pub mod wide;

pub use errors::{ERRORS, Errors};
pub use form::{A, NOISE};
pub use functions::{gelu, normed, relu, silu, sqrtf, square};

#[cfg(test)]
mod tests;
