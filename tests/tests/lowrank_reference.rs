//! The board's trained models against their own code: `data/lowrank_logits.csv`
//! holds, for 50 pairs per low-rank GPT (the board's 10 edge cases and 40
//! random ones), every greedy step's token and 14 logits as the original
//! `src/model.py` computes them in PyTorch (`lichengliu03_262`: its
//! `submission_262p.py`, the same network with its weights embedded), in
//! `float32` (the run the board scored) and in `float64` (the same network
//! in exact-enough math), written once by a throw-away script (not a
//! dependency); `data/split_logits.csv` the same, the 10 digits' logits,
//! for the split-residual models by their own `submission_*.py`
//! (`adder/specs/board/check_microadder.py`, `check_jackcai.py`).
//!
//! These trained networks amplify rounding: on `lowrank_311`, `9999999999 +
//! 0`, step 0, exact math gives -11.48427, PyTorch's `f32` -11.48685 and ours
//! -11.48291. So our logits are held to exact math, within what the original
//! itself gets wrong: every token equal to PyTorch's, and every logit within
//! twice PyTorch's own largest `f32` error of that model (our sums run in
//! another order, so neither run is the other's reference; twice the
//! original's error allows for ours being as large and of the other sign).

use adder::with_model;

struct Row {
    model: String,
    a: u64,
    b: u64,
    step: usize,
    token: u8,
    pytorch: Vec<f32>,
    exact: Vec<f64>,
}

fn rows(text: &str, vocab: usize) -> Vec<Row> {
    let mut lines = text.lines();
    let header = lines.next().expect("a header");
    assert!(header.starts_with("model,a,b,step,token,logit0"));
    lines
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            assert_eq!(fields.len(), 5 + 2 * vocab, "{line}");
            Row {
                model: fields[0].to_owned(),
                a: fields[1].parse().unwrap(),
                b: fields[2].parse().unwrap(),
                step: fields[3].parse().unwrap(),
                token: fields[4].parse().unwrap(),
                pytorch: fields[5..5 + vocab]
                    .iter()
                    .map(|f| f.parse().unwrap())
                    .collect(),
                exact: fields[5 + vocab..]
                    .iter()
                    .map(|f| f.parse().unwrap())
                    .collect(),
            }
        })
        .collect()
}

#[test]
fn low_rank_logits_match_the_original_pytorch_code() {
    let all = rows(include_str!("../data/lowrank_logits.csv"), 14);
    assert_eq!(all.len(), 5 * 50 * 11);
    for model in [
        "lowrank_311",
        "lowrank_456_s43",
        "lowrank_456_s44",
        "lowrank_512",
        "lichengliu03_262",
    ] {
        held_to_exact_math(&all, model);
    }
}

#[test]
fn split_residual_logits_match_the_original_pytorch_code() {
    let all = rows(include_str!("../data/split_logits.csv"), 10);
    assert_eq!(all.len(), 3 * 50 * 11);
    for model in ["microadder_57", "microadder_67", "jackcai_234"] {
        held_to_exact_math(&all, model);
    }
}

/// Every token of `model`'s rows equal to `PyTorch`'s, every logit within
/// twice `PyTorch`'s own largest `f32` error of that model.
fn held_to_exact_math(all: &[Row], model: &str) {
    {
        let rows: Vec<&Row> = all.iter().filter(|s| s.model == model).collect();
        let error = |logits: &[f64], exact: &[f64]| {
            logits
                .iter()
                .zip(exact)
                .map(|(x, e)| (x - e).abs())
                .fold(0.0, f64::max)
        };
        let theirs = rows
            .iter()
            .map(|s| {
                let pytorch: Vec<f64> = s.pytorch.iter().map(|x| f64::from(*x)).collect();
                error(&pytorch, &s.exact)
            })
            .fold(0.0, f64::max);
        let mut ours = 0.0f64;
        for s in &rows {
            let (digit, logits) = with_model!(model, m => {
                let trace = m::trace(s.a, s.b);
                let logits = trace.steps[s.step].logits;
                let logits: Vec<f64> = logits.iter().map(|x| adder::Float::to_f64(*x)).collect();
                (trace.digits[s.step], logits)
            })
            .expect("a board model");
            assert_eq!(
                digit, s.token,
                "{model}: {} + {}, step {}",
                s.a, s.b, s.step
            );
            let off = error(&logits, &s.exact);
            assert!(
                off <= 2.0 * theirs,
                "{model}: {} + {}, step {}: {off:e} from exact math, PyTorch's worst {theirs:e}",
                s.a,
                s.b,
                s.step
            );
            ours = ours.max(off);
        }
        eprintln!(
            "{model}: largest logit error from exact math, ours {ours:.2e}, PyTorch's f32 {theirs:.2e}"
        );
    }
}
