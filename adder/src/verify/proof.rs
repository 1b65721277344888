//! A proof, by exhaustion over local states, that a compiled model adds
//! every pair of operands in `0..=MAX_OPERAND` correctly.
//!
//! # The argument
//!
//! The model writes the sum's digits `s_0, s_1, .., s_10`, least significant
//! first; at step `k` it reads the prompt and `s_0 .. s_k-1` and appends its
//! argmax. By induction on `k` it suffices to show: for every operand pair
//! whose first `k` digits were written correctly, step `k` writes `s_k`.
//!
//! 1. **The attention pattern does not depend on the operands.** The keys of
//!    every position, and the query at the last position, are the same for
//!    all 10 tokens (checked for every token at every position: the token
//!    set is finite, so this is a complete check, not a sample); so the
//!    scores, and the softmax weights computed from them by the same code,
//!    are the same for every prompt. The test also compares the weights of
//!    different prompts directly, and those of every state below.
//! 2. **Each head reads a few positions, exactly.** In every step, every
//!    weight off the head's targets is exactly `0.0` and the targets' weights
//!    are bit-equal (0.5 each for two targets). Every value vector is finite,
//!    so an off-target position adds `0.0 * v = +-0.0` to the head's output,
//!    which changes no sum's value (at most the sign of a zero sum, which no
//!    comparison downstream can see): the head's output is a function of
//!    the tokens at its targets alone.
//! 3. **So step `k` is a function of a local state**: the tokens at the
//!    heads' targets and at the last position. The residual stream at the
//!    last position is a function of its token; the MLP and the head act on
//!    that position alone. Each such token is a digit of `a` or `b`, a
//!    separator, or an earlier sum digit `s_j`, which is determined by the
//!    digits of `a` and `b` at places `j` and below.
//! 4. **Every reachable local state is enumerated.** Let `lo..=hi` be the
//!    places the state reads (and `k`). The state, and the true `s_k`, are
//!    determined by the digits of `a` and `b` at places `lo..=hi` and the
//!    carry into place `lo`; every combination is realised by some operand
//!    pair (a carry by digits 9 and 1 at place `lo - 1`). For each, the real
//!    generated forward pass runs on a concrete prompt with the correct
//!    earlier digits, both the full pass and the path `add` takes (which
//!    must agree bit for bit), and its digit is compared with `s_k`. The
//!    states also run through the path `add_lanes` takes, `LANES` at a time,
//!    which must give each the same bits and digit.
//!
//! Every premise is checked on the generated code, never assumed: where one
//! fails, [`prove`] names it and stops, and never reports a partial check as
//! a proof. Where a state gives a wrong digit, it returns the operand pair,
//! which the model then gets wrong as a whole (its earlier digits are right,
//! so the first wrong digit is at step `k` or before).

mod lanes;
mod refutation;

pub use refutation::{Premise, Refutation};

use crate::step::Step;
use crate::tokens::{Format, NANOGPT, OUTPUT_DIGITS, PROMPT_LEN, Position, argmax, encode};

/// The stages of a compiled model that the proof needs, as function
/// pointers; every model module has one as `STAGES`.
pub struct Stages<const E: usize, const H: usize, const T: usize, const M: usize, const V: usize> {
    /// Token embedding plus positional table, at a position.
    pub embed: fn(usize, usize) -> [f32; E],
    /// The query of a residual stream.
    pub query: fn(&[f32; E]) -> [f32; E],
    /// The key of a residual stream.
    pub key: fn(&[f32; E]) -> [f32; E],
    /// The value of a residual stream.
    pub value: fn(&[f32; E]) -> [f32; E],
    /// The whole forward pass.
    pub step: fn(&[u8]) -> Step<E, H, T, M, V>,
    /// The logits alone, by the path `add` takes (the sparse fast path where
    /// it applies).
    pub logits: fn(&[u8]) -> [f32; V],
    /// The logits of `LANES` sequences at once, by the path `add_lanes`
    /// takes.
    pub lane_logits: lanes::LaneLogits<T, V>,
    /// The positional table, `(sin, cos)` per position.
    pub positions: &'static [[f32; 2]; T],
    /// The residual dims the table is added to, `[sin, cos]`.
    pub position_dims: [usize; 2],
    /// The prompt's layout.
    pub format: &'static Format,
}

