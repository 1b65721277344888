//! A verdict over all 10^20 operand pairs for models whose attention
//! reads the tokens (RoPE, norms, trained projections), which the
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
//! any context of the state, cheapest first:
//!
//! 1. Keys and values depend on a position's token alone (in layer 0):
//!    they are computed exactly, by the model's own `embed`, `key_at` and
//!    `value_at`, for each of the 10 tokens a free position may hold. In a
//!    model of more layers, layer 0's output is enclosed at every position
//!    and the layers above run on those enclosures (`deep/`), to the same
//!    last position's residual stream and heads' outputs as below.
//! 2. **Hulls**: each free position's score and value are the hulls of the
//!    ten; the softmax and the mixing follow `attend` operation for
//!    operation over [intervals](crate::interval), and the rest of the
//!    layer and the head run in the model's `interval` twin (the emitted
//!    code with `f32` read as an interval). Exact where the attention is
//!    sharp.
//! 3. **Coupled attention** (`attention.rs`, one layer): each output coordinate of
//!    each head bounded as the least and greatest `sum w v / sum w` over
//!    every token per free position, each position's score and value kept
//!    together (a fractional program, solved by Dinkelbach's iteration and
//!    certified with its own rounding), then the code's `f32` rounding of
//!    the softmax and the mixing added.
//! 4. **An oriented box** (`oriented.rs`, one layer): the same fractional
//!    program along each head's principal directions (how the free
//!    positions' tokens move its output) instead of its coordinates. A
//!    head whose output moves along a line as the free digits change gets
//!    a box as long as the line and thin across it; the forms take it where
//!    it bounds the margin tighter than the box of coordinates.
//! 5. **Affine forms** (`margin.rs`, [`crate::affine`]): the model's
//!    `affine` twin over that box keeps how every quantity depends on the
//!    heads' outputs (and on the residual stream, where more layers leave it
//!    an enclosure), so the right logit minus each other is bounded as one
//!    quantity. Where that does not settle the state, the box is cut in
//!    half across the side the closest other logit moves most with, and
//!    each half bounded in turn (branch and bound): once in the first
//!    pass, up to four times deep in the later ones.
//! 6. The state is **right** when the margin's lower bound is above 0
//!    (strictly: `argmax` takes the first of equal logits), **wrong** when
//!    its upper bound is below 0 (the right logit below another in every
//!    context). Otherwise it stays open for the next pass.
//!
//! The first pass bounds every state once; a second pass splits the
//! states still open, fixing the free position that may take the most
//! attention to each digit in turn (and another inside it), as deep as the
//! 1,000,000 evaluations it shares among them allow (three levels at most):
//! branching where it pays. A part whose fixed digits contradict its
//! carry holds no context and is skipped. States run as jobs, one per step
//! and last token, on every core with the `std` feature (`jobs.rs`).
//!
//! What stays open is searched for a pair that `checked_add` gets wrong:
//! random pairs in the first states found, then a descent on the model's
//! own margin in the states whose margin may be lowest (`hunt.rs`). From
//! the states settled right and wrong, `certify.rs` counts exactly how many
//! of the 10^20 pairs are certainly right and certainly wrong
//! ([`Certified`]).
//!
//! Premises: IEEE 754 `f32` arithmetic rounding to nearest (Rust never
//! contracts `a * b + c` into a fused operation); the crate's `expf` and
//! `erff` within 1 ulp, `sqrtf` correctly rounded ([`crate::interval`]);
//! the twin and this attention compute the model's own logits bit for bit
//! on a fully known context, and every bound holds the real logits and
//! margins of contexts with digits freed (`tests/tests/bounds.rs` checks
//! both on thousands of contexts per model).

use core::fmt;

use crate::tokens::Position;
use crate::verify::interval::I;

mod attention;
pub(crate) mod certify;
mod deep;
mod hunt;
mod jobs;
mod kernel;
mod margin;
mod oriented;
mod search;
mod state;
mod stream;
mod weights;

