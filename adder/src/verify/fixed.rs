//! A verdict over all 10^20 operand pairs for one-layer models whose
//! attention weights are the same for every prompt: the `f64` hand-coded
//! constructions whose heads look where a fixed table of scores sends them
//! (`Q = K = 0`, or keys that tell a digit from a separator and nothing
//! more). Their heads sum over every earlier place, so no local state of a
//! few positions holds what a step reads (the position-only proof's
//! premise), and the interval verifier's hull of the free positions loses
//! the carry their sums encode; this argument keeps it.
//!
//! # The argument
//!
//! Induction over the answer steps, as [`crate::bounds`]: if the digits
//! written before step `k` are right, the context is the prompt and `s_0 ..
//! s_{k-1}`, and step `k` must write `s_k`. The local states are that
//! verifier's: the digits at places `k` and `k - 1` and the carry into
//! `k - 1`.
//!
//! 1. **The weights are one set per step.** At every position each token it
//!    may hold (a digit, or its fixed token) has the same key, bit for bit,
//!    and at the last position the same query: checked for every token at
//!    every position, a complete check. So the scores, and the weights the
//!    same code computes from them, are the same for every prompt; they are
//!    read from the model's own `step`, and compared across prompts too.
//! 2. **Each head's output is a sum of fixed products.** The code computes
//!    `fl(sum_j w_j v_j)` in position order, each `v_j` a function of the
//!    token at `j` alone. Its exact value is bounded over a state: the
//!    positions of the state's places and of the fixed tokens are known;
//!    each position of a place above is free (its least and greatest
//!    product); the places below hold digits whose carry into place `k - 1`
//!    is the state's, and the least and greatest sum of their products (the
//!    sum digits they wrote included) under that constraint come from one
//!    pass over the places with the carry as its state: exact, not a hull
//!    of the free positions. The code's sum is within `gamma_n sum |w_j
//!    v_j|` of the exact value (`n` products and sums rounded to nearest,
//!    Higham, *Accuracy and Stability of Numerical Algorithms*, §3.1), plus
//!    `n 2^-1074` for products below the normal range.
//! 3. **The rest runs over intervals**: the residual stream (the last
//!    token's embedding, known) and those bounds through the model's
//!    `interval` twin ([`crate::interval64`]), operation for operation.
//! 4. A state is **right** when the right logit's lower bound is above
//!    every other's upper bound (`argmax` takes the first of equal logits),
//!    **wrong** when another's lower bound is above its upper bound (every
//!    context of the state writes a wrong digit; one pair of it is run
//!    through `checked_add` to confirm), otherwise open.
//!
//! Premises checked here: the twin computes the model's own logits bit for
//! bit on a full context of every step (the tests check thousands); IEEE
//! 754 `f64` arithmetic rounding to nearest. From the states settled, the
//! pairs certainly right and certainly wrong are counted exactly
//! ([`Certified`]), as for the interval verifier.

mod sums;

use crate::tokens::{Format, Piece, Position, encode};
use crate::verify::affine64::A64;
use crate::verify::bounds::certify::{Certificate, Local, states};
use crate::verify::bounds::{Certified, Outcome, Unsettled};
use crate::verify::interval::I;
use crate::verify::interval64::I64;
use crate::verify::real::f32_down as down;
use sums::Sums;

/// What [`verify`] reads of a model, as function pointers: every model
/// module of one layer in `f64` without norms has one as `FIXED`. `E` is
/// the residual width, `H` the heads, `T` the block, `Q` and `KV` the
/// query and key/value widths, `V` the vocabulary.
pub struct Fixed<
    const E: usize,
    const H: usize,
    const T: usize,
    const Q: usize,
    const KV: usize,
    const V: usize,
> {
    /// The prompt's layout.
    pub format: &'static Format,
    /// Key and value heads.
    pub n_kv_head: usize,
    /// The width of a head.
    pub head_dim: usize,
    /// Token embedding (plus positions) at a position.
    pub embed: fn(usize, usize) -> [f64; E],
    /// Layer 0's key and value of a token at a position.
    pub key_value: fn(usize, usize) -> ([f64; KV], [f64; KV]),
    /// The query of a residual stream at a position.
    pub query_at: fn(&[f64; E], usize) -> [f64; Q],
    /// The attention weights of the forward pass over a context.
    pub attention: fn(&[u8]) -> [[f64; T]; H],
    /// The logits of the forward pass over a context.
    pub step_logits: fn(&[u8]) -> [f64; V],
    /// The logits from the residual stream at the last position and the
    /// heads' outputs there: the `interval` twin.
    pub logits: fn(&[I64; E], &[I64; Q]) -> [I64; V],
    /// The same over affine forms: the `affine` twin.
    pub forms: fn(&[A64; E], &[A64; Q]) -> [A64; V],
    /// The model's `checked_add`.
    pub checked_add: fn(u64, u64) -> Option<u64>,
}

/// The answer steps.
const STEPS: usize = 11;

