//! The board's Qwen3 models, compiled from their published weights: honest
//! parameter counts, the same logits in `const` items as at run time, and
//! answers that never go wrong in silence.

use adder::models::{
    bingbangboom_87, corbensorenson_111, jackcai_234, jacobli99_28, jacobli99_93, kswain98_8,
    lichengliu03_50, lichengliu03_262, lokimorty_10, lowrank_311, lowrank_456_s43, lowrank_456_s44,
    lowrank_512, microadder_57, microadder_67, nino_116, qwen3_122, qwen3_137, qwen3_146,
    qwen3_155, qwen3_173, qwen3_200, qwen3_228, wonderfall_27, wonderfall_121, wonderfall_139,
    xangma_197,
};
use adder_tests::pairs;

#[test]
fn parameter_counts_are_the_boards() {
    assert_eq!(qwen3_122::PARAM_COUNT, 122);
    assert_eq!(qwen3_137::PARAM_COUNT, 137);
    assert_eq!(qwen3_146::PARAM_COUNT, 146);
    assert_eq!(qwen3_155::PARAM_COUNT, 155);
    assert_eq!(qwen3_173::PARAM_COUNT, 173);
    // The file named 200 holds a 173-parameter model (MLP width 6, not 9).
    assert_eq!(qwen3_200::PARAM_COUNT, 173);
    assert_eq!(qwen3_228::PARAM_COUNT, 228);
    // The state dicts hold more values (367, 554, 554, 610): their
    // `lm_head.weight` is the embedding again, and `K = V` share a factor.
    assert_eq!(lowrank_311::PARAM_COUNT, 311);
    assert_eq!(lowrank_456_s43::PARAM_COUNT, 456);
    assert_eq!(lowrank_456_s44::PARAM_COUNT, 456);
    assert_eq!(lowrank_512::PARAM_COUNT, 512);
    assert_eq!(lichengliu03_262::PARAM_COUNT, 262);
    // The checkpoints' parameters, read as params; the frozen spiral, the
    // zero rows of `+` and EOS, and every tied use derived, not counted.
    assert_eq!(microadder_57::PARAM_COUNT, 57);
    assert_eq!(microadder_67::PARAM_COUNT, 67);
    // Its own `sum(p.numel())`: the spiral's 4 scalars and the special rows
    // are params; the position table and the head's factors derived.
    assert_eq!(jackcai_234::PARAM_COUNT, 234);
    // Hand-coded: every stored number, zeros of dense matrices included.
    assert_eq!(wonderfall_121::PARAM_COUNT, 121);
    // The PyTorch port stores 92; the board's 93 counts the original gist.
    assert_eq!(jacobli99_93::PARAM_COUNT, 92);
    // Its q/k norms' 256 is a fixed `gain`, not stored, as in the original.
    assert_eq!(corbensorenson_111::PARAM_COUNT, 111);
    // Two norm weights read twice from its file: stored once each.
    assert_eq!(nino_116::PARAM_COUNT, 116);
    // Stock Qwen3: five norm weights are parameters, dense zeros stored.
    assert_eq!(wonderfall_139::PARAM_COUNT, 139);
    // Three vectors read twice, four signs written in code: 50 stored.
    assert_eq!(lichengliu03_50::PARAM_COUNT, 50);
    // Eight stored scalars; every weight derived from them.
    assert_eq!(kswain98_8::PARAM_COUNT, 8);
    assert_eq!(lokimorty_10::PARAM_COUNT, 10);
    // The gist as stored sets 26 numbers (its own `count_parameters`).
    assert_eq!(wonderfall_27::PARAM_COUNT, 26);
    // 24 stored; the author's 28 adds four biases the code derives from C.
    assert_eq!(jacobli99_28::PARAM_COUNT, 24);
    // Two layers; frozen scales and the SVD head's factors count, as on the
    // board.
    assert_eq!(bingbangboom_87::PARAM_COUNT, 87);
    assert_eq!(xangma_197::PARAM_COUNT, 197);
}

#[test]
fn the_low_rank_prompt_has_its_own_tokens() {
    let tokens: [u8; 22] = lowrank_311::FORMAT.sequence(1_234_567_890, 987_654_321);
    assert_eq!(
        tokens,
        [
            1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 11
        ]
    );
    assert_eq!(lowrank_311::VOCAB, 14);
    // A token that is not a digit where a digit goes is no sum: never a
    // wrong number in silence.
    for (a, b) in pairs(311, 300) {
        let digits = lowrank_512::digits(a, b);
        let sum = lowrank_512::checked_add(a, b);
        assert_eq!(sum.is_none(), digits.iter().any(|d| *d > 9), "{a} + {b}");
    }
}

#[test]
fn the_prompt_is_the_one_the_models_were_trained_on() {
    let tokens: [u8; 24] = qwen3_122::FORMAT.sequence(1_234_567_890, 987_654_321);
    assert_eq!(
        tokens,
        [
            0, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0
        ]
    );
    assert_eq!(qwen3_122::PROMPT_LEN, 24);
}

const PAIRS: [(u64, u64); 3] = [(9_999_999_999, 1), (1_234_567_890, 987_654_321), (0, 0)];
const SUM: u64 = qwen3_228::add(9_999_999_999, 1);
const TRACES: [qwen3_122::Trace; 3] = [
    qwen3_122::trace(PAIRS[0].0, PAIRS[0].1),
    qwen3_122::trace(PAIRS[1].0, PAIRS[1].1),
    qwen3_122::trace(PAIRS[2].0, PAIRS[2].1),
];

#[test]
fn compile_time_and_run_time_logits_are_bit_identical() {
    assert_eq!(SUM, 10_000_000_000);
    for (pair, expected) in PAIRS.iter().zip(&TRACES) {
        let (a, b) = std::hint::black_box(*pair);
        let run_time = qwen3_122::trace(a, b);
        for (ours, theirs) in run_time.steps.iter().zip(&expected.steps) {
            assert_eq!(
                ours.logits.map(f32::to_bits),
                theirs.logits.map(f32::to_bits)
            );
        }
        assert_eq!(run_time.sum(), a + b);
    }
}

#[test]
fn the_largest_model_adds_random_pairs() {
    for (a, b) in pairs(228, 2_000) {
        assert_eq!(qwen3_228::add(a, b), a + b, "{a} + {b}");
    }
    assert_eq!(qwen3_228::checked_add(10_000_000_000, 0), None);
}
