//! Every model's verdict, and what each verdict promises: a proof only
//! from the proof; a refutation only with a pair the model really gets
//! wrong; otherwise undecided, never a silent pass.

use adder::models::{self, adder58, seed58};
use adder::verdict::{Verdict, verdict};

#[test]
fn every_verdict_keeps_its_promise() {
    for model in models::ALL {
        match verdict(model) {
            Verdict::Proved(proof) => {
                // Only the position-only proof proves, and it must agree.
                assert_eq!((model.prove)(), Ok(proof), "{}", model.name);
                assert!(proof.margin > 0.0, "{}", model.name);
            }
            Verdict::Refuted { a, b, sum, .. } => {
                assert_eq!((model.checked_add)(a, b), sum, "{}", model.name);
                assert_ne!(sum, Some(a + b), "{}", model.name);
            }
            Verdict::Undecided { reason, tried } => {
                assert!((model.prove)().is_err(), "{}", model.name);
                assert_eq!(tried, 10_010 + 30, "{}: {reason}", model.name);
            }
        }
    }
}

#[test]
fn the_seed_family_is_decided() {
    let by = |name| verdict(models::by_name(name).expect("a model"));
    assert!(matches!(by("adder58"), Verdict::Proved(p) if p.margin > 0.019));
    assert!(matches!(by("wide58"), Verdict::Proved(_)));
    assert_eq!(
        by("seed58"),
        Verdict::Refuted {
            a: 9_000,
            b: 0,
            sum: Some(seed58::add(9_000, 0)),
            tried: 0
        }
    );
    assert_ne!(seed58::add(9_000, 0), 9_000);
    assert_eq!(adder58::add(9_000, 0), 9_000);
}

#[test]
fn token_reading_models_are_refuted_or_undecided_never_proved() {
    let by = |name| verdict(models::by_name(name).expect("a model"));
    let first = by("qwen3_122");
    assert!(
        matches!(
            first,
            Verdict::Refuted {
                a: 6_190_105_256,
                b: 9_983_555_477,
                sum: Some(16_273_660_733),
                ..
            }
        ),
        "{first:?}"
    );
    for name in [
        "qwen3_228",
        "lowrank_311",
        "lowrank_456_s43",
        "wonderfall_121",
    ] {
        assert!(matches!(by(name), Verdict::Undecided { .. }), "{name}");
    }
}
