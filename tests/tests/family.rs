//! The family: one macro, several networks. A dense model and a structured
//! one that encode the same function give the same sums, with logits that
//! differ by no more than f32 rounding explains.

use adder::models::{adder58, adder66, dense130, wide58};
use adder_tests::pairs;

#[test]
fn parameter_counts_are_honest() {
    assert_eq!(dense130::PARAM_COUNT, 130);
    assert_eq!(adder66::PARAM_COUNT, 66);
    assert_eq!(wide58::PARAM_COUNT, 58);
    assert_eq!(adder58::PARAM_COUNT, 58);
}

/// `dense130`, `adder66` and `adder58` encode one function three ways
/// (dense, partly dense, structured). Their logits can differ only by the
/// order of float operations: a dense map sums `0 * x` terms a structured
/// one never computes, and a rank-1 head rounds `u_d (v . x) + bias_d`
/// where the parabolic head rounds `lin d (x3 dim_w) + quad d^2`. Every
/// intermediate is rounded to half an ulp of values below 2^14 (`2^-10`);
/// a logit is `2 d x3 - d^2` with `d <= 9`, so they agree to
/// `18 * 2^-9 + 2^-15`, the tolerance of the reference test.
#[test]
fn dense_and_structured_models_agree() {
    let tolerance = 18.0 * 2f32.powi(-9) + 2f32.powi(-15);
    let mut worst = 0.0f32;
    for (a, b) in pairs(130, 3_000) {
        let sum = adder58::add(a, b);
        assert_eq!(sum, a + b);
        assert_eq!(dense130::add(a, b), sum, "{a} + {b}");
        assert_eq!(adder66::add(a, b), sum, "{a} + {b}");
        let reference = adder58::trace(a, b);
        for other in [
            dense130::trace(a, b).steps.map(|s| s.logits),
            adder66::trace(a, b).steps.map(|s| s.logits),
        ] {
            for (ours, theirs) in reference.steps.iter().zip(other) {
                for (x, y) in ours.logits.iter().zip(theirs) {
                    worst = worst.max((x - y).abs());
                    assert!((x - y).abs() <= tolerance, "{a} + {b}: {x} vs {y}");
                }
            }
        }
    }
    eprintln!("largest logit difference between dense and structured models: {worst:e}");
}

#[test]
fn wide58_adds() {
    for (a, b) in pairs(130, 3_000) {
        assert_eq!(wide58::add(a, b), a + b, "{a} + {b}");
    }
}
