//! Models of `dtype: f64`: adder58's network with every number and every
//! operation in `f64` (`specs/adder58_f64.spec`; its query rotation written
//! as the matrix, since a `rotation`'s sin and cos are `f32` code), whose
//! logits match the seed's exact reference (`data/seed58_logits_f64.csv`,
//! computed in `f64`) a million times closer than the `f32` model's, which
//! adds right, in `const` items too, and whose lanes are its sums; and the
//! trained `qwen3_228` in `f64` (`specs/qwen3_228_f64.spec`: norms, rotary
//! positions, SwiGLU), beside its `f32` self; and adder58 routed by a fixed
//! score table (`specs/routed58_f64.spec`), the same bits at every answer
//! step; and fblissjr's hand-coded 33p, a float64 construction routed by
//! its own score table, beside its PyTorch original's logits
//! (`data/fblissjr_logits.csv`, `adder/specs/handcoded/check_fblissjr.py`).

use adder::models::{adder58, alexlitz_36, fblissjr_33, qwen3_228};

adder::model! {
    /// adder58 in `f64`.
    pub mod adder58_f64 = "specs/adder58_f64.spec";
}

adder::model! {
    /// adder58 in `f64`, its heads routed by a score table.
    pub mod routed58_f64 = "specs/routed58_f64.spec";
}

adder::model! {
    /// fblissjr's network with softmax1.
    pub mod plus_one33 = "specs/plus_one33.spec";
}

adder::model! {
    /// fblissjr's network writing the sum most significant digit first.
    pub mod msb33 = "specs/msb33.spec";
}

adder::model! {
    /// qwen3_228's weights, computed in `f64`.
    pub mod qwen3_228_f64 = "specs/qwen3_228_f64.spec";
}

/// The reference's rows of the fixed model: the pair, the step, its greedy
/// token and its exact logits.
fn fixed_rows() -> Vec<(u64, u64, usize, u8, [f64; 10])> {
    include_str!("../data/seed58_logits_f64.csv")
        .lines()
        .skip(1)
        .filter(|line| line.starts_with("fixed58,"))
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            let mut logits = [0.0; 10];
            for (logit, field) in logits.iter_mut().zip(&fields[6..]) {
                *logit = field.parse().unwrap();
            }
            (
                fields[1].parse().unwrap(),
                fields[2].parse().unwrap(),
                fields[4].parse().unwrap(),
                fields[5].parse().unwrap(),
                logits,
            )
        })
        .collect()
}

#[test]
fn logits_match_the_exact_reference_in_f64() {
    let rows = fixed_rows();
    assert_eq!(rows.len(), 342 * 11);
    let (mut worst_f64, mut worst_f32): (f64, f64) = (0.0, 0.0);
    let mut earlier = Vec::new();
    for &(a, b, step, token, exact) in &rows {
        if step == 0 {
            earlier.clear();
        }
        let mut tokens = adder::tokens::prompt(a, b).to_vec();
        tokens.extend(&earlier);
        let wide: [f64; 10] = adder58_f64::logits(&tokens);
        assert_eq!(
            adder::float::argmax_f64(&wide),
            usize::from(token),
            "{a} + {b} step {step}"
        );
        for (ours, exact) in wide.iter().zip(exact) {
            worst_f64 = worst_f64.max((ours - exact).abs());
        }
        for (ours, exact) in adder58::logits(&tokens).iter().zip(exact) {
            worst_f32 = worst_f32.max((f64::from(*ours) - exact).abs());
        }
        earlier.push(token);
    }
    eprintln!(
        "largest logit error against the f64 reference: f64 model {worst_f64:e}, f32 model {worst_f32:e}"
    );
    assert!(worst_f64 < 1e-9, "{worst_f64:e}");
    assert!(
        worst_f64 * 1e6 < worst_f32,
        "{worst_f64:e} vs {worst_f32:e}"
    );
}

/// `count` pairs of ten-digit operands, distinct, from a fixed seed.
fn pairs(count: usize) -> Vec<(u64, u64)> {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % 10_000_000_000
    };
    (0..count).map(|_| (next(), next())).collect()
}

