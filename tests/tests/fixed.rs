//! The verifier of fixed attention (`adder::fixed`), for one-layer `f64`
//! models whose attention weights are the same for every prompt: it proves
//! fblissjr's 33p (heads that sum every earlier place, two hinge pairs
//! `5e-12` apart) and the seed's adder in `f64`; it refutes a mutant of
//! fblissjr's and the same network with softmax1 with pairs they get
//! wrong, and its certified accuracy holds on random pairs; and it says
//! which models it does not take, and why.

use adder::bounds::{Certified, Outcome};
use adder::models::{alexlitz_36, fblissjr_33};

adder::model! {
    /// fblissjr's network with softmax1.
    pub mod plus_one33 = "specs/plus_one33.spec";
}

adder::model! {
    /// fblissjr's network writing the sum most significant digit first.
    pub mod msb33 = "specs/msb33.spec";
}

adder::model! {
    /// fblissjr's network, its carry hinges at a prefix sum of 0.9.
    pub mod fblissjr_wrong = "specs/fblissjr_wrong.spec";
}

adder::model! {
    /// adder58 in `f64`.
    pub mod adder58_f64 = "specs/adder58_f64.spec";
}

/// fblissjr's 33p and adder58 in `f64`: every one of the 170,300 local states settled right. fblissjr's margin
/// is its logits' (1 between neighbouring digits, `2 c x - c^2`) less the
/// roundings of its `2e12`-scaled hinges, which the affine forms keep
/// shared.
#[test]
fn the_f64_constructions_are_proved() {
    for (name, outcome, least) in [
        ("fblissjr_33", fblissjr_33::bounds(), 0.5),
        ("adder58_f64", adder58_f64::bounds(), 0.01),
    ] {
        let Outcome::Proved { margin, states } = outcome else {
            panic!("{name}: {outcome}");
        };
        assert_eq!(states, 170_300, "{name}");
        assert!(margin > least, "{name}: {margin}");
    }
    let verdict = adder::verdict::verdict(adder::models::by_name("fblissjr_33").expect("a model"));
    assert!(verdict.certified() == Certified::ALL, "{verdict}");
}

/// The mutant carries wrongly wherever a place's digits sum to 9 with no
/// carry from below: refuted with a pair `checked_add` gets wrong; the
/// states bounded wrong count pairs certainly wrong, and a random sample's
/// share of right sums lies in the certified interval.
#[test]
fn a_wrong_carry_is_refuted_and_counted() {
    let Outcome::Refuted {
        a,
        b,
        sum,
        certified,
    } = fblissjr_wrong::bounds()
    else {
        panic!("{}", fblissjr_wrong::bounds());
    };
    assert_eq!(fblissjr_wrong::checked_add(a, b), sum);
    assert_ne!(sum, Some(a + b));
    assert_eq!(fblissjr_wrong::add(9, 0), 19);
    // fblissjr's network with softmax1 (a test of the softmax, not an
    // adder: the prompt's positions hold half their weight): its weights
    // are fixed too, and it is refuted with a pair it gets wrong.
    let Outcome::Refuted { a, b, sum, .. } = plus_one33::bounds() else {
        panic!("{}", plus_one33::bounds());
    };
    assert_eq!(plus_one33::checked_add(a, b), sum);
    assert_ne!(sum, Some(a + b));
    assert!(certified.wrong > 0 && certified.right > 0, "{certified}");
    let all = Certified::ALL.right as f64;
    let (low, high) = (
        certified.right as f64 / all,
        1.0 - certified.wrong as f64 / all,
    );
    let mut rng = adder_tests::SplitMix64(33);
    let n = 20_000;
    let right = (0..n)
        .filter(|_| {
            let (a, b) = (
                rng.next_u64() % 10_000_000_000,
                rng.next_u64() % 10_000_000_000,
            );
            fblissjr_wrong::checked_add(a, b) == Some(a + b)
        })
        .count();
    let share = right as f64 / f64::from(n);
    let spread = 6.0 * (0.25 / f64::from(n)).sqrt();
    assert!(
        share >= low - spread && share <= high + spread,
        "{share} right, certified [{low}, {high}]"
    );
}

/// What it does not take, it says: an answer most significant digit first
/// (its induction runs from the least), and two layers (no twin).
#[test]
fn what_it_does_not_take_it_names() {
    let Outcome::Unsupported(why) = msb33::bounds() else {
        panic!("{}", msb33::bounds());
    };
    assert!(why.contains("most significant"), "{why}");
    let Outcome::Unsupported(why) = alexlitz_36::bounds() else {
        panic!("{}", alexlitz_36::bounds());
    };
    assert!(why.contains("more than one layer"), "{why}");
}

/// alexlitz's 36p: right on the board's 10,010 pairs and the carry
/// chains, refuted by the pair the board's independent verification
/// reported, as its PyTorch original is.
#[test]
fn alexlitz_36_is_refuted_by_the_reported_pair() {
    let verdict = adder::verdict::verdict(adder::models::by_name("alexlitz_36").expect("a model"));
    let adder::verdict::Verdict::Refuted {
        a, b, sum, tried, ..
    } = verdict
    else {
        panic!("{verdict}");
    };
    assert_eq!((a, b), adder::board::REPORTED[0]);
    assert_eq!(sum, Some(7_000_000_000));
    assert_eq!(tried, 10_010 + 30 + 1);
}
