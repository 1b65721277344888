//! A verdict over all 10^20 operand pairs for one-layer models whose
//! attention reads the tokens (RoPE, norms, trained projections), which the
//! position-only proof ([`crate::proof`]) cannot take. It holds for the
//! `f32` code that runs, every rounding included.
//!
//! # The argument
//!
//! Induction over the answer steps `k = 0..=10`: if the digits written
//! before step `k` are the true digits of `a + b`, the context at step `k`
//! is the prompt of `a` and `b` followed by `s_0 .. s_{k-1}`, and the model
//! must write `s_k`. For each `k` the contexts are split into *local
//! states*: the digits at places `k` and `k - 1` of both operands and the
//! carry into place `k - 1` (170,300 states over the 11 steps). A state
//! fixes the last token (`s_{k-1}`) and so the query, the residual stream
//! and the digit to write; every other digit of the context is free, any of
//! 0..=9.
//!
//! For one state, the verifier encloses every `f32` the model computes in
//! any context of the state:
//!
//! 1. Keys and values depend on a position's token alone (one layer): they
//!    are computed exactly, by the model's own `embed`, `key_at` and
//!    `value_at`, for each of the 10 tokens a free position may hold; its
//!    score (in the order `attend` sums it) and value are the hull of the
//!    ten.
//! 2. The softmax and the mixing of values follow `attend` operation for
//!    operation over [intervals](crate::interval) (max, `expf`, the sum in
//!    position order, the division, the weighted sum in position order).
//! 3. The rest of the layer and the head run in the model's `interval`
//!    module: the emitted `f32` code with `f32` read as an interval.
//! 4. The state is settled when the right digit's logit is above every
//!    other logit for every value in the intervals (strictly: `argmax` takes
//!    the first of equal logits). Otherwise the free position that may
//!    take the most attention is fixed to each of its 10 tokens in turn,
//!    twice at most; what is still unsettled is searched for a pair that
//!    `checked_add` gets wrong: random pairs of every state as it is found,
//!    then a descent on the model's own margin in the states whose margin
//!    may be lowest (`hunt.rs`).
//!
//! Premises: IEEE 754 `f32` arithmetic rounding to nearest (Rust never
//! contracts `a * b + c` into a fused operation); the crate's `expf` and
//! `erff` within 1 ulp, `sqrtf` correctly rounded ([`crate::interval`]);
//! the twin and this attention compute the model's own logits bit for bit
//! on a fully known context (`tests/tests/bounds.rs` checks both on
//! thousands of contexts per model).

use core::fmt;

use crate::tokens::Position;
use crate::verify::interval::I;

mod hunt;
mod kernel;
mod search;
mod state;

pub use kernel::{Kernel, Unsettled};
use kernel::{MAX_HEADS, MAX_LEN};
use search::Run;
use state::{Slot, tables};

/// What [`verify`] found.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Outcome {
    /// Every state settled: `add` is right on all 10^20 pairs.
    Proved {
        /// The smallest lower bound of the right logit minus the others.
        margin: f32,
        /// States settled, splits included.
        states: usize,
    },
    /// A pair `checked_add` gets wrong, found in an unsettled state.
    Refuted {
        /// The first operand.
        a: u64,
        /// The second operand.
        b: u64,
        /// What `checked_add` returned.
        sum: Option<u64>,
    },
    /// States the bounds could not settle, and no wrong pair found in them.
    Undecided {
        /// States evaluated, splits included.
        states: usize,
        /// States left unsettled after splitting.
        unsettled: usize,
        /// Of those, how many at each answer step.
        per_step: [usize; 11],
        /// The one with the lowest margin.
        worst: Unsettled,
    },
    /// The verifier does not take this model, and why.
    Unsupported(&'static str),
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Proved { margin, states } => {
                write!(f, "proved (margin {margin:e}, {states} states)")
            }
            Outcome::Refuted { a, b, .. } => write!(f, "refuted at {a} + {b}"),
            Outcome::Undecided {
                states,
                unsettled,
                per_step,
                worst,
            } => write!(
                f,
                "undecided: {unsettled} of {states} states unsettled (per step {per_step:?}); \
                 worst at step {} (a_k b_k a_k-1 b_k-1 = {:?}, carry {}), margin in \
                 [{:e}, {:e}], {} digits free, one of which may take up to {:.2e} of a \
                 head's attention; needed: more of them fixed (a larger split budget) or \
                 a bound that keeps a position's score and value together",
                worst.step,
                worst.digits,
                worst.carry,
                worst.margin.lo,
                worst.margin.hi,
                worst.free,
                worst.heaviest
            ),
            Outcome::Unsupported(why) => write!(f, "not verified: {why}"),
        }
    }
}