pub use certify::Certified;
pub use jobs::JOBS;
use jobs::Pass;
#[cfg(feature = "std")]
pub use jobs::{Progress, progress};
use kernel::{BISECTIONS, EVALUATIONS, MAX_HEADS, MAX_LEN, STATE_BUDGET, STREAM_PARTS};
pub use kernel::{Deep, Kernel, Unsettled};
use search::{Effort, Run};
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
        /// The pairs certainly right and certainly wrong.
        certified: Certified,
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
        /// The pairs certainly right and certainly wrong.
        certified: Certified,
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
                ..
            } => write!(
                f,
                "undecided: {unsettled} of {states} states unsettled (per step {per_step:?}); \
                 worst at step {} (a_k b_k a_k-1 b_k-1 = {:?}, carry {}), margin \
                 in [{:e}, {:e}] with positions fixed by splitting {:?}, {} digits free, \
                 one of which may take up to {:.2e} of a head's attention",
                worst.step,
                worst.digits,
                worst.carry,
                worst.margin.lo,
                worst.margin.hi,
                worst.fixed,
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
    // The first pass bounds every state once; each later one splits the
    // states still open, as deep as the evaluations they share allow.
    let first = Pass {
        number: 0,
        fixed: &fixed,
        effort: Effort {
            budget: 1,
            cuts: 1,
            stream_parts: STREAM_PARTS,
        },
        done: None,
    };
    let mut run = jobs::run_all(kernel, &first);
    let budget = (EVALUATIONS / run.unsettled.max(1)).min(STATE_BUDGET);
    if run.unsettled > 0 && budget >= 11 {
        let done = run.certificate.clone();
        let second = Pass {
            number: 1,
            fixed: &fixed,
            effort: Effort {
                budget,
                cuts: BISECTIONS,
                stream_parts: 0,
            },
            done: Some(&done),
        };
        let later = jobs::run_all(kernel, &second);
        run.follow(&later);
    }
    if run.worst.is_some() && run.hunter.refuted.is_none() {
        run.hunter.descend();
    }
    let certified = run.certificate.count();
    if let Some((a, b, sum)) = run.hunter.refuted {
        return Outcome::Refuted {
            a,
            b,
            sum,
            certified,
        };
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
            certified,
        },
    }
}

/// What a context's positions hold for the verifier: `tokens`, with the
/// digit positions in `free` (all but the last) any digit.
fn slots_of<const E: usize, const Q: usize, const KV: usize, const V: usize>(
    kernel: &Kernel<E, Q, KV, V>,
    tokens: &[u8],
    free: &[usize],
) -> [Slot; MAX_LEN] {
    let len = tokens.len();
    assert!(
        (1..=MAX_LEN).contains(&len),
        "a context of 1 to {MAX_LEN} tokens"
    );
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
    slots
}

/// The verifier's bound of the logit of `want` minus the best other, on a
/// context (`tokens`) whose digits at the positions in `free` may be any
/// digit: the bound its search settles a state with, by both twins. The
/// real margin lies inside it for every digit there (`tests/bounds.rs`).
///
/// # Panics
///
/// As [`logits_of`].
#[must_use]
pub fn margin_of<const E: usize, const Q: usize, const KV: usize, const V: usize>(
    kernel: &Kernel<E, Q, KV, V>,
    tokens: &[u8],
    free: &[usize],
    want: u8,
) -> I {
    let slots = slots_of(kernel, tokens, free);
    let len = tokens.len();
    let mut fixed = [0u8; MAX_LEN];
    fixed[..len].copy_from_slice(tokens);
    let tables = tables(kernel, &fixed, len, tokens[len - 1]);
    // A later pass's bound: the box of the heads' outputs cut as often as
    // the search ever cuts it.
    let effort = Effort {
        budget: STATE_BUDGET,
        cuts: BISECTIONS,
        stream_parts: STREAM_PARTS,
    };
    Run::new(kernel, 0, effort).bound(&tables, &slots, want).0
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
    let slots = slots_of(kernel, tokens, free);
    let len = tokens.len();
    let mut fixed = [0u8; MAX_LEN];
    fixed[..len].copy_from_slice(tokens);
    let tables = tables(kernel, &fixed, len, tokens[len - 1]);
    let effort = Effort {
        budget: 1,
        cuts: 1,
        stream_parts: 0,
    };
    let run = Run::new(kernel, 0, effort);
    run.logits(&tables, &slots)
}