#[test]
fn it_adds_right_and_its_lanes_are_its_sums() {
    let mut all = pairs(20_000);
    all.extend([
        (0, 0),
        (9_999_999_999, 1),
        (9_999_999_999, 9_999_999_999),
        (5_000_000_000, 5_000_000_000),
    ]);
    for &(a, b) in &all {
        assert_eq!(adder58_f64::add(a, b), a + b, "{a} + {b}");
    }
    assert_eq!(adder58_f64::checked_add(10_000_000_000, 0), None);
    for chunk in all.chunks_exact(adder::LANES).take(500) {
        let a: [u64; adder::LANES] = core::array::from_fn(|l| chunk[l].0);
        let b: [u64; adder::LANES] = core::array::from_fn(|l| chunk[l].1);
        let sums = adder58_f64::add_lanes(&a, &b);
        for lane in 0..adder::LANES {
            assert_eq!(sums[lane], a[lane] + b[lane]);
        }
    }
}

const SUM: u64 = adder58_f64::add(9_999_999_999, 9_999_999_999);

#[test]
fn it_runs_in_const_items_and_says_what_it_is() {
    assert_eq!(SUM, 19_999_999_998);
    // adder58's 58 less the rotation's angles and scale (3), plus the
    // query matrix written out (16).
    assert_eq!(adder58_f64::PARAM_COUNT, 58 - 3 + 16);
    assert!(adder58_f64::ARCHITECTURE.ends_with("float64"));
    let trace: adder58_f64::Trace = adder58_f64::trace(1_234_567_890, 987_654_321);
    let logits: [f64; 10] = trace.steps[0].logits;
    assert_eq!(adder::float::argmax_f64(&logits), 1);
    assert_eq!(trace.sum(), 2_222_222_211);
    assert!(
        trace
            .show("adder58_f64", &adder58_f64::FORMAT)
            .to_string()
            .ends_with("right\n")
    );
}

#[test]
fn a_trained_qwen3_in_f64_stays_beside_its_f32_self() {
    let mut worst: f64 = 0.0;
    for (i, &(a, b)) in pairs(2_000).iter().enumerate() {
        assert_eq!(qwen3_228_f64::add(a, b), a + b, "{a} + {b}");
        if i % 10 != 0 {
            continue;
        }
        // Every step's logits, both models fed the true digits.
        let sequence: [u8; qwen3_228::BLOCK_SIZE] = qwen3_228::FORMAT.sequence(a, b);
        for len in qwen3_228::PROMPT_LEN..qwen3_228::PROMPT_LEN + 11 {
            let (wide, narrow) = (
                qwen3_228_f64::logits(&sequence[..len]),
                qwen3_228::logits(&sequence[..len]),
            );
            for (w, n) in wide.iter().zip(narrow) {
                worst = worst.max((w - f64::from(n)).abs() / w.abs().max(1.0));
            }
        }
    }
    eprintln!("qwen3_228: largest relative logit gap between f64 and f32: {worst:e}");
    assert!(worst > 0.0 && worst < 1e-2, "{worst:e}");
}

#[test]
fn a_score_table_routes_the_heads_as_the_queries_did() {
    assert!(routed58_f64::ARCHITECTURE.ends_with("fixed score table, float64"));
    for &(a, b) in &pairs(2_000) {
        let sequence: [u8; 35] = adder58_f64::FORMAT.sequence(a, b);
        for len in adder58_f64::PROMPT_LEN..adder58_f64::PROMPT_LEN + 11 {
            let (routed, rotated) = (
                routed58_f64::step(&sequence[..len]),
                adder58_f64::step(&sequence[..len]),
            );
            assert_eq!(
                routed.attention, rotated.attention,
                "{a} + {b}, {len} tokens"
            );
            assert_eq!(
                routed.logits.map(f64::to_bits),
                rotated.logits.map(f64::to_bits),
                "{a} + {b}, {len} tokens"
            );
        }
        assert_eq!(routed58_f64::add(a, b), a + b);
    }
}

/// Distance in units in the last place between two finite `f64`s of the
/// same sign (or zeros).
fn ulps(x: f64, y: f64) -> u64 {
    if x == y {
        return 0;
    }
    assert_eq!(x.is_sign_negative(), y.is_sign_negative(), "{x} vs {y}");
    x.to_bits().abs_diff(y.to_bits())
}

