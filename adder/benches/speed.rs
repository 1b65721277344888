//! Additions per second: the compiled network, a straightforward loop-based
//! evaluation of the same network, and native `a + b`, in one process, on
//! the same 200,000 distinct pseudo-random pairs (checked distinct: a small
//! set cycled in a loop teaches the branch predictor the answers). Every
//! run's sums are checked against `a + b` after it is timed.
//! `cargo bench -p adder`
//!
//! The loop's instructions per addition (the difference of the two counts,
//! divided by 2,000), stable on a noisy machine:
//!
//! ```sh
//! cargo bench -p adder --no-run   # prints the bench binary's path
//! for n in 0 2000; do LOOP_ONLY=$n valgrind --tool=callgrind \
//!     --callgrind-out-file=/dev/null target/release/deps/speed-HASH 2>&1 | grep Collected; done
//! ```
//!
//! The loop is the evaluation a user would write by hand: the forward pass
//! over every position with arrays and loops, a full softmax with
//! `libm::expf`, logits at the last position only, reading the same
//! parameters (`adder::models::adder58`'s statics).

// The hand-written evaluation is meant to read like plain index loops.
#![allow(clippy::needless_range_loop)]

use std::collections::HashSet;
use std::hint::black_box;
use std::time::Instant;

use adder::models::adder58 as model;

const PAIRS: usize = 200_000;

/// `PAIRS` pseudo-random operand pairs, no two alike.
fn pairs() -> Vec<(u64, u64)> {
    let mut state = 0x853c_49e6_748f_ea9b_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % (adder::MAX_OPERAND + 1)
    };
    let pairs: Vec<(u64, u64)> = (0..PAIRS).map(|_| (next(), next())).collect();
    let distinct: HashSet<&(u64, u64)> = pairs.iter().collect();
    assert_eq!(distinct.len(), PAIRS, "the pairs repeat");
    pairs
}

/// The hand-written evaluation: plain loops over plain arrays.
struct Loop {
    embedding: [[f32; 4]; 10],
    positions: [[f32; 4]; 35],
    q: [[f32; 4]; 4],
    k: [[f32; 4]; 4],
    v: [[f32; 4]; 4],
    proj: [[f32; 4]; 4],
    fc: [[f32; 4]; 4],
    fc_bias: [f32; 4],
    out: [[f32; 4]; 4],
    head: [[f32; 4]; 10],
    head_bias: [f32; 10],
}

impl Loop {
    /// Dense matrices from the parametrised ones, as a user would expand them.
    fn new() -> Self {
        let mut embedding = [[0.0; 4]; 10];
        for (token, row) in embedding.iter_mut().enumerate() {
            for (j, x) in row.iter_mut().enumerate() {
                *x = model::WTE_A[token][0] * model::WTE_B[0][j];
            }
        }
        let mut positions = [[0.0; 4]; 35];
        for (p, row) in positions.iter_mut().enumerate() {
            row[1] = model::POSITIONS[p][0];
            row[2] = model::POSITIONS[p][1];
        }
        let (s, a0, a1) = (
            model::ATTN_Q_PROJ_SCALE[0],
            model::ATTN_Q_PROJ_ANGLE_H0[0],
            model::ATTN_Q_PROJ_ANGLE_H1[0],
        );
        let mut q = [[0.0; 4]; 4];
        for (h, angle) in [a0, a1].into_iter().enumerate() {
            let (sin, cos) = (libm::sinf(angle), libm::cosf(angle));
            q[2 * h] = [0.0, -cos * s, sin * s, 0.0];
            q[2 * h + 1] = [0.0, sin * s, cos * s, 0.0];
        }
        let mut k = [[0.0; 4]; 4];
        for (i, row) in k.iter_mut().enumerate() {
            row[1] = model::ATTN_K_PROJ_WEIGHT[i][0];
            row[2] = model::ATTN_K_PROJ_WEIGHT[i][1];
        }
        let outer = |u: [[f32; 1]; 4], v: [[f32; 4]; 1]| {
            let mut m = [[0.0; 4]; 4];
            for (i, row) in m.iter_mut().enumerate() {
                for (j, x) in row.iter_mut().enumerate() {
                    *x = u[i][0] * v[0][j];
                }
            }
            m
        };
        let mut proj = [[0.0; 4]; 4];
        proj[3][0] = model::ATTN_C_PROJ_VAL0[0];
        proj[1][2] = model::ATTN_C_PROJ_VAL1[0];
        let fc = [
            model::MLP_ROW0,
            model::MLP_ROW0,
            model::MLP_ROW1,
            model::MLP_ROW1,
        ];
        let mut head = [[0.0; 4]; 10];
        let mut head_bias = [0.0; 10];
        for d in 0..10 {
            let d_f = d as f32;
            head[d][3] = model::LM_HEAD_LIN[0] * d_f * model::LM_HEAD_DIM_W[0];
            head_bias[d] = model::LM_HEAD_QUAD[0] * d_f * d_f;
        }
        Loop {
            embedding,
            positions,
            q,
            k,
            v: outer(model::ATTN_V_PROJ_U, model::ATTN_V_PROJ_V),
            proj,
            fc,
            fc_bias: model::MLP_FC_BIAS,
            out: outer(model::MLP_C_PROJ_U, model::MLP_C_PROJ_V),
            head,
            head_bias,
        }
    }

