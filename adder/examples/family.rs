//! The table of the README's family section: for each compiled model, its
//! parameter count, what the proof says, its smallest logit gap, its
//! additions per second on this machine and, when given as `model=bytes`
//! arguments, the flash its `add` costs on the Cortex-M4F.
//!
//! `tests/firmware/family.sh` measures the flash and runs this; without the
//! firmware, `cargo run --release -p adder --example family` leaves that
//! column empty.

use std::hint::black_box;
use std::time::Instant;

use adder::models::{adder58, adder66, dense130, seed58, wide58};
use adder::proof::{Refutation, prove};

/// Additions per second: the best of 3 runs over 200,000 pairs.
fn speed(add: fn(u64, u64) -> u64) -> f64 {
    let pairs: Vec<(u64, u64)> = (0..200_000u64)
        .map(|i| {
            (
                i.wrapping_mul(2_654_435_761) % 10_000_000_000,
                i.wrapping_mul(40_503) % 10_000_000_000,
            )
        })
        .collect();
    (0..3)
        .map(|_| {
            let start = Instant::now();
            for (a, b) in &pairs {
                black_box(add(black_box(*a), black_box(*b)));
            }
            pairs.len() as f64 / start.elapsed().as_secs_f64()
        })
        .fold(0.0, f64::max)
}

fn main() {
    let flash: Vec<(String, String)> = std::env::args()
        .skip(1)
        .filter_map(|arg| {
            arg.split_once('=')
                .map(|(model, bytes)| (model.to_owned(), bytes.to_owned()))
        })
        .collect();
    let flash_of = |name: &str| {
        flash
            .iter()
            .find(|(model, _)| model == name)
            .map_or_else(|| "-".to_owned(), |(_, bytes)| format!("{bytes} B"))
    };
    let proofs = [
        (
            "adder58",
            adder58::PARAM_COUNT,
            prove(&adder58::STAGES),
            adder58::add as fn(u64, u64) -> u64,
        ),
        (
            "wide58",
            wide58::PARAM_COUNT,
            prove(&wide58::STAGES),
            wide58::add,
        ),
        (
            "adder66",
            adder66::PARAM_COUNT,
            prove(&adder66::STAGES),
            adder66::add,
        ),
        (
            "dense130",
            dense130::PARAM_COUNT,
            prove(&dense130::STAGES),
            dense130::add,
        ),
        (
            "seed58",
            seed58::PARAM_COUNT,
            prove(&seed58::STAGES),
            seed58::add,
        ),
    ];
    println!(
        "| model | parameters | all 10^20 pairs | smallest logit gap | additions/s | flash on M4F |"
    );
    println!("| --- | --- | --- | --- | --- | --- |");
    for (name, params, proof, add) in proofs {
        let (verdict, margin) = match proof {
            Ok(proof) => ("proved".to_owned(), format!("{:.4}", proof.margin)),
            Err(Refutation::Wrong { a, b, .. }) => {
                (format!("wrong, e.g. {a} + {b}"), "-".to_owned())
            }
            Err(refutation) => (format!("not proved: {refutation}"), "-".to_owned()),
        };
        println!(
            "| `{name}` | {params} | {verdict} | {margin} | {:.0} | {} |",
            speed(add),
            flash_of(name)
        );
    }
}
