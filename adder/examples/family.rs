//! The table of the README's family section: for each compiled model, its
//! parameter count and architecture, the board's published accuracy and
//! ours on the board's check, what the proof says, its smallest logit gap,
//! its additions per second on this machine and, when given as
//! `model=bytes` arguments, the flash its `add` costs on the Cortex-M4F.
//!
//! `tests/firmware/family.sh` measures the flash and runs this; without the
//! firmware, `cargo run --release -p adder --example family` leaves that
//! column empty. Arguments without `=` name the models to run (all by
//! default): `.. --example family -- lichengliu03_262 lichengliu03_262=9000`.

use std::hint::black_box;
use std::time::Instant;

use adder::bounds::Outcome;
use adder::verdict::{Method, Verdict, verdict};

/// Additions per second of `run` (which adds the pairs it is given): the
/// best of 3 runs over distinct pairs, as many as take about a quarter of a second
/// (at most 200,000), so that the slow models take no longer to time than
/// the fast ones.
fn speed(mut run: impl FnMut(&[(u64, u64)])) -> f64 {
    let pair = |i: u64| {
        (
            i.wrapping_mul(2_654_435_761) % 10_000_000_000,
            i.wrapping_mul(40_503) % 10_000_000_000,
        )
    };
    let start = Instant::now();
    run(&(0..1_000).map(pair).collect::<Vec<_>>());
    let per_second = 1_000.0 / start.elapsed().as_secs_f64();
    let count = ((per_second * 0.25) as u64).clamp(1_000, 200_000);
    let pairs: Vec<(u64, u64)> = (1_000..1_000 + count).map(pair).collect();
    (0..3)
        .map(|_| {
            let start = Instant::now();
            run(&pairs);
            pairs.len() as f64 / start.elapsed().as_secs_f64()
        })
        .fold(0.0, f64::max)
}

/// `add`'s and `add_lanes`'s additions per second.
fn speeds(model: &adder::models::Named) -> (f64, f64) {
    let add = speed(|pairs| {
        for (a, b) in pairs {
            black_box((model.checked_add)(black_box(*a), black_box(*b)));
        }
    });
    let mut sums = vec![None; 200_000];
    let lanes = speed(|pairs| {
        model.checked_add_all(black_box(pairs), &mut sums);
        black_box(&sums);
    });
    (add, lanes)
}

/// The board's published accuracy of each board model (its README's
/// figures of the 10,010 pairs; `-` for models not on the board).
fn published(name: &str) -> &'static str {
    match name {
        "seed58" => "91.94 % (its f32 run; NOTES §2)",
        "qwen3_122" => "99.95 %",
        "qwen3_137" => "99.73 %",
        "qwen3_146" => "99.98 %",
        "qwen3_155" => "99.92 %",
        "qwen3_173" => "99.93 %",
        "qwen3_200" => "99.99 % (a 200-parameter file we do not have)",
        "qwen3_228" | "wonderfall_121" | "jacobli99_93" | "corbensorenson_111" | "nino_116"
        | "wonderfall_139" | "lichengliu03_50" | "lokimorty_10" | "wonderfall_27"
        | "jacobli99_28" | "bingbangboom_87" | "microadder_67" | "fblissjr_33" => "100 %",
        "alexlitz_36" => "100 % (refuted since: the board's README, below)",
        "xangma_197" => "~100 %",
        "lowrank_311" => "99.999 % (its own 100,000 pairs)",
        "lowrank_456_s43" | "lowrank_456_s44" => "100 % (the 456p entry)",
        "lowrank_512" => "99.988 %",
        "lichengliu03_262" => "100 % (its own 10,000 pairs)",
        "kswain98_8" => "not in our copy of the board",
        "jackcai_234" => "99.91 %",
        "microadder_57" => "100 % (its own run; newer than our copy of the board)",
        _ => "-",
    }
}

/// The board's group of each model: hand-coded G1 (RoPE period 19, d 2),
/// G2 (Qwen3, GQA, head dim 2), G3 (the seed's family), or trained.
fn group(name: &str) -> &'static str {
    match name {
        "kswain98_8" | "lokimorty_10" | "wonderfall_27" => "G1",
        "jacobli99_28" | "bingbangboom_87" | "jacobli99_93" | "corbensorenson_111" | "nino_116"
        | "wonderfall_121" | "wonderfall_139" | "xangma_197" => "G2",
        "lichengliu03_50" | "adder58" | "seed58" | "dense130" | "adder66" | "wide58" => "G3",
        "fblissjr_33" | "alexlitz_36" => "G4",
        name if name.starts_with("qwen3_") => "trained, Qwen3",
        name if name.starts_with("microadder_") || name.starts_with("jackcai_") => {
            "trained, split residual"
        }
        _ => "trained, low-rank",
    }
}

fn main() {
    // `--names`: the models, one a line, for `tests/firmware/family.sh`.
    if std::env::args().nth(1).as_deref() == Some("--names") {
        for model in adder::models::ALL {
            println!("{}", model.name);
        }
        return;
    }
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
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.contains('='))
        .collect();
    let pairs: Vec<(u64, u64)> = adder::board::pairs().collect();
    println!(
        "| model | group | parameters | architecture | board's accuracy | ours, board's check | all 10^20 pairs, time | certified accuracy | smallest margin | additions/s: `add` | `add_lanes` | flash on M4F |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    let chosen = adder::models::ALL
        .iter()
        .filter(|model| only.is_empty() || only.iter().any(|name| name == model.name));
    for model in chosen {
        let start = Instant::now();
        let found = verdict(model);
        let seconds = start.elapsed().as_secs_f64();
        let certified = found.certified();
        let (verdict, margin) = match found {
            Verdict::Proved {
                margin,
                method: Method::Positions,
                ..
            } => ("proved (positions)".to_owned(), format!("{margin:.4}")),
            Verdict::Proved {
                margin,
                method: Method::Intervals,
                ..
            } => ("proved (intervals)".to_owned(), format!("{margin:.3e}")),
            Verdict::Refuted { a, b, .. } => (format!("refuted: {a} + {b}"), "-".to_owned()),
            Verdict::Undecided {
                bounds: Outcome::Undecided { unsettled, .. },
                ..
            } => (
                format!("undecided ({unsettled} states unsettled)"),
                "-".to_owned(),
            ),
            Verdict::Undecided { bounds, .. } => (format!("undecided ({bounds})"), "-".to_owned()),
        };
        let verdict = format!("{verdict}, {seconds:.1} s");
        // By the fastest path, which gives each pair what `add` gives.
        let mut sums = vec![None; pairs.len()];
        model.checked_add_all(&pairs, &mut sums);
        let right = pairs
            .iter()
            .zip(&sums)
            .filter(|((a, b), sum)| Some(a + b) == **sum)
            .count();
        let (add, lanes) = speeds(model);
        println!(
            "| `{}` | {} | {} | {} | {} | {right}/{} | {verdict} | {certified} | {margin} | {add:.0} | {lanes:.0} | {} |",
            model.name,
            group(model.name),
            model.params,
            model.architecture,
            published(model.name),
            pairs.len(),
            flash_of(model.name)
        );
    }
}