    fn matvec(m: &[[f32; 4]], x: &[f32; 4], out: &mut [f32]) {
        for (row, o) in m.iter().zip(out.iter_mut()) {
            *o = row.iter().zip(x).map(|(w, x)| w * x).sum();
        }
    }

    fn logits(&self, tokens: &[u8]) -> [f32; 10] {
        let len = tokens.len();
        let mut xs = [[0.0f32; 4]; 35];
        let (mut keys, mut values) = ([[0.0f32; 4]; 35], [[0.0f32; 4]; 35]);
        for p in 0..len {
            for j in 0..4 {
                xs[p][j] = self.embedding[tokens[p] as usize][j] + self.positions[p][j];
            }
            Self::matvec(&self.k, &xs[p], &mut keys[p]);
            Self::matvec(&self.v, &xs[p], &mut values[p]);
        }
        let mut x = xs[len - 1];
        let mut query = [0.0f32; 4];
        Self::matvec(&self.q, &x, &mut query);
        let mut mixed = [0.0f32; 4];
        for h in 0..2 {
            let mut scores = [0.0f32; 35];
            for p in 0..len {
                scores[p] = (query[2 * h] * keys[p][2 * h] + query[2 * h + 1] * keys[p][2 * h + 1])
                    * std::f32::consts::FRAC_1_SQRT_2;
            }
            let max = scores[..len]
                .iter()
                .copied()
                .fold(f32::NEG_INFINITY, f32::max);
            let mut sum = 0.0;
            for score in &mut scores[..len] {
                *score = libm::expf(*score - max);
                sum += *score;
            }
            for p in 0..len {
                for d in 2 * h..2 * h + 2 {
                    mixed[d] += scores[p] / sum * values[p][d];
                }
            }
        }
        let mut attn = [0.0f32; 4];
        Self::matvec(&self.proj, &mixed, &mut attn);
        for j in 0..4 {
            x[j] += attn[j];
        }
        let mut hidden = [0.0f32; 4];
        Self::matvec(&self.fc, &x, &mut hidden);
        for (h, b) in hidden.iter_mut().zip(self.fc_bias) {
            *h = (*h + b).max(0.0);
        }
        let mut out = [0.0f32; 4];
        Self::matvec(&self.out, &hidden, &mut out);
        for j in 0..4 {
            x[j] += out[j];
        }
        let mut logits = [0.0f32; 10];
        Self::matvec(&self.head, &x, &mut logits);
        for (logit, b) in logits.iter_mut().zip(self.head_bias) {
            *logit += b;
        }
        logits
    }

    fn add(&self, a: u64, b: u64) -> u64 {
        let mut tokens: Vec<u8> = adder::tokens::prompt(a, b).to_vec();
        let mut sum = 0;
        for k in 0..11 {
            let digit = adder::tokens::argmax(&self.logits(&tokens)) as u8;
            sum += u64::from(digit) * 10u64.pow(k);
            tokens.push(digit);
        }
        sum
    }
}

