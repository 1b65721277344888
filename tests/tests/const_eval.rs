//! The network runs in `const` items, through the same code as at run time.

use adder::models::adder58;

const SUM: u64 = adder::add(9_999_999_999, 1);
const CHECKED: Option<u64> = adder::checked_add(10_000_000_000, 1);
const PARAMS: usize = adder::PARAM_COUNT;

/// Pairs whose every step's logits are computed at compile time.
const PAIRS: [(u64, u64); 4] = [
    (4_192_983_756, 8_790_005_680),
    (9_999_999_999, 9_999_999_999),
    (0, 0),
    (1_234_567_890, 987_654_321),
];

/// All 11 steps' logits of `a + b`, greedily, as a `const fn`.
const fn all_logits(a: u64, b: u64) -> [[f32; 10]; 11] {
    let prompt = adder::tokens::prompt(a, b);
    let mut tokens = [0u8; 33];
    let mut len = 0;
    while len < 22 {
        tokens[len] = prompt[len];
        len += 1;
    }
    let mut out = [[0.0; 10]; 11];
    let mut k = 0;
    while k < 11 {
        out[k] = adder58::logits(tokens.split_at(len).0);
        tokens[len] = adder::tokens::argmax(&out[k]) as u8;
        len += 1;
        k += 1;
    }
    out
}

const COMPILE_TIME: [[[f32; 10]; 11]; 4] = [
    all_logits(PAIRS[0].0, PAIRS[0].1),
    all_logits(PAIRS[1].0, PAIRS[1].1),
    all_logits(PAIRS[2].0, PAIRS[2].1),
    all_logits(PAIRS[3].0, PAIRS[3].1),
];

#[test]
fn add_in_a_const_item() {
    assert_eq!(SUM, 10_000_000_000);
    assert_eq!(CHECKED, None);
    assert_eq!(PARAMS, 58);
}

#[test]
fn compile_time_and_run_time_logits_are_bit_identical() {
    for (pair, expected) in PAIRS.iter().zip(&COMPILE_TIME) {
        let (a, b) = std::hint::black_box(*pair);
        let run_time = all_logits(a, b);
        for (step, (ours, theirs)) in run_time.iter().zip(expected).enumerate() {
            assert_eq!(
                ours.map(f32::to_bits),
                theirs.map(f32::to_bits),
                "{a} + {b}, step {step}"
            );
        }
        assert_eq!(adder58::add(a, b), a + b);
    }
}
