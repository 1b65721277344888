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
        // The fast-path models on many pairs, the others (a thousand times
        // slower) on fewer.
        let count = if matches!(
            model.name,
            "adder58" | "seed58" | "dense130" | "adder66" | "wide58"
        ) {
            40_000
        } else {
            400
        };
        lanes_of(model.name, count);
    }
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
