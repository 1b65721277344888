//! `add_lanes` and `checked_add_lanes`: every lane exactly what `add` and
//! `checked_add` give, on every model (wrong sums of the wrong models
//! included), out-of-range lanes alone `None`, in `const` items too.

use adder::LANES;
use adder::models::{self, adder58, seed58};
use adder_tests::pairs;

/// Every lane of `checked_add_lanes` against `checked_add`, on `count`
/// pairs, for the model called `name`.
fn lanes_of(name: &str, count: usize) {
    adder::with_model!(name, m => {
        let all: Vec<(u64, u64)> = pairs(7, count).collect();
        for chunk in all.chunks_exact(LANES) {
            let a: [u64; LANES] = std::array::from_fn(|lane| chunk[lane].0);
            let b: [u64; LANES] = std::array::from_fn(|lane| chunk[lane].1);
            let sums = m::checked_add_lanes(&a, &b);
            for lane in 0..LANES {
                assert_eq!(sums[lane], m::checked_add(a[lane], b[lane]), "{name}: {} + {}", a[lane], b[lane]);
            }
        }
    })
    .expect("a model");
}

#[test]
fn every_lane_is_checked_add_on_every_model() {
    for model in models::ALL {
        // The fast-path models on many pairs, the others (ten to a
        // thousand times slower) on fewer: enough for the one-layer models'
        // attention in lanes to meet every kind of carry.
        let count = if models_with_fast_path().contains(&model.name) {
            40_000
        } else {
            4_000
        };
        lanes_of(model.name, count);
    }
}

/// Every step of `count` additions, `LANES` at a time: each lane of
/// `lane_logits` has the bits of `logits` of that lane's tokens, the lanes'
/// argmax is each lane's, and the digits written are those of `digits`.
fn every_step_of(name: &str, count: usize) {
    adder::with_f32_model!(name, m => {
        let all: Vec<(u64, u64)> = pairs(11, count).collect();
        for chunk in all.chunks_exact(LANES) {
            let mut tokens: [[u8; m::BLOCK_SIZE]; LANES] =
                std::array::from_fn(|lane| m::FORMAT.sequence(chunk[lane].0, chunk[lane].1));
            for k in 0..11 {
                let len = m::PROMPT_LEN + k;
                let logits = m::lane_logits(&tokens, len);
                let written = adder::lanes::argmax(&logits);
                for lane in 0..LANES {
                    let alone = m::logits(&tokens[lane][..len]);
                    let side_by_side = adder::lanes::lane(&logits, lane);
                    assert_eq!(
                        side_by_side.map(f32::to_bits),
                        alone.map(f32::to_bits),
                        "{name}: {:?}, step {k}",
                        chunk[lane]
                    );
                    assert_eq!(usize::from(written[lane]), adder::tokens::argmax(&alone));
                    tokens[lane][len] = written[lane];
                }
            }
            for (lane, (a, b)) in chunk.iter().enumerate() {
                let written = &tokens[lane][m::PROMPT_LEN..m::PROMPT_LEN + 11];
                assert_eq!(written, m::digits(*a, *b), "{name}: {a} + {b}");
            }
        }
    })
    .expect("an f32 model");
}

#[test]
fn every_step_of_every_lane_is_logits_bit_for_bit() {
    // An `f64` model's lanes run `step_at` lane by lane: no `lane_logits`.
    let f32_models = models::ALL
        .iter()
        .filter(|model| adder::with_f32_model!(model.name, _m => ()).is_some());
    for model in f32_models {
        // The one-layer models' lanes run their whole step in lanes: every
        // logit of 800 additions' steps against `logits`.
        let count = if models_with_fast_path().contains(&model.name) {
            20_000
        } else {
            800
        };
        every_step_of(model.name, count);
    }
}

/// The models whose `logits` read the positions their heads look at
/// alone (a thousand times faster than the others).
fn models_with_fast_path() -> [&'static str; 5] {
    ["adder58", "seed58", "dense130", "adder66", "wide58"]
}

#[test]
fn the_wrong_model_is_wrong_in_every_lane_as_alone() {
    let a = [9_000, 4_192_983_756, 1, 2, 3, 4, 5, 6];
    let b = [0, 8_790_005_680, 1, 2, 3, 4, 5, 6];
    let sums = seed58::add_lanes(&a, &b);
    for lane in 0..LANES {
        assert_eq!(sums[lane], seed58::add(a[lane], b[lane]));
    }
    assert_ne!(sums[0], 9_000);
}

#[test]
fn an_operand_out_of_range_is_none_in_its_lane_alone() {
    let mut a = [1; LANES];
    let mut b = [2; LANES];
    a[3] = adder::MAX_OPERAND + 1;
    b[5] = u64::MAX;
    let sums = adder::checked_add_lanes(&a, &b);
    for (lane, sum) in sums.iter().enumerate() {
        let expected = if lane == 3 || lane == 5 {
            None
        } else {
            Some(3)
        };
        assert_eq!(*sum, expected, "lane {lane}");
    }
}

#[test]
#[should_panic(expected = "adder: an operand exceeds MAX_OPERAND (9_999_999_999, ten digits)")]
fn add_lanes_panics_as_add_does() {
    let mut a = [0; LANES];
    a[7] = adder::MAX_OPERAND + 1;
    let _ = adder::add_lanes(&a, &[0; LANES]);
}

/// In a `const` item, as `add`.
const SUMS: [u64; LANES] = adder58::add_lanes(
    &[1, 22, 333, 4_444, 55_555, 666_666, 7_777_777, 9_999_999_999],
    &[9, 78, 667, 5_556, 44_445, 333_334, 2_222_223, 9_999_999_999],
);

#[test]
fn add_lanes_runs_in_const_items() {
    assert_eq!(
        SUMS,
        [
            10,
            100,
            1_000,
            10_000,
            100_000,
            1_000_000,
            10_000_000,
            19_999_999_998
        ]
    );
}

/// What the fast path computes per addition, counted from its code: 11
/// steps of 16 operations mixing two heads' two positions (a
/// multiplication and an addition per dim) and 62 after the attention (the
/// MLP and the parabolic head; the MLP's rows that share weights once).
#[test]
fn adder58_adds_with_858_floating_point_operations() {
    assert_eq!(adder58::lanes::OPERATIONS, 62);
    assert_eq!(adder58::OPERATIONS_PER_ADDITION, 11 * (16 + 62));
}
