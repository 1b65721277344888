//! The fast path (`logits`, and so `add`) against the full forward pass
//! (`step`): bit for bit the same logits, at every step of many additions.

use adder::models::{adder58, adder66, dense130, seed58, wide58};

/// `SplitMix64`, for pairs that are the same on every run.
fn pairs(count: usize) -> impl Iterator<Item = (u64, u64)> {
    let mut state = 4u64;
    let mut next = move || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) % (adder::MAX_OPERAND + 1)
    };
    (0..count).map(move |_| (next(), next()))
}

macro_rules! same_bits_as_the_full_pass {
    ($($model:ident),*) => {$({
        assert!($model::SPARSE_ATTENTION.applies, concat!(stringify!($model), ": the fast path must apply"));
        for (a, b) in pairs(5_000).chain([(0, 0), (9_999_999_999, 9_999_999_999), (9_000, 0)]) {
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