/// What [`verify`] says of the model of `model`.
#[must_use]
pub fn verify<
    const E: usize,
    const H: usize,
    const T: usize,
    const Q: usize,
    const KV: usize,
    const V: usize,
>(
    model: &Fixed<E, H, T, Q, KV, V>,
) -> Outcome {
    let format = model.format;
    let prompt_len = format.prompt_len();
    if format.answer_msb_first {
        return Outcome::Unsupported(
            "an answer written most significant digit first: the induction runs from the least",
        );
    }
    if prompt_len + STEPS - 1 > T || H * model.head_dim != Q || model.n_kv_head == 0 {
        return Outcome::Unsupported("a context longer than the block, or heads that do not fit");
    }
    if !matches!(format.position(prompt_len - 1), Position::Token(_)) {
        return Outcome::Unsupported("a prompt that ends in a digit");
    }
    if let Err(why) = weights_fixed(model) {
        return Outcome::Unsupported(why);
    }
    let mut run = Run::new();
    for step in 0..STEPS {
        let len = prompt_len + step;
        let tokens = context::<T>(format, 1_234_567_890, 9_876_543_210, step);
        let weights = (model.attention)(&tokens[..len]);
        for (a, b) in [(0, 0), (9_999_999_999, 9_999_999_999)] {
            if bits(&(model.attention)(&context::<T>(format, a, b, step)[..len])) != bits(&weights)
            {
                return Outcome::Unsupported("attention weights that differ between prompts");
            }
        }
        let sums = Sums::new(model, &weights, len);
        if !twin_exact(model, &sums, &tokens[..len]) {
            return Outcome::Unsupported("a twin that does not compute the model's logits");
        }
        for state in states(step) {
            run.settle(model, &sums, state);
        }
    }
    run.outcome()
}

/// Premise 1, per position: every token a position may hold has the same
/// key there, and at a last position the same query; values are finite.
fn weights_fixed<
    const E: usize,
    const H: usize,
    const T: usize,
    const Q: usize,
    const KV: usize,
    const V: usize,
>(
    model: &Fixed<E, H, T, Q, KV, V>,
) -> Result<(), &'static str> {
    let prompt_len = model.format.prompt_len();
    for position in 0..prompt_len + STEPS - 1 {
        let tokens = tokens_at(model.format, position);
        let key = (model.key_value)(tokens[0] as usize, position).0;
        let query = (model.query_at)(&(model.embed)(tokens[0] as usize, position), position);
        for &token in tokens {
            let (k, v) = (model.key_value)(token as usize, position);
            if bits(&[k]) != bits(&[key]) {
                return Err("keys that tell digits apart: the attention reads the tokens");
            }
            let q = (model.query_at)(&(model.embed)(token as usize, position), position);
            if position >= prompt_len - 1 && bits(&[q]) != bits(&[query]) {
                return Err("queries that tell digits apart: the attention reads the tokens");
            }
            if v.iter().any(|v| !v.is_finite()) {
                return Err("a value that is not finite");
            }
        }
    }
    Ok(())
}

/// The tokens `position` may hold: its fixed token, or any digit.
fn tokens_at(format: &Format, position: usize) -> &'static [u8] {
    /// Every token, to lend one a slice.
    const TOKENS: [u8; 256] = {
        let mut all = [0u8; 256];
        let mut i = 0;
        while i < 256 {
            all[i] = i as u8;
            i += 1;
        }
        all
    };
    if !matches!(format.position(position), Position::Token(_)) {
        return &TOKENS[..10];
    }
    let mut at = 0;
    for piece in format.prompt {
        match *piece {
            Piece::Token { token, .. } if at == position => {
                return &TOKENS[usize::from(token)..=usize::from(token)];
            }
            Piece::Token { .. } => at += 1,
            Piece::A { .. } | Piece::B { .. } => at += 10,
        }
    }
    unreachable!("a fixed token's position is in the prompt")
}

/// The context of answer step `step` of `a + b`: the prompt and the sum's
/// first `step` digits.
fn context<const T: usize>(format: &Format, a: u64, b: u64, step: usize) -> [u8; T] {
    let mut tokens: [u8; T] = format.sequence(a, b);
    let prompt_len = format.prompt_len();
    tokens[prompt_len..prompt_len + step].copy_from_slice(&encode(a + b)[..step]);
    tokens
}

fn bits<const N: usize, const M: usize>(rows: &[[f64; N]; M]) -> [[u64; N]; M] {
    rows.map(|row| row.map(f64::to_bits))
}

/// The twin premise on one full context: the heads' outputs summed as the
/// code sums them, through the twin, give the model's logits bit for bit.
fn twin_exact<
    const E: usize,
    const H: usize,
    const T: usize,
    const Q: usize,
    const KV: usize,
    const V: usize,
>(
    model: &Fixed<E, H, T, Q, KV, V>,
    sums: &Sums<Q, T>,
    context: &[u8],
) -> bool {
    let last = context.len() - 1;
    let mixed = sums.computed(model, context).map(I64::point);
    let residual = (model.embed)(context[last] as usize, last).map(I64::point);
    let twin = (model.logits)(&residual, &mixed);
    let logits = (model.step_logits)(context);
    twin.iter()
        .zip(logits)
        .all(|(t, l)| t.lo.to_bits() == l.to_bits() && t.hi.to_bits() == l.to_bits())
}