/// The verdict of the bounds for the model of `kernel`.
#[must_use]
pub fn verify<const E: usize, const Q: usize, const KV: usize, const V: usize>(
    kernel: &Kernel<E, Q, KV, V>,
) -> Outcome {
    let prompt_len = kernel.format.prompt_len();
    if prompt_len + 11 > MAX_LEN || kernel.n_head > MAX_HEADS {
        return Outcome::Unsupported("a context or head count beyond the verifier's arrays");
    }
    let fixed: [u8; MAX_LEN] = kernel.format.sequence(0, 0);
    if !matches!(kernel.format.position(prompt_len - 1), Position::Token(_)) {
        return Outcome::Unsupported("a prompt that ends in a digit");
    }
    let mut run = Run::new(kernel);
    for k in 0..=10 {
        let len = prompt_len + k;
        let last_tokens: &[u8] = if k == 0 {
            &fixed[prompt_len - 1..prompt_len]
        } else {
            &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
        };
        for &last in last_tokens {
            let tables = tables(kernel, &fixed, len, last);
            run.step(&tables, k, last);
            if let Some((a, b, sum)) = run.hunter.refuted {
                return Outcome::Refuted { a, b, sum };
            }
        }
    }
    if run.worst.is_some() {
        run.hunter.descend();
        if let Some((a, b, sum)) = run.hunter.refuted {
            return Outcome::Refuted { a, b, sum };
        }
    }
    match run.worst {
        None => Outcome::Proved {
            margin: run.margin,
            states: run.states,
        },
        Some(worst) => Outcome::Undecided {
            states: run.states,
            unsettled: run.unsettled,
            per_step: run.per_step,
            worst,
        },
    }
}

/// The verifier's logits on a context (`tokens`, the prompt and the
/// answer so far) whose digits at the positions in `free` may be any digit.
/// With none free, every interval should be the one value the model's own
/// `step` computes; with some, hold it for every digit there
/// (`tests/bounds.rs` checks both).
///
/// # Panics
///
/// If `tokens` is empty, longer than the verifier's arrays, or holds a
/// digit position whose token is not a digit.
#[must_use]
pub fn logits_of<const E: usize, const Q: usize, const KV: usize, const V: usize>(
    kernel: &Kernel<E, Q, KV, V>,
    tokens: &[u8],
    free: &[usize],
) -> [I; V] {
    let len = tokens.len();
    assert!(
        (1..=MAX_LEN).contains(&len),
        "a context of 1 to {MAX_LEN} tokens"
    );
    let mut fixed = [0u8; MAX_LEN];
    fixed[..len].copy_from_slice(tokens);
    let tables = tables(kernel, &fixed, len, tokens[len - 1]);
    let mut slots = [Slot::Free; MAX_LEN];
    for p in 0..len {
        slots[p] = match kernel.format.position(p) {
            Position::Token(_) => Slot::Token(0),
            _ if free.contains(&p) && p + 1 < len => Slot::Free,
            _ => {
                assert!(tokens[p] < 10, "a digit position holds a digit");
                Slot::Digit(tokens[p])
            }
        };
    }
    let run = Run::new(kernel);
    run.logits(&tables, &slots)
}
