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

/// Every step's logits of eight additions at once, by `lane_logits`, as a
/// `const fn`: the lanes are `PAIRS`, twice over.
const fn all_lane_logits() -> [[adder::lanes::Lanes; 10]; 11] {
    let mut tokens = [[0u8; adder58::BLOCK_SIZE]; adder::LANES];
    let mut lane = 0;
    while lane < adder::LANES {
        let (a, b) = PAIRS[lane % PAIRS.len()];
        tokens[lane] = adder58::FORMAT.sequence(a, b);
        lane += 1;
    }
    let mut out = [[[0.0; adder::LANES]; 10]; 11];
    let mut k = 0;
    while k < 11 {
        let len = adder58::PROMPT_LEN + k;
        out[k] = adder58::lane_logits(&tokens, len);
        let written = adder::lanes::argmax(&out[k]);
        let mut lane = 0;
        while lane < adder::LANES {
            tokens[lane][len] = written[lane];
            lane += 1;
        }
        k += 1;
    }
    out
}

const LANES_AT_COMPILE_TIME: [[adder::lanes::Lanes; 10]; 11] = all_lane_logits();

#[test]
fn the_lanes_at_compile_time_are_the_logits_at_run_time() {
    for (lane, pair) in PAIRS.iter().cycle().take(adder::LANES).enumerate() {
        let (a, b) = std::hint::black_box(*pair);
        let run_time = all_logits(a, b);
        for (step, logits) in LANES_AT_COMPILE_TIME.iter().enumerate() {
            assert_eq!(
                adder::lanes::lane(logits, lane).map(f32::to_bits),
                run_time[step].map(f32::to_bits),
                "{a} + {b}, step {step}"
            );
        }
    }
}