/// Additions per second of `add` over `pairs`, each once per run: the
/// best of `runs` runs. The sums are kept and checked after each run.
fn rate(pairs: &[(u64, u64)], runs: usize, add: impl Fn(u64, u64) -> u64) -> f64 {
    let mut sums = vec![0u64; pairs.len()];
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            for (sum, &(a, b)) in sums.iter_mut().zip(pairs) {
                *sum = add(black_box(a), black_box(b));
            }
            let rate = pairs.len() as f64 / start.elapsed().as_secs_f64();
            for (sum, (a, b)) in sums.iter().zip(pairs) {
                assert_eq!(*sum, a + b, "{a} + {b}");
            }
            rate
        })
        .fold(0.0, f64::max)
}

/// A model's `add_lanes`.
type AddLanes = fn(&[u64; adder::LANES], &[u64; adder::LANES]) -> [u64; adder::LANES];

/// Additions per second of `add_lanes` over `pairs`, `adder::LANES` at a
/// time, each pair once per run: the best of `runs` runs, every sum checked.
fn lane_rate(pairs: &[(u64, u64)], runs: usize, add_lanes: AddLanes) -> f64 {
    const LANES: usize = adder::LANES;
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for chunk in pairs.chunks_exact(LANES) {
        a.push(std::array::from_fn::<u64, LANES, _>(|lane| chunk[lane].0));
        b.push(std::array::from_fn::<u64, LANES, _>(|lane| chunk[lane].1));
    }
    let mut sums = vec![[0u64; LANES]; a.len()];
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            for ((sum, a), b) in sums.iter_mut().zip(&a).zip(&b) {
                *sum = add_lanes(black_box(a), black_box(b));
            }
            let rate = (a.len() * LANES) as f64 / start.elapsed().as_secs_f64();
            for ((sum, a), b) in sums.iter().zip(&a).zip(&b) {
                for lane in 0..LANES {
                    assert_eq!(sum[lane], a[lane] + b[lane]);
                }
            }
            rate
        })
        .fold(0.0, f64::max)
}

fn main() {
    let pairs = pairs();
    let evaluation = Loop::new();
    // `LOOP_ONLY=N`: the hand-written loop alone on the first N pairs, for
    // counting its instructions per addition with callgrind (as
    // `examples/adds.rs` counts `add`'s).
    if let Some(n) = std::env::var("LOOP_ONLY")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
    {
        let total = pairs[..n].iter().fold(0u64, |total, &(a, b)| {
            total.wrapping_add(evaluation.add(black_box(a), black_box(b)))
        });
        println!("{total}");
        return;
    }
    let generated = rate(&pairs, 5, adder::add);
    let hand_written = rate(&pairs, 5, |a, b| evaluation.add(a, b));
    let native = rate(&pairs, 5, |a, b| a + b);
    let lanes = lane_rate(&pairs, 5, adder::add_lanes);
    // Models past the seed's family, on fewer of the same pairs, one run
    // each: a token-reading attention (`qwen3_228`, its lanes in lanes),
    // a routed one (`wonderfall_121`), two layers (`bingbangboom_87`).
    let others: Vec<(&str, f64, f64)> = [
        ("qwen3_228", 100_000),
        ("wonderfall_121", 100_000),
        ("bingbangboom_87", 20_000),
    ]
    .into_iter()
    .filter_map(|(name, count)| {
        let model = adder::models::ALL.iter().find(|m| m.name == name)?;
        let pairs = &pairs[..count];
        Some((
            name,
            rate(pairs, 1, model.add),
            lane_rate(pairs, 1, model.add_lanes),
        ))
    })
    .collect();
    println!("additions per second, {PAIRS} distinct pairs, best of 5 runs:");
    println!("  adder::add (generated)   {generated:>14.0}");
    println!("  hand-written loop (f32)  {hand_written:>14.0}");
    println!("  adder::add_lanes         {lanes:>14.0}");
    println!("  native a + b             {native:>14.0}");
    println!(
        "  ratio generated / loop   {:>14.1}",
        generated / hand_written
    );
    println!("  ratio lanes / loop       {:>14.1}", lanes / hand_written);
    for (name, add, add_lanes) in others {
        println!(
            "  {name}: add {add:>10.0}, add_lanes {add_lanes:>10.0} ({:.1}x; one run)",
            add_lanes / add
        );
    }
    println!(
        "floating-point operations per addition (adder58::OPERATIONS_PER_ADDITION): {}",
        model::OPERATIONS_PER_ADDITION
    );
}