#[test]
fn fblissjr_33_computes_its_originals_logits() {
    let rows: Vec<Vec<&str>> = include_str!("../data/fblissjr_logits.csv")
        .lines()
        .skip(1)
        .map(|line| line.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 50 * 11);
    let (mut worst, mut sequence) = (0, [0; 33]);
    for row in &rows {
        let [a, b, step]: [u64; 3] = core::array::from_fn(|i| row[i].parse().unwrap());
        let token: u8 = row[3].parse().unwrap();
        if step == 0 {
            sequence = fblissjr_33::FORMAT.sequence(a, b);
        }
        // The prompt, then the original's own tokens.
        let len = fblissjr_33::PROMPT_LEN + usize::try_from(step).unwrap();
        let logits: [f64; 11] = fblissjr_33::logits(&sequence[..len]);
        assert_eq!(
            adder::float::argmax_f64(&logits),
            usize::from(token),
            "{a} + {b}, step {step}"
        );
        sequence[len] = token;
        for (ours, theirs) in logits.iter().zip(&row[4..]) {
            worst = worst.max(ulps(*ours, theirs.parse().unwrap()));
        }
    }
    eprintln!("fblissjr_33: largest logit gap to its PyTorch original: {worst} ulp");
    assert_eq!(worst, 0, "bit for bit");
}

#[test]
fn fblissjr_33_reproduces_its_board_count() {
    let right = adder::board::pairs()
        .filter(|&(a, b)| fblissjr_33::add(a, b) == a + b)
        .count();
    assert_eq!(right, 10_010);
    assert_eq!(FBLISSJR_SUM, 19_999_999_998);
    // The stored numbers; the board counts the 33 distinct ones.
    assert_eq!(fblissjr_33::PARAM_COUNT, 141);
    assert!(
        fblissjr_33::ARCHITECTURE.contains("no positional encoding"),
        "{}",
        fblissjr_33::ARCHITECTURE
    );
}

const FBLISSJR_SUM: u64 = fblissjr_33::add(9_999_999_999, 9_999_999_999);

#[test]
fn softmax1_divides_by_one_plus_the_sum() {
    assert!(plus_one33::ARCHITECTURE.ends_with("fixed score table, softmax1, float64"));
    let table = &plus_one33::M;
    let mut short = 0;
    for &(a, b) in &pairs(300) {
        let sequence: [u8; 33] = plus_one33::FORMAT.sequence(a, b);
        for len in plus_one33::PROMPT_LEN..plus_one33::PROMPT_LEN + 11 {
            let step = plus_one33::step(&sequence[..len]);
            for (head, weights) in step.attention.iter().enumerate() {
                // The reference: Q = K = 0, so each score is the table's.
                let row = &table[head][len - 1][..len];
                let sum: f64 = row.iter().map(|&s| adder::math::exp(s)).sum();
                for (position, &score) in row.iter().enumerate() {
                    let weight = adder::math::exp(score) / (1.0 + sum);
                    assert_eq!(
                        weights[position].to_bits(),
                        weight.to_bits(),
                        "{a} + {b}, {len} tokens, head {head}, position {position}"
                    );
                }
                short += usize::from(weights[..len].iter().sum::<f64>() < 1.0 - 1e-9);
            }
        }
    }
    // A prompt position's head looks at itself alone: 1 / (1 + 1) there.
    assert!(short > 0);
}

const MSB_SUM: u64 = msb33::add(9_999_999_999, 1);

