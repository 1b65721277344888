#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// The verifier's threads, with the `std` feature.
#[cfg(feature = "std")]
extern crate std;

// The generated code names this crate by its absolute path, `::adder`.
extern crate self as adder;

pub mod board;
pub mod float;
pub mod lanes;
pub mod math;
pub mod models;
pub mod sparse;
mod step;
pub mod tokens;
pub mod verify;

pub use verify::{affine, affine64, bounds, fixed, interval, interval64, proof, verdict};

/// Compiles a weight spec into a module of `const fn`s: see the crate docs.
pub use adder_macros::model;
pub use float::Float;
pub use models::adder58::{PARAM_COUNT, add, checked_add};
pub use step::{Shown, Step, Trace};
pub use tokens::MAX_OPERAND;

pub use lanes::LANES;
pub use models::adder58::{add_lanes, checked_add_lanes};
