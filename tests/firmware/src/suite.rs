//! The pairs the device adds and the checksum of every logit it computes.
//!
//! Plain `core` code: the firmware runs it on the device, and the host test
//! includes this file and runs it on x86-64; both must give [`CHECKSUM`].

use adder::models::{adder58, qwen3_228};
use adder::tokens::{OUTPUT_DIGITS, PROMPT_LEN, argmax, decode};

/// The seed's own test pairs.
pub const SEED_PAIRS: [(u64, u64); 11] = [
    (5, 5),
    (555, 445),
    (99_999, 1),
    (19_492, 23_919),
    (9_999_999_999, 1),
    (1_234_567_890, 987_654_321),
    (0, 0),
    (1_111_111_111, 8_888_888_889),
    (9_999_999_999, 9_999_999_999),
    (1_000_000_000, 0),
    (4_567_891_234, 5_432_108_766),
];

/// Pseudo-random pairs after the fixed ones.
pub const RANDOM_PAIRS: usize = 1_000;

/// FNV-1a over the bits of every logit of every step of every pair, as the
/// device and the host compute it. Pinned: a change of the model, the math
/// or the float behaviour of a target changes it.
pub const CHECKSUM: u32 = 0x7c6c_b84e;

/// The pairs, in order: the seed's, carry chains of every length (`10^n - 1`
/// plus 1, both ways, and nines plus nines), then xorshift pairs.
pub fn pair(index: usize) -> (u64, u64) {
    const CHAINS: usize = 30;
    if index < SEED_PAIRS.len() {
        return SEED_PAIRS[index];
    }
    let index = index - SEED_PAIRS.len();
    if index < CHAINS {
        let nines = 10u64.pow((index % 10) as u32 + 1) - 1;
        return match index / 10 {
            0 => (nines, 1),
            1 => (1, nines),
            _ => (nines, nines),
        };
    }
    let mut state = 0x2545_f491_4f6c_dd1d_u64 ^ (index as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % (adder::MAX_OPERAND + 1)
    };
    (next(), next())
}

/// How many pairs [`pair`] gives.
pub const PAIRS: usize = SEED_PAIRS.len() + 30 + RANDOM_PAIRS;

/// The Qwen3 model's share of the suite: the seed's pairs, the carry
/// chains and this many pseudo-random pairs (its attention reads every
/// position at every step, so it costs about a hundred times `adder58`'s).
pub const QWEN_RANDOM_PAIRS: usize = 200;

/// How many pairs the Qwen3 model adds.
pub const QWEN_PAIRS: usize = SEED_PAIRS.len() + 30 + QWEN_RANDOM_PAIRS;

/// The checksum of `qwen3_228`'s logits over its pairs, pinned as
/// [`CHECKSUM`] is.
pub const QWEN_CHECKSUM: u32 = 0x548d_a1e2;

/// What the suite needs of a model.
struct Model {
    prompt_len: usize,
    sequence: fn(u64, u64) -> [u8; 40],
    logits: fn(&[u8]) -> [f32; 10],
    add: fn(u64, u64) -> u64,
}

/// Adds the first `pairs` pairs step by step, folding every logit into the
/// checksum. Returns the checksum and how many sums were wrong.
fn check(model: &Model, pairs: usize) -> (u32, usize) {
    let mut hash = 0x811c_9dc5_u32;
    let mut wrong = 0;
    for index in 0..pairs {
        let (a, b) = pair(index);
        let mut tokens = (model.sequence)(a, b);
        for k in 0..OUTPUT_DIGITS {
            let len = model.prompt_len + k;
            let logits = (model.logits)(&tokens[..len]);
            for logit in logits {
                for byte in logit.to_bits().to_le_bytes() {
                    hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
                }
            }
            tokens[len] = argmax(&logits) as u8;
        }
        let digits: [u8; OUTPUT_DIGITS] = core::array::from_fn(|k| tokens[model.prompt_len + k]);
        if decode(&digits) != a + b || (model.add)(a, b) != a + b {
            wrong += 1;
        }
    }
    (hash, wrong)
}

/// `adder58` on every pair: the checksum and the count of wrong sums.
pub fn run() -> (u32, usize) {
    let model = Model {
        prompt_len: PROMPT_LEN,
        sequence: |a, b| adder58::FORMAT.sequence(a, b),
        logits: adder58::logits,
        add: adder58::add,
    };
    check(&model, PAIRS)
}

/// `qwen3_228` on its pairs: the checksum and the count of wrong sums.
pub fn run_qwen() -> (u32, usize) {
    let model = Model {
        prompt_len: qwen3_228::PROMPT_LEN,
        sequence: |a, b| qwen3_228::FORMAT.sequence(a, b),
        logits: qwen3_228::logits,
        add: qwen3_228::add,
    };
    check(&model, QWEN_PAIRS)
}