/// The states settled so far, and what the outcome needs of them.
struct Run {
    certificate: Certificate,
    states: usize,
    margin: f64,
    per_step: [usize; STEPS],
    worst: Option<Unsettled>,
    refuted: Option<(u64, u64, Option<u64>)>,
}

impl Run {
    // `no_std`: the certificate lives on the stack, 55 KB.
    #[allow(clippy::large_stack_arrays)]
    fn new() -> Run {
        Run {
            certificate: Certificate::new(),
            states: 0,
            margin: f64::INFINITY,
            per_step: [0; STEPS],
            worst: None,
            refuted: None,
        }
    }

    fn settle<
        const E: usize,
        const H: usize,
        const T: usize,
        const Q: usize,
        const KV: usize,
        const V: usize,
    >(
        &mut self,
        model: &Fixed<E, H, T, Q, KV, V>,
        sums: &Sums<Q, T>,
        state: Local,
    ) {
        self.states += 1;
        let [a_k, b_k, a_1, b_1] = state.digits;
        let (step, carry) = (state.step, state.carry);
        let below = a_1 + b_1 + carry;
        let last_token = if step == 0 {
            tokens_at(model.format, sums.len - 1)[0]
        } else {
            below % 10
        };
        let carry_k = if step == 0 { 0 } else { below / 10 };
        let digit = usize::from(if step == 10 {
            carry_k
        } else {
            (a_k + b_k + carry_k) % 10
        });
        let mixed = sums.bounds(state, last_token);
        let residual = (model.embed)(usize::from(last_token), sums.len - 1);
        let logits = (model.logits)(&residual.map(I64::point), &mixed);
        let inputs: [A64; Q] = core::array::from_fn(|m| A64::input(mixed[m].lo, mixed[m].hi, m));
        let forms = (model.forms)(&residual.map(A64::point), &inputs);
        // The right logit minus each other: the better of the intervals'
        // and the forms' bounds.
        let (mut least, mut greatest) = (f64::INFINITY, f64::INFINITY);
        let mut wrong = false;
        for other in (0..V).filter(|o| *o != digit) {
            let (lo, hi) = forms[digit].minus(&forms[other]);
            let (right, them) = (logits[digit], logits[other]);
            let (lo, hi) = if right.is_bounded() && them.is_bounded() {
                (
                    lo.max(lower(right.lo - them.hi)),
                    hi.min((right.hi - them.lo).next_up()),
                )
            } else {
                (lo, hi)
            };
            least = least.min(lo);
            greatest = greatest.min(hi);
            wrong |= hi < 0.0;
        }
        if least > 0.0 {
            self.certificate.settle_right(state);
            self.margin = self.margin.min(least);
            return;
        }
        if wrong {
            self.certificate.settle_wrong(state);
        } else {
            self.per_step[step] += 1;
            let margin = I::new(down(least), down(greatest).next_up());
            if self.worst.is_none_or(|w| margin.lo < w.margin.lo) {
                self.worst = Some(Unsettled {
                    step,
                    digits: state.digits,
                    carry,
                    margin,
                    free: 0,
                    heaviest: 0.0,
                    fixed: [None; 3],
                });
            }
        }
        // A pair of the state, its carry made by 9 + 1 below: run whole.
        if self.refuted.is_none() {
            let place = |digit: u8, at: usize| u64::from(digit) * 10u64.pow(at as u32);
            let (mut a, mut b) = (0, 0);
            if step < 10 {
                (a, b) = (place(a_k, step), place(b_k, step));
            }
            if step >= 1 {
                (a, b) = (a + place(a_1, step - 1), b + place(b_1, step - 1));
            }
            if carry == 1 {
                (a, b) = (a + place(9, step - 2), b + place(1, step - 2));
            }
            let sum = (model.checked_add)(a, b);
            if sum != Some(a + b) {
                self.refuted = Some((a, b, sum));
            }
        }
    }

    fn outcome(self) -> Outcome {
        let certified: Certified = self.certificate.count();
        let unsettled: usize = self.per_step.iter().sum();
        if let Some((a, b, sum)) = self.refuted {
            return Outcome::Refuted {
                a,
                b,
                sum,
                certified,
            };
        }
        match self.worst {
            None if certified == Certified::ALL => Outcome::Proved {
                margin: down(self.margin),
                states: self.states,
            },
            Some(worst) => Outcome::Undecided {
                states: self.states,
                unsettled,
                per_step: self.per_step,
                worst,
                certified,
            },
            // Wrong states whose pair `checked_add` got right: only a
            // wrong bound could do that, and then nothing is concluded.
            None => Outcome::Unsupported("a state bounded wrong whose pair adds right"),
        }
    }
}

/// A lower bound of `x`, computed as a difference of two `f64`s: one ulp
/// below.
fn lower(x: f64) -> f64 {
    x.next_down()
}
