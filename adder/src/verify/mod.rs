//! The verifier: what can be said of a compiled model over all 10^20
//! operand pairs, and the pieces that say it.
//!
//! - [`proof`]: the position-only proof, by exhaustion over local states,
//!   for models whose attention reads positions alone (the seed's family).
//! - [`interval`]: intervals that enclose every `f32` the code computes.
//! - [`interval64`], [`affine64`]: the same for `f64` code.
//! - [`affine`]: affine forms that enclose it too, keeping how each value
//!   depends on the heads' outputs.
//! - [`bounds`]: the interval verifier, for models whose attention reads
//!   the tokens, of one layer or more.
//! - [`fixed`]: the verifier of one-layer models whose attention is the
//!   same for every prompt (the `f64` constructions' score tables).
//! - [`verdict`]: the three answers, in order of the evidence: proved,
//!   refuted by a pair the model really gets wrong, or undecided and why.
//!
//! Each is re-exported at the crate's root (`adder::proof`, ...), the
//! paths the generated code names.

pub mod affine;
pub mod bounds;
pub mod fixed;
pub mod interval;
pub mod interval64;
pub mod proof;
pub mod real;
pub mod verdict;

pub use affine::wide as affine64;
