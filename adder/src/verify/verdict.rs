//! One of three verdicts for any compiled model over all 10^20 operand
//! pairs, never a wrong one: proved, refuted by a concrete pair whose `add`
//! is wrong, or undecided with the reason.
//!
//! The evidence, in order:
//!
//! 1. The position-only proof ([`crate::proof`]): where its premises hold,
//!    it proves the model right on every pair, or finds a reachable local
//!    state whose digit is wrong; that pair is confirmed by running `add`.
//! 2. A search for a counterexample: the public AdderBoard's 10,010 pairs
//!    ([`crate::board`]), then carry chains of every length both ways, then
//!    the pairs an independent verification of the board reported wrong
//!    ([`crate::board::REPORTED`]). A pair is reported only after `add`
//!    gets it wrong.
//! 3. The interval verifier ([`crate::bounds`]), for models whose attention
//!    reads the tokens, or, for an `f64` model, the verifier of fixed
//!    attention ([`crate::fixed`]): it proves the model right on every pair
//!    for the code that runs, or finds a wrong pair in a state it could
//!    not settle (confirmed by running `add`), or says which states it
//!    could not settle.
//! 4. Otherwise the model is **undecided**: right on every pair tried, with
//!    the verifier's reason. A sample that passes is not a proof, and is
//!    never reported as one.

use core::fmt;

use super::bounds::{Certified, Outcome};
use super::proof::Refutation;
use crate::models::Named;

/// Which argument proved a model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// The position-only proof: every local state run through the model.
    Positions,
    /// The interval verifier: every local state enclosed.
    Intervals,
}

/// What can be said of a model over all 10^20 operand pairs.
#[derive(Clone, Copy, Debug, PartialEq)]
// `no_std`: no `Box` for the undecided outcome's report; a verdict is made
// once per model.
#[allow(clippy::large_enum_variant)]
pub enum Verdict {
    /// `add` returns `a + b` for every pair.
    Proved {
        /// The smallest margin of the right logit over the others: the
        /// top-1 minus top-2 gap (positions), or its lower bound (intervals).
        margin: f32,
        /// Local states settled.
        states: usize,
        /// The argument.
        method: Method,
    },
    /// `add(a, b)` does not return `a + b`: checked by running the model.
    Refuted {
        /// The pairs certainly right and certainly wrong, where the
        /// interval verifier takes the model ([`Certified::NONE`] where not).
        certified: Certified,
        /// The first operand.
        a: u64,
        /// The second operand.
        b: u64,
        /// What `checked_add` returned: a wrong sum, or `None` where the
        /// network wrote a token that is not a digit (and `add` panics).
        sum: Option<u64>,
        /// How many pairs were tried before it (0 where the proof found it).
        tried: usize,
    },
    /// Neither: why, and how many pairs were tried, all right.
    Undecided {
        /// The pairs certainly right and certainly wrong.
        certified: Certified,
        /// Why the position-only proof does not apply.
        reason: Refutation,
        /// What the interval verifier said: undecided or unsupported.
        bounds: Outcome,
        /// The pairs tried, every one of them right.
        tried: usize,
    },
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Proved {
                margin,
                states,
                method: Method::Positions,
            } => write!(
                f,
                "proved (smallest logit gap {margin:.4}, {states} local states)"
            ),
            Verdict::Proved {
                margin,
                states,
                method: Method::Intervals,
            } => write!(
                f,
                "proved by interval bounds (smallest margin {margin:e}, {states} states)"
            ),
            Verdict::Refuted {
                a,
                b,
                sum: Some(sum),
                ..
            } => write!(f, "refuted: {a} + {b} gives {sum}, not {}", a + b),
            Verdict::Refuted {
                a, b, sum: None, ..
            } => {
                write!(f, "refuted: {a} + {b} writes a token that is not a digit")
            }
            Verdict::Undecided { tried, bounds, .. } => {
                write!(f, "right on {tried} pairs tried; {bounds}")
            }
        }
    }
}

impl Verdict {
    /// The pairs certainly right and certainly wrong: all right where
    /// proved.
    #[must_use]
    pub const fn certified(&self) -> Certified {
        match *self {
            Verdict::Proved { .. } => Certified::ALL,
            Verdict::Refuted { certified, .. } | Verdict::Undecided { certified, .. } => certified,
        }
    }
}

/// The carry chains: `10^n - 1` plus 1 both ways, and nines plus nines.
fn carry_chains() -> impl Iterator<Item = (u64, u64)> {
    (1..=10u32).flat_map(|n| {
        let nines = 10u64.pow(n) - 1;
        [(nines, 1), (1, nines), (nines, nines)]
    })
}

/// What the interval verifier certifies of the model's accuracy, where it
/// takes the model.
fn certified(bounds: &Outcome) -> Certified {
    match *bounds {
        Outcome::Proved { .. } => Certified::ALL,
        Outcome::Refuted { certified, .. } | Outcome::Undecided { certified, .. } => certified,
        Outcome::Unsupported(_) => Certified::NONE,
    }
}

/// The model's verdict: see the module docs for the evidence, in order.
/// A refuted model gets its certified accuracy from the interval verifier
/// too, where it takes the model.
#[must_use]
pub fn verdict(model: &Named) -> Verdict {
    let refuted = |a, b, sum, tried| Verdict::Refuted {
        a,
        b,
        sum,
        tried,
        certified: certified(&(model.bounds)()),
    };
    let reason = match (model.prove)() {
        Ok(proof) => {
            return Verdict::Proved {
                margin: proof.margin,
                states: proof.states,
                method: Method::Positions,
            };
        }
        Err(refutation @ Refutation::Wrong { a, b, .. }) => {
            let sum = (model.checked_add)(a, b);
            // The proof's state is reachable by this pair: the model confirms
            // it, or the refutation is not reported (a verdict is never
            // taken on the proof's word alone).
            if sum != Some(a + b) {
                return refuted(a, b, sum, 0);
            }
            refutation
        }
        Err(reason) => reason,
    };
    let mut tried = 0;
    for (a, b) in crate::board::pairs()
        .chain(carry_chains())
        .chain(crate::board::REPORTED)
    {
        tried += 1;
        let sum = (model.checked_add)(a, b);
        if sum != Some(a + b) {
            return refuted(a, b, sum, tried);
        }
    }
    let bounds = (model.bounds)();
    match bounds {
        Outcome::Proved { margin, states } => Verdict::Proved {
            margin,
            states,
            method: Method::Intervals,
        },
        // The verifier ran `checked_add` on it; checked again here all the same.
        Outcome::Refuted {
            a, b, certified, ..
        } if (model.checked_add)(a, b) != Some(a + b) => Verdict::Refuted {
            a,
            b,
            sum: (model.checked_add)(a, b),
            tried,
            certified,
        },
        bounds => Verdict::Undecided {
            certified: certified(&bounds),
            reason,
            bounds,
            tried,
        },
    }
}