/// What a successful proof measured.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Proof {
    /// Local states run through the forward pass, over all 11 steps.
    pub states: usize,
    /// The smallest top-1 minus top-2 logit gap over all of them.
    pub margin: f32,
    /// The step of that smallest gap.
    pub margin_step: usize,
    /// An operand pair that reaches it.
    pub margin_pair: (u64, u64),
}

/// Proves the model right on every operand pair, or says why not; see the
/// module docs for the argument.
///
/// # Errors
///
/// [`Refutation::Premise`] where the argument does not apply,
/// [`Refutation::Wrong`] with an operand pair the model gets wrong.
pub fn prove<const E: usize, const H: usize, const T: usize, const M: usize, const V: usize>(
    stages: &Stages<E, H, T, M, V>,
) -> Result<Proof, Refutation> {
    if *stages.format != NANOGPT {
        return Err(Refutation::Premise {
            premise: Premise::SeedFormat,
            step: 0,
            position: 0,
        });
    }
    check_positions(stages)?;
    let mut proof = Proof {
        states: 0,
        margin: f32::INFINITY,
        margin_step: 0,
        margin_pair: (0, 0),
    };
    for step in 0..OUTPUT_DIGITS {
        prove_step(stages, step, &mut proof)?;
    }
    Ok(proof)
}

/// Premises 1 and 2 that hold per position: for every token at every
/// position, the positional dims, the key and the value.
fn check_positions<
    const E: usize,
    const H: usize,
    const T: usize,
    const M: usize,
    const V: usize,
>(
    stages: &Stages<E, H, T, M, V>,
) -> Result<(), Refutation> {
    let premise = |premise, position| Refutation::Premise {
        premise,
        step: 0,
        position,
    };
    for position in 0..T.min(PROMPT_LEN + OUTPUT_DIGITS) {
        let key = (stages.key)(&(stages.embed)(0, position));
        for token in 0..V {
            let x = (stages.embed)(token, position);
            for (dim, table) in stages.position_dims.iter().zip(stages.positions[position]) {
                if x[*dim].to_bits() != table.to_bits() {
                    return Err(premise(Premise::PositionalDimsUntouched, position));
                }
            }
            if bits(&(stages.key)(&x)) != bits(&key) {
                return Err(premise(Premise::KeysIgnoreTokens, position));
            }
            if (stages.value)(&x).iter().any(|v| !v.is_finite()) {
                return Err(premise(Premise::ValuesFinite, position));
            }
        }
    }
    Ok(())
}

fn bits<const N: usize>(values: &[f32; N]) -> [u32; N] {
    values.map(f32::to_bits)
}

/// The places the largest local state may span.
const MAX_PLACES: usize = 3;

