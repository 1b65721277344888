//! The compiled models against the seed's reference logits in exact math.
//!
//! `data/seed58_logits_f64.csv` (a copy of `shared/reference/`) holds, for
//! 342 pairs and both weight sets, every step's greedy token and its 10
//! logits, computed with the model and the positional table in `f64`. The
//! compiled models run in `f32`; every token must be equal and every logit
//! within [`tolerance`].

use adder::models::{adder58, seed58};

/// One row of the reference: a step of one addition.
struct Row {
    model: String,
    a: u64,
    b: u64,
    sum: u64,
    step: usize,
    token: u8,
    logits: [f64; 10],
}

fn rows() -> Vec<Row> {
    let text = include_str!("../data/seed58_logits_f64.csv");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(
            "model,a,b,sum,step,token,logit0,logit1,logit2,logit3,logit4,logit5,logit6,logit7,logit8,logit9"
        )
    );
    lines
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            assert_eq!(fields.len(), 16, "{line}");
            let mut logits = [0.0; 10];
            for (logit, field) in logits.iter_mut().zip(&fields[6..]) {
                *logit = field.parse().unwrap();
            }
            Row {
                model: fields[0].to_owned(),
                a: fields[1].parse().unwrap(),
                b: fields[2].parse().unwrap(),
                sum: fields[3].parse().unwrap(),
                step: fields[4].parse().unwrap(),
                token: fields[5].parse().unwrap(),
                logits,
            }
        })
        .collect()
}

/// How far an `f32` logit may stand from the exact one.
///
/// The head computes `logit(d) = 2 d x3 - d^2`, so a logit is off by at most
/// `2 d |dx3|` plus its own rounding. `x3` is the sum of the attention's
/// output (an average of two digits, exact to an ulp of 20) and the MLP's
/// output, whose largest terms are the wrap neurons `1000 x3 - 9045..` at up
/// to about `2^14`: each is rounded to half an ulp there, `2^-10`, and two of
/// them meet with opposite signs, so `|dx3| <= 2^-9` (plus the carry
/// neurons' `0.01 h` terms at ~`2^7`, `2^-16` each). Over `d <= 9` that is
/// `18 * 2^-9 = 0.035`, and the logit's own rounding (`|logit| <= 2^8`,
/// half an ulp `2^-16`) is negligible beside it.
fn tolerance() -> f64 {
    18.0 * 2f64.powi(-9) + 2f64.powi(-15)
}

#[test]
fn every_token_and_logit_matches_the_exact_reference() {
    let rows = rows();
    assert_eq!(rows.len(), 2 * 342 * 11);
    let mut worst: f64 = 0.0;
    let mut wrong_sums = 0;
    for addition in rows.chunks(11) {
        for row in addition {
            assert_eq!(
                (row.model.as_str(), row.a, row.b),
                (addition[0].model.as_str(), addition[0].a, addition[0].b)
            );
        }
    }
    for (index, row) in rows.iter().enumerate() {
        let logits_of: fn(&[u8]) -> [f32; 10] = match row.model.as_str() {
            "fixed58" => adder58::logits,
            "seed58" => seed58::logits,
            other => panic!("unknown model {other}"),
        };
        // The prompt and the reference's own earlier tokens (the rows of one
        // addition are its steps 0 to 10, in order).
        let mut tokens = adder::tokens::prompt(row.a, row.b).to_vec();
        tokens.extend(rows[index - row.step..index].iter().map(|r| r.token));
        assert_eq!(tokens.len(), 22 + row.step);
        let logits = logits_of(&tokens);
        let token = adder::tokens::argmax(&logits);
        assert_eq!(
            token, row.token as usize,
            "{} {} + {} step {}: {logits:?} vs {:?}",
            row.model, row.a, row.b, row.step, row.logits
        );
        for (ours, exact) in logits.iter().zip(row.logits) {
            let error = (f64::from(*ours) - exact).abs();
            worst = worst.max(error);
            assert!(
                error <= tolerance(),
                "{} {} + {} step {}: logit {ours} vs {exact}",
                row.model,
                row.a,
                row.b,
                row.step
            );
        }
        if row.step == 10 && row.sum != row.a + row.b {
            wrong_sums += 1;
        }
    }
    eprintln!(
        "largest logit error against the f64 reference: {worst:e} (tolerance {:e})",
        tolerance()
    );
    // The reference itself records seed58's faults: they must be there.
    assert!(wrong_sums > 0);
}

#[test]
fn both_models_answer_the_reference_sums() {
    for row in rows().iter().filter(|row| row.step == 0) {
        let ours = match row.model.as_str() {
            "fixed58" => adder58::add(row.a, row.b),
            _ => seed58::add(row.a, row.b),
        };
        assert_eq!(ours, row.sum, "{} {} + {}", row.model, row.a, row.b);
    }
}