#[test]
fn an_answer_most_significant_first_is_read_so() {
    const { assert!(msb33::FORMAT.answer_msb_first) };
    assert_eq!(MSB_SUM, 10_000_000_000);
    let mut all = pairs(20_000);
    all.extend(adder::board::EDGE_CASES);
    for &(a, b) in &all {
        assert_eq!(msb33::checked_add(a, b), Some(a + b), "{a} + {b}");
        assert_eq!(msb33::digits(a, b), adder::tokens::encode(a + b));
    }
    for chunk in all.chunks_exact(adder::LANES).take(100) {
        let a: [u64; adder::LANES] = core::array::from_fn(|l| chunk[l].0);
        let b: [u64; adder::LANES] = core::array::from_fn(|l| chunk[l].1);
        let sums = msb33::add_lanes(&a, &b);
        assert_eq!(sums, core::array::from_fn(|l| a[l] + b[l]));
    }
    // The trace: step 0 writes place 10, its digits in the sum's order.
    let (a, b) = (9_234_567_890, 987_654_321);
    let trace: msb33::Trace = msb33::trace(a, b);
    assert_eq!(trace.sum(), a + b);
    assert_eq!(trace.digits, adder::tokens::encode(a + b));
    assert_eq!(adder::float::argmax_f64(&trace.steps[0].logits), 1);
    assert_eq!(adder::float::argmax_f64(&trace.steps[10].logits), 1);
    let shown = trace.show("msb33", &msb33::FORMAT).to_string();
    assert!(shown.contains("step  0: writes s10 = 1"), "{shown}");
    assert!(shown.ends_with("right\n"), "{shown}");
    assert_eq!(
        msb33::FORMAT.position(msb33::PROMPT_LEN),
        adder::tokens::Position::Sum(10)
    );
}

#[test]
fn alexlitz_36_computes_its_originals_logits() {
    let rows: Vec<Vec<f64>> = include_str!("../data/alexlitz_logits.csv")
        .lines()
        .skip(1)
        .map(|line| line.split(',').map(|x| x.parse().unwrap()).collect())
        .collect();
    assert_eq!(rows.len(), 51 * 11);
    // Every logit is a difference of numbers near 1e17, so two float64 runs
    // that sum in different orders (PyTorch's reductions and matrix
    // products, our loops) differ, by thousands: each is held to the
    // near-exact logits (60-digit decimals, `check_alexlitz.py`), and ours
    // are as close to them as the original's, at worst and on average
    // (ours no farther at 406 of the 561 steps).
    let (mut ours_worst, mut theirs_worst, mut sequence): (f64, f64, _) = (0.0, 0.0, [0; 34]);
    let (mut ours_total, mut theirs_total) = (0.0, 0.0);
    for row in &rows {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let [a, b, step, token] = [0, 1, 2, 3].map(|i| row[i] as u64);
        if step == 0 {
            sequence = alexlitz_36::FORMAT.sequence(a, b);
        }
        let len = alexlitz_36::PROMPT_LEN + usize::try_from(step).unwrap();
        let logits: [f64; 14] = alexlitz_36::logits(&sequence[..len]);
        assert_eq!(
            adder::float::argmax_f64(&logits) as u64,
            token,
            "{a} + {b}, step {step}"
        );
        sequence[len] = u8::try_from(token).unwrap();
        // The original has the digits' 10 logits; the specials' are far below.
        assert!(logits[10..].iter().all(|&logit| logit == -1e300));
        let (theirs, exact) = (&row[4..14], &row[14..24]);
        let off = |logits: &[f64]| {
            logits
                .iter()
                .zip(exact)
                .fold(0.0_f64, |m, (x, e)| m.max((x - e).abs()))
        };
        let (ours_off, theirs_off) = (off(&logits[..10]), off(theirs));
        ours_worst = ours_worst.max(ours_off);
        theirs_worst = theirs_worst.max(theirs_off);
        ours_total += ours_off;
        theirs_total += theirs_off;
    }
    eprintln!(
        "alexlitz_36: largest logit error {ours_worst:e}, total {ours_total:e} \
         (its PyTorch original's: {theirs_worst:e}, {theirs_total:e})"
    );
    assert!(ours_worst <= 1.5 * theirs_worst && ours_total <= 1.1 * theirs_total);
}

#[test]
fn alexlitz_36_is_wrong_where_the_board_found_it_wrong() {
    assert_eq!(alexlitz_36::PARAM_COUNT, 36);
    assert_eq!(
        alexlitz_36::checked_add(5_193_798_811, 1_806_201_129),
        Some(7_000_000_000)
    );
    let right = adder::board::pairs()
        .filter(|&(a, b)| alexlitz_36::add(a, b) == a + b)
        .count();
    assert_eq!(right, 10_010);
}
