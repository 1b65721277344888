//! The fast path (`logits`, and so `add`) against the full forward pass
//! (`step`): bit for bit the same logits, at every step of many additions.

use adder::models::{adder58, adder66, dense130, seed58, wide58};
use adder_tests::pairs;

macro_rules! same_bits_as_the_full_pass {
    ($($model:ident),*) => {$({
        assert!($model::SPARSE_ATTENTION.applies, concat!(stringify!($model), ": the fast path must apply"));
        for (a, b) in pairs(4, 5_000).chain([(0, 0), (9_999_999_999, 9_999_999_999), (9_000, 0)]) {
            let trace = $model::trace(a, b);
            let mut tokens = adder::tokens::prompt(a, b).to_vec();
            for (k, step) in trace.steps.iter().enumerate() {
                let fast = $model::logits(&tokens);
                assert_eq!(
                    fast.map(f32::to_bits),
                    step.logits.map(f32::to_bits),
                    "{} {a} + {b}, step {k}",
                    stringify!($model)
                );
                tokens.push(trace.digits[k]);
            }
            assert_eq!($model::add(a, b), trace.sum());
            assert_eq!($model::digits(a, b), trace.digits);
        }
    })*};
}

#[test]
fn the_fast_path_has_the_bits_of_the_full_pass() {
    same_bits_as_the_full_pass!(adder58, seed58, wide58, adder66, dense130);
}

/// Every prefix length the fast path serves, on prompts of every token.
#[test]
fn every_length_and_token() {
    for len in 1..=adder58::BLOCK_SIZE {
        for token in 0..10u8 {
            let tokens: Vec<u8> = (0..len).map(|p| (p as u8 * 7 + token) % 10).collect();
            assert_eq!(
                adder58::logits(&tokens).map(f32::to_bits),
                adder58::step(&tokens).logits.map(f32::to_bits),
                "len {len}, token {token}"
            );
        }
    }
}

/// Where no table applies, `digits` (and so `add`) computes each
/// position's keys and values once for all 11 steps, in every layer;
/// `trace` runs `step` from the tokens at every step, every position
/// through every layer again. The same digits on every model, its wrong sums included.
#[test]
fn keys_and_values_computed_once_give_the_digits_of_every_step() {
    for model in adder::models::ALL {
        adder::with_model!(model.name, m => {
            for (a, b) in pairs(5, 300).chain([(0, 0), (9_999_999_999, 9_999_999_999)]) {
                assert_eq!(m::digits(a, b), m::trace(a, b).digits, "{}: {a} + {b}", model.name);
            }
        })
        .expect("a model");
    }
}

/// The one-layer models whose attention reads the tokens yet routes by
/// position alone (`ROUTED_ATTENTION`): `logits` reads the routed
/// positions' values alone, with the bits of the full pass (`step`) at
/// every step of many additions and at every length, and `digits` gives
/// `trace`'s digits.
#[test]
fn routed_attention_has_the_bits_of_the_full_pass() {
    let mut routed = Vec::new();
    for model in adder::models::ALL {
        // Routing is an `f32` model's fast path.
        let _: Option<()> = adder::with_f32_model!(model.name, m => {
            if m::N_LAYER == 1 && !m::SPARSE_ATTENTION.applies && m::ROUTED_ATTENTION.every_step {
                routed.push(model.name);
                for (a, b) in pairs(6, 2_000).chain([(0, 0), (9_999_999_999, 9_999_999_999)]) {
                    let trace = m::trace(a, b);
                    let mut tokens = m::FORMAT.sequence::<{ m::BLOCK_SIZE }>(a, b).to_vec();
                    tokens.truncate(m::PROMPT_LEN);
                    for (k, step) in trace.steps.iter().enumerate() {
                        assert_eq!(
                            m::logits(&tokens).map(f32::to_bits),
                            step.logits.map(f32::to_bits),
                            "{} {a} + {b}, step {k}",
                            model.name
                        );
                        tokens.push(trace.digits[k]);
                    }
                    assert_eq!(m::digits(a, b), trace.digits, "{}", model.name);
                }
            }
        });
    }
    eprintln!("routed: {routed:?}");
    for name in ["wonderfall_121", "jacobli99_93", "corbensorenson_111"] {
        assert!(routed.contains(&name), "{name} routes by position alone");
    }
}

/// The routed table's premise: `expf` is exactly 0 at and below
/// `UNDERFLOW`, every 997th `f32` of them down to negative infinity.
#[test]
fn expf_underflows_to_zero_below_the_routed_cutoff() {
    let start = adder::sparse::UNDERFLOW.to_bits();
    let end = f32::NEG_INFINITY.to_bits();
    assert!(start < end, "negative floats grow in bits as they fall");
    let mut bits = start;
    loop {
        let x = f32::from_bits(bits);
        assert_eq!(adder::math::expf(x).to_bits(), 0, "expf({x})");
        if bits == end {
            break;
        }
        bits = (bits + 997).min(end);
    }
}

#[test]
fn the_answer_rows_are_the_tables_rows_of_the_answer_steps() {
    // Bare-metal `digits` reads these rows alone.
    let rows = adder58::SPARSE_ATTENTION.rows::<11>(adder58::PROMPT_LEN);
    assert!(rows.applies);
    for k in 0..11 {
        let len = adder58::PROMPT_LEN + k;
        assert_eq!(rows.count[k], adder58::SPARSE_ATTENTION.count[len]);
        assert_eq!(rows.position[k], adder58::SPARSE_ATTENTION.position[len]);
        assert_eq!(rows.weight[k], adder58::SPARSE_ATTENTION.weight[len]);
    }
    // A table that does not apply gives rows that do not either.
    let none = adder::sparse::SparseAttention::<2, 36>::NONE;
    assert!(!none.rows::<11>(adder58::PROMPT_LEN).applies);
}

/// On a hosted target `key_value` (and the lanes) read layer 0's keys and
/// values from tables computed at compile time; the verifier proves the
/// computed ones (`KERNEL`'s `key_at` and `value_at`). The same bits, every
/// token at every position of every model, computed here at run time.
#[test]
fn the_key_value_tables_have_the_bits_of_the_computation() {
    use std::hint::black_box;
    for model in adder::models::ALL {
        // The `f32` models' `KERNEL` (an `f64` model's verifier reads the
        // tables themselves).
        adder::with_f32_model!(model.name, m => {
            for position in 0..m::BLOCK_SIZE {
                for token in 0..m::VOCAB {
                    let x = (m::KERNEL.embed)(black_box(token), black_box(position));
                    let key = (m::KERNEL.key_at)(&x, position).map(f32::to_bits);
                    let value = (m::KERNEL.value_at)(&x).map(f32::to_bits);
                    let at = format!("{}: token {token} at {position}", model.name);
                    assert_eq!(m::KV_KEYS[position][token].map(f32::to_bits), key, "{at}");
                    assert_eq!(m::KV_VALUES[position][token].map(f32::to_bits), value, "{at}");
                }
            }
        });
    }
}
