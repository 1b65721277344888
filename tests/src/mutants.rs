//! What the mutant tests share (`tests/tests/mutants_*.rs`): the fixed
//! pairs a mutant is run on, the columns its wrong set is written in, and
//! the one promise the verifier makes of it.

use std::time::Instant;

use adder::bounds::Outcome;

/// The fixed pairs every mutant is run on.
pub fn seed_pairs() -> impl Iterator<Item = (u64, u64)> {
    crate::pairs(0x5EED_B0A2D, 20_000)
}

/// Digit `place` of `n`.
#[must_use]
pub fn digit(n: u64, place: u32) -> u64 {
    n / 10u64.pow(place) % 10
}

/// The carry into column `place` of `a + b`.
#[must_use]
pub fn carry(a: u64, b: u64, place: u32) -> u64 {
    let low = 10u64.pow(place);
    (a % low + b % low) / low
}

/// Column `place` of `a + b`: its two digits and the carry into it.
#[must_use]
pub fn column(a: u64, b: u64, place: u32) -> u64 {
    digit(a, place) + digit(b, place) + carry(a, b, place)
}

/// How many of [`seed_pairs`] `checked_add` gets wrong.
///
/// # Panics
///
/// If a wrong pair is not in `known`, the mutant's wrong set.
pub fn wrong(
    name: &str,
    checked_add: fn(u64, u64) -> Option<u64>,
    known: impl Fn(u64, u64) -> bool,
) -> usize {
    let mut count = 0;
    for (a, b) in seed_pairs() {
        if checked_add(a, b) != Some(a + b) {
            assert!(known(a, b), "{name}: wrong on {a} + {b}, outside its set");
            count += 1;
        }
    }
    println!("{name}: wrong on {count} of 20,000 pairs");
    count
}

/// The witness is wrong, and the verifier never proves the mutant: it
/// refutes it with a pair the mutant really gets wrong, leaves it
/// undecided, or does not take it.
///
/// # Panics
///
/// If the witness is right, the refuting pair is not wrong, or the
/// mutant is proved.
pub fn never_proved(
    name: &str,
    (a, b): (u64, u64),
    checked_add: fn(u64, u64) -> Option<u64>,
    bounds: fn() -> Outcome,
) {
    assert_ne!(checked_add(a, b), Some(a + b), "{name}: the witness");
    let start = Instant::now();
    let outcome = bounds();
    println!("{name}: {outcome} ({:.1?})", start.elapsed());
    match outcome {
        Outcome::Refuted { a, b, sum, .. } => {
            assert_eq!(checked_add(a, b), sum, "{name}");
            assert_ne!(sum, Some(a + b), "{name}");
        }
        Outcome::Undecided { .. } | Outcome::Unsupported(_) => {}
        Outcome::Proved { .. } => panic!("{name}: wrong on {a} + {b}, yet proved"),
    }
}
