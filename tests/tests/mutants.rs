//! Mutants: the seed's adder with one number changed so that it is wrong on
//! some pairs, a witness pair for each confirmed by running the mutant.
//! Neither argument may ever answer "proved" for one of them: the
//! position-only proof must refute it or stop at a premise, and the
//! interval verifier must refute it (with a pair the mutant really gets
//! wrong) or leave it undecided.

use adder::bounds::Outcome;

/// `adder58` with its digit embedding, the positional amplitude of the
/// last answer step's query and the second wrap bias as given.
macro_rules! mutant {
    ($name:ident, seven: $seven:literal, last_amplitude: $amplitude:literal, wrap: $wrap:literal) => {
        adder::model! {
            mod $name {
                config { vocab: 10, n_embd: 4, n_head: 2, block_size: 35, mlp_hidden: 4 }
                positions = sinusoid {
                    sin: 1, cos: 2, period: 11,
                    amplitude: { 0: 100.0, 22: 1.0, 31: $amplitude, 32: 1.0 },
                }
                wte = factorized {
                    A: [10, 1] = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, $seven, 8.0, 9.0],
                    B: [1, 4] = [1.0, 0.0, 0.0, 0.0],
                }
                attn.q = rotation @ attn.q_proj {
                    reads: [1, 2],
                    angle_h0: [1] = [8.0 * (TAU / 11.0)],
                    angle_h1: [1] = [9.0 * (TAU / 11.0)],
                    scale: [1] = [100.0],
                }
                attn.k = slim @ attn.k_proj {
                    reads: [1, 2],
                    weight: [4, 2] = [1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0],
                }
                attn.v = rank1 @ attn.v_proj { u: [4, 1] = [1.0, 0.0, 1.0, 0.0], v: [1, 4] = [1.0, 0.0, 0.0, 0.0] }
                attn.c_proj = sparse { val0: [1] = [2.0] at (3, 0), val1: [1] = [2.0] at (1, 2) }
                mlp.c_fc = shared_rows @ mlp {
                    rows: [0, 0, 1, 1],
                    row0: [4] = [-100.0, 100.0, 0.0, 0.0],
                    row1: [4] = [-10.0, 10.0, 0.0, 1000.0],
                    fc_bias: [4] = [-50.0, -150.0, -9045.0, $wrap],
                }
                mlp.c_proj = rank1 { u: [4, 1] = [0.0, 0.0, 0.0, 1.0], v: [1, 4] = [0.01, -0.01, -1.0, 1.0] }
                lm_head = parabolic { reads: 3, lin: [1] = [2.0], quad: [1] = [-1.0], dim_w: [1] = [1.0] }
            }
        }
    };
}

// The unchanged model, to show the mutants differ from it only where said.
mutant!(original, seven: 7.0, last_amplitude: 1.0, wrap: -9055.0);
// The digit 7 embeds as 7.3: a digit sum of 9 made with a 7 wraps.
mutant!(seven_off, seven: 7.3, last_amplitude: 1.0, wrap: -9055.0);
// The query of the leading (eleventh) digit barely reads positions: only
// that digit can go wrong.
mutant!(leading_digit, seven: 7.0, last_amplitude: 0.001, wrap: -9055.0);
// The second wrap bias 5 off (-9050 for -9055): sums that wrap go wrong
// (5 + 5 gives 15).
mutant!(wrap_off, seven: 7.0, last_amplitude: 1.0, wrap: -9050.0);

fn check(
    name: &str,
    witness: (u64, u64),
    checked_add: fn(u64, u64) -> Option<u64>,
    prove: fn() -> Result<adder::proof::Proof, adder::proof::Refutation>,
    bounds: fn() -> Outcome,
) {
    let (a, b) = witness;
    assert_ne!(
        checked_add(a, b),
        Some(a + b),
        "{name}: the witness must be wrong"
    );
    assert!(
        prove().is_err(),
        "{name}: the position-only proof proved a wrong model"
    );
    match bounds() {
        Outcome::Refuted { a, b, sum } => {
            assert_eq!(checked_add(a, b), sum, "{name}");
            assert_ne!(sum, Some(a + b), "{name}");
        }
        Outcome::Undecided { .. } => {}
        other => panic!("{name}: wrong on {a} + {b}, yet {other}"),
    }
}

#[test]
fn the_unchanged_model_is_proved_both_ways() {
    assert!(original::prove().is_ok());
    assert!(matches!(original::bounds(), Outcome::Proved { .. }));
}

#[test]
fn no_mutant_is_ever_proved() {
    check(
        "seven_off",
        (7_233_833_366, 2_210_755_335),
        seven_off::checked_add,
        seven_off::prove,
        seven_off::bounds,
    );
    // 7 + 2 gives 20,000,000,009: every digit right but the leading one.
    assert_eq!(leading_digit::add(7, 2), 20_000_000_009);
    check(
        "leading_digit",
        (7, 2),
        leading_digit::checked_add,
        leading_digit::prove,
        leading_digit::bounds,
    );
    assert_eq!(wrap_off::add(5, 5), 15);
    check(
        "wrap_off",
        (5, 5),
        wrap_off::checked_add,
        wrap_off::prove,
        wrap_off::bounds,
    );
}
