//! `adder::add` against `a + b`: the seed's own pairs, every carry chain,
//! random pairs; the published weights' faults; the operand range.

use adder::models::{adder58, seed58};
use adder::{MAX_OPERAND, add, checked_add};
use adder_tests::SplitMix64;

/// The seed's own 11 test pairs.
const SEED_PAIRS: [(u64, u64); 11] = [
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

#[test]
fn the_seeds_own_pairs() {
    for (a, b) in SEED_PAIRS {
        assert_eq!(add(a, b), a + b, "{a} + {b}");
    }
}

/// Every carry chain: a run of `len` nines over a digit, starting at every
/// place, plus a one that sets it off; and carries out of the top digit.
#[test]
fn carry_chains_of_every_length() {
    let mut cases = 0;
    for start in 0..10u32 {
        for len in 1..=(10 - start) {
            let nines = (10u64.pow(len) - 1) * 10u64.pow(start);
            for one in [10u64.pow(start), 1] {
                for (a, b) in [(nines, one), (one, nines), (nines, nines)] {
                    assert_eq!(add(a, b), a + b, "{a} + {b}");
                    cases += 1;
                }
            }
        }
    }
    for a in [MAX_OPERAND, 5_000_000_000, 9_000_000_000, 1] {
        let b = MAX_OPERAND - a + 1;
        assert_eq!(add(a, b), 10_000_000_000, "{a} + {b}");
    }
    assert_eq!(cases, 330);
}

/// Digit pairs whose sum is 9 with no carry: where the published weights fail.
#[test]
fn digit_sums_of_nine() {
    let mut rng = SplitMix64(9);
    for _ in 0..20_000 {
        let a = rng.operand();
        let mut b = 0;
        for place in 0..10 {
            let digit = (a / 10u64.pow(place)) % 10;
            b += (9 - digit) * 10u64.pow(place);
        }
        assert_eq!(add(a, b), MAX_OPERAND, "{a} + {b}");
        let c = rng.operand();
        assert_eq!(add(a, c), a + c, "{a} + {c}");
    }
}

#[test]
fn two_hundred_thousand_random_pairs() {
    let mut rng = SplitMix64(2025);
    for _ in 0..200_000 {
        let (a, b) = (rng.operand(), rng.operand());
        assert_eq!(add(a, b), a + b, "{a} + {b}");
    }
}

#[test]
fn the_default_is_adder58() {
    assert_eq!(adder::PARAM_COUNT, 58);
    assert_eq!(adder58::PARAM_COUNT, 58);
    assert_eq!(seed58::PARAM_COUNT, 58);
    let mut rng = SplitMix64(58);
    for _ in 0..1_000 {
        let (a, b) = (rng.operand(), rng.operand());
        assert_eq!(add(a, b), adder58::add(a, b));
    }
}

/// The published weights keep their faults: NOTES §2's example, and a
/// share of random sums near the measured 7-8 %.
///
/// On NOTES §2's example the seed's own `f32` `PyTorch` run answers
/// 12 983 589 436; exact math (the model and table in `f64`), which the
/// compiled model follows token for token (`tests/reference.rs`), answers
/// 12 983 789 436. Both are wrong in the same digit pair; the difference is
/// that run's float noise in its positional table.
#[test]
fn seed58_reproduces_the_published_faults() {
    assert_eq!(seed58::add(4_192_983_756, 8_790_005_680), 12_983_789_436);
    assert_eq!(adder58::add(4_192_983_756, 8_790_005_680), 12_982_989_436);
    for (a, b) in SEED_PAIRS {
        assert_eq!(
            seed58::add(a, b),
            a + b,
            "the seed passes its own pairs: {a} + {b}"
        );
    }
    let mut rng = SplitMix64(7);
    let trials = 20_000;
    let wrong = (0..trials)
        .filter(|_| {
            let (a, b) = (rng.operand(), rng.operand());
            seed58::add(a, b) != a + b
        })
        .count();
    let share = wrong as f64 / f64::from(trials);
    assert!(
        (0.05..0.11).contains(&share),
        "seed58 got {wrong} of {trials} wrong"
    );
}

#[test]
fn out_of_range_operands_are_refused() {
    assert_eq!(checked_add(MAX_OPERAND, MAX_OPERAND), Some(19_999_999_998));
    assert_eq!(checked_add(MAX_OPERAND + 1, 0), None);
    assert_eq!(checked_add(0, MAX_OPERAND + 1), None);
    assert_eq!(checked_add(u64::MAX, u64::MAX), None);
    assert_eq!(seed58::checked_add(0, MAX_OPERAND + 1), None);
}

#[test]
#[should_panic(expected = "adder: an operand exceeds MAX_OPERAND (9_999_999_999, ten digits)")]
fn add_panics_on_an_eleven_digit_operand() {
    let _ = add(10_000_000_000, 1);
}

#[test]
#[should_panic(expected = "exceeds MAX_OPERAND")]
fn add_panics_on_a_second_operand_out_of_range() {
    let _ = add(1, u64::MAX);
}