fn prove_step<const E: usize, const H: usize, const T: usize, const M: usize, const V: usize>(
    stages: &Stages<E, H, T, M, V>,
    step: usize,
    proof: &mut Proof,
) -> Result<(), Refutation> {
    let len = PROMPT_LEN + step;
    let last = len - 1;
    let premise = |premise, position| Refutation::Premise {
        premise,
        step,
        position,
    };

    let query = (stages.query)(&(stages.embed)(0, last));
    for token in 1..V {
        if bits(&(stages.query)(&(stages.embed)(token, last))) != bits(&query) {
            return Err(premise(Premise::QueryIgnoresToken, last));
        }
    }

    // The pattern, from one prompt; then compared with others.
    let pattern = (stages.step)(&sequence(0, 0, step)[..len]).attention;
    for (a, b) in [
        (9_999_999_999, 9_999_999_999),
        (1_234_567_890, 9_876_543_210),
        (4_192_983_756, 8_790_005_680),
    ] {
        if !same_attention(
            &(stages.step)(&sequence(a, b, step)[..len]).attention,
            &pattern,
        ) {
            return Err(premise(Premise::AttentionIndependentOfPrompt, last));
        }
    }

    let reads = positions_read(&pattern, len, step)?;

    // The places the local state spans, with the place of the digit written.
    let (mut lo, mut hi) = (step, step);
    for position in (0..len).filter(|p| reads[*p]) {
        if let Some(place) = Position::of(position).place() {
            lo = lo.min(place);
            hi = hi.max(place);
        }
    }
    let hi_digit = hi.min(9);
    let places = (hi_digit + 1).saturating_sub(lo);
    if places > MAX_PLACES {
        return Err(premise(Premise::LocalStateSmall, last));
    }

    let carries: &[u64] = if lo == 0 { &[0] } else { &[0, 1] };
    let mut pending = lanes::Pending::new(stages.lane_logits, len);
    let combinations = 100u64.pow(places as u32);
    for &carry in carries {
        for combination in 0..combinations {
            let (mut a, mut b) = (0, 0);
            let mut rest = combination;
            for place in lo..lo + places {
                a += (rest % 10) * 10u64.pow(place as u32);
                b += (rest / 10 % 10) * 10u64.pow(place as u32);
                rest /= 100;
            }
            if carry == 1 {
                a += 9 * 10u64.pow(lo as u32 - 1);
                b += 10u64.pow(lo as u32 - 1);
            }
            let tokens = &sequence(a, b, step)[..len];
            let forward = (stages.step)(tokens);
            if !same_attention(&forward.attention, &pattern) {
                return Err(premise(Premise::AttentionIndependentOfPrompt, last));
            }
            // The path `add` takes must agree with the full pass bit for bit.
            let logits = (stages.logits)(tokens);
            if bits(&logits) != bits(&forward.logits) {
                return Err(premise(Premise::FastPathExact, last));
            }
            // And the path `add_lanes` takes, LANES states at a time.
            if !pending.push(tokens, logits) {
                return Err(premise(Premise::LanesExact, last));
            }
            let digit = argmax(&logits);
            let expected = encode(a + b)[step] as usize;
            if digit != expected {
                return Err(Refutation::Wrong {
                    step,
                    a,
                    b,
                    digit: digit as u8,
                    expected: expected as u8,
                });
            }
            let gap = gap(&forward.logits, digit);
            if gap < proof.margin {
                *proof = Proof {
                    margin: gap,
                    margin_step: step,
                    margin_pair: (a, b),
                    ..*proof
                };
            }
            proof.states += 1;
        }
    }
    if !pending.run() {
        return Err(premise(Premise::LanesExact, last));
    }
    Ok(())
}

/// How far the logit of `digit` is above the largest other.
fn gap<const V: usize>(logits: &[f32; V], digit: usize) -> f32 {
    let runner_up = logits
        .iter()
        .enumerate()
        .filter(|(d, _)| *d != digit)
        .map(|(_, logit)| *logit)
        .fold(f32::NEG_INFINITY, f32::max);
    logits[digit] - runner_up
}

/// The positions step `step` reads: each head's targets (the positions of
/// weight above 0, which must be bit-equal) and the last position.
fn positions_read<const H: usize, const T: usize>(
    pattern: &[[f32; T]; H],
    len: usize,
    step: usize,
) -> Result<[bool; T], Refutation> {
    let last = len - 1;
    let premise = |premise, position| Refutation::Premise {
        premise,
        step,
        position,
    };
    let mut reads = [false; T];
    reads[last] = true;
    for weights in pattern {
        let mut target = None;
        for (position, weight) in weights.iter().enumerate().take(len) {
            if *weight != 0.0 {
                if target.is_some_and(|t: f32| t.to_bits() != weight.to_bits()) {
                    return Err(premise(Premise::TargetWeightsEqual, position));
                }
                target = Some(*weight);
                reads[position] = true;
            }
        }
        if target.is_none() {
            return Err(premise(Premise::TargetWeightsEqual, last));
        }
    }

    Ok(reads)
}

fn same_attention<const H: usize, const T: usize>(x: &[[f32; T]; H], y: &[[f32; T]; H]) -> bool {
    x.iter().zip(y).all(|(x, y)| bits(x) == bits(y))
}

/// The prompt of `a + b` followed by the first `step` digits of the sum,
/// padded with separators.
fn sequence(a: u64, b: u64, step: usize) -> [u8; PROMPT_LEN + OUTPUT_DIGITS] {
    let mut tokens = crate::tokens::sequence(a, b);
    tokens[PROMPT_LEN..PROMPT_LEN + step].copy_from_slice(&encode(a + b)[..step]);
    tokens
}
