//! The public AdderBoard check, reproduced: 10 edge cases, then 10,000
//! operand pairs drawn as Python's `random.Random(2025)` draws them with
//! `randint(0, 9_999_999_999)`, `a` before `b`.
//!
//! `cargo run --release -p adder --example verify -- [MODEL]`, MODEL any of
//! `adder::models::ALL` (`adder58` by default).
//!
//! The pairs are the board's own, bit for bit: its `verify.py` lists the
//! edge cases (one of them twice), and Python seeds its Mersenne Twister
//! from an int through `init_by_array`, and `randint` rejects draws of
//! `getrandbits(34)` at or above 10^10; both are reproduced here, and the
//! tests pin the first random pairs and the last.

use std::process::ExitCode;
use std::time::Instant;

use adder::models;

/// The board's edge cases, in its order: boundary values and the longest
/// carry chains.
const EDGE_CASES: [(u64, u64); 10] = [
    (0, 0),
    (0, 1),
    (9_999_999_999, 0),
    (9_999_999_999, 1),
    (9_999_999_999, 9_999_999_999),
    (5_000_000_000, 5_000_000_000),
    (1_111_111_111, 8_888_888_889),
    (1_234_567_890, 9_876_543_210),
    (9_999_999_999, 9_999_999_999),
    (1, 9_999_999_999),
];

/// The board's seed.
const SEED: u32 = 2025;
/// The board's count of random pairs.
const RANDOM_PAIRS: usize = 10_000;

/// Python's `random.Random`: MT19937 as CPython seeds and reads it.
struct PythonRandom {
    state: [u32; 624],
    index: usize,
}

impl PythonRandom {
    /// `random.Random(seed)` for a non-negative int below 2^32: CPython
    /// splits the int into 32-bit words and calls `init_by_array`.
    fn new(seed: u32) -> Self {
        let mut state = [0u32; 624];
        state[0] = 19_650_218;
        for i in 1..624 {
            state[i] = 1_812_433_253u32
                .wrapping_mul(state[i - 1] ^ (state[i - 1] >> 30))
                .wrapping_add(i as u32);
        }
        let key = [seed];
        let (mut i, mut j) = (1, 0);
        for _ in 0..624.max(key.len()) {
            state[i] = (state[i] ^ (state[i - 1] ^ (state[i - 1] >> 30)).wrapping_mul(1_664_525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= 624 {
                state[0] = state[623];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..623 {
            state[i] = (state[i]
                ^ (state[i - 1] ^ (state[i - 1] >> 30)).wrapping_mul(1_566_083_941))
            .wrapping_sub(i as u32);
            i += 1;
            if i >= 624 {
                state[0] = state[623];
                i = 1;
            }
        }
        state[0] = 0x8000_0000;
        PythonRandom { state, index: 624 }
    }

    /// MT19937's next 32 bits.
    fn next_u32(&mut self) -> u32 {
        if self.index >= 624 {
            for i in 0..624 {
                let y = (self.state[i] & 0x8000_0000) | (self.state[(i + 1) % 624] & 0x7fff_ffff);
                let mut next = self.state[(i + 397) % 624] ^ (y >> 1);
                if y & 1 != 0 {
                    next ^= 0x9908_b0df;
                }
                self.state[i] = next;
            }
            self.index = 0;
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// `getrandbits(k)` for `32 < k <= 64`: 32-bit words, least significant
    /// first, the last one cut to its top bits.
    fn getrandbits(&mut self, k: u32) -> u64 {
        let low = u64::from(self.next_u32());
        let high = u64::from(self.next_u32() >> (64 - k));
        low | high << 32
    }

    /// `randint(0, max)`: `getrandbits` of `max + 1`'s bit length, drawn
    /// again while at or above `max + 1`.
    fn randint(&mut self, max: u64) -> u64 {
        let n = max + 1;
        let k = u64::BITS - n.leading_zeros();
        loop {
            let r = self.getrandbits(k);
            if r < n {
                return r;
            }
        }
    }
}

/// The board's pairs: the edge cases, then the random ones.
fn board_pairs() -> Vec<(u64, u64)> {
    let mut rng = PythonRandom::new(SEED);
    let mut pairs = EDGE_CASES.to_vec();
    for _ in 0..RANDOM_PAIRS {
        let a = rng.randint(adder::MAX_OPERAND);
        let b = rng.randint(adder::MAX_OPERAND);
        pairs.push((a, b));
    }
    pairs
}

/// How many of `pairs` the adder gets right.
fn score(add: fn(u64, u64) -> u64, pairs: &[(u64, u64)]) -> usize {
    pairs.iter().filter(|(a, b)| add(*a, *b) == a + b).count()
}

/// The pairs a model gets wrong, with its answers.
fn wrong(model: &models::Named, pairs: &[(u64, u64)]) -> Vec<(u64, u64, u64)> {
    pairs
        .iter()
        .map(|&(a, b)| (a, b, (model.add)(a, b)))
        .filter(|(a, b, sum)| *sum != a + b)
        .collect()
}

fn main() -> ExitCode {
    let name = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "adder58".to_owned());
    let Some(model) = models::by_name(&name) else {
        let names: Vec<&str> = models::ALL.iter().map(|model| model.name).collect();
        eprintln!(
            "verify: unknown model `{name}`; expected one of: {}",
            names.join(", ")
        );
        return ExitCode::from(2);
    };
    let add = model.add;
    let pairs = board_pairs();
    let edge = score(add, &pairs[..EDGE_CASES.len()]);
    let start = Instant::now();
    let passed = score(add, &pairs);
    let seconds = start.elapsed().as_secs_f64();
    let total = pairs.len();
    let accuracy = 100.0 * passed as f64 / total as f64;
    println!("Model: {name} ({} parameters)", model.params);
    println!("Edge cases: {edge}/{}", EDGE_CASES.len());
    println!("Results: {passed}/{total} correct ({accuracy:.2}%)");
    for (a, b, sum) in wrong(model, &pairs).iter().take(20) {
        println!("  wrong: {a} + {b} = {}, the model says {sum}", a + b);
    }
    println!(
        "Time: {seconds:.3}s ({:.0} additions/sec)",
        total as f64 / seconds
    );
    println!(
        "Status: {} (threshold: 99%)",
        if accuracy >= 99.0 {
            "QUALIFIED"
        } else {
            "NOT QUALIFIED"
        }
    );
    if accuracy >= 99.0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_random_pairs_are_pythons() {
        let pairs = board_pairs();
        assert_eq!(pairs.len(), 10_010);
        assert_eq!(
            pairs[10..13],
            [
                (2_395_527_356, 9_334_186_774),
                (4_296_888_873, 8_475_224_721),
                (2_446_880_696, 4_577_514_554)
            ]
        );
        assert_eq!(pairs[10_009], (4_210_807_827, 8_038_206_893));
    }

    #[test]
    fn the_board_scores() {
        use adder::models::{adder58, seed58};
        let pairs = board_pairs();
        assert_eq!(score(adder58::add, &pairs), 10_010);
        // 92.86 %: NOTES §2's exact-math figure for the published weights.
        assert_eq!(score(seed58::add, &pairs), 9_295);
    }

    /// The board's trained Qwen3 models: each count is the board's
    /// published one (its README's percentages of 10,010), except
    /// `qwen3_200`, whose file holds a 173-parameter model: the board's
    /// 10,009 belongs to another checkpoint.
    #[cfg(feature = "board")]
    #[test]
    fn the_board_models_score_as_published() {
        let pairs = board_pairs();
        for (name, count, wrong_first) in [
            (
                "qwen3_122",
                10_005,
                (6_190_105_256, 9_983_555_477, 16_273_660_733),
            ),
            (
                "qwen3_137",
                9_983,
                (8_008_860_398, 8_198_644_106, 16_197_504_504),
            ),
            (
                "qwen3_146",
                10_008,
                (1_296_765_438, 313_638_727, 610_404_165),
            ),
            (
                "qwen3_155",
                10_002,
                (9_894_721_768, 9_867_080_840, 18_761_802_608),
            ),
            (
                "qwen3_173",
                10_003,
                (9_999_999_999, 9_999_999_999, 19_898_989_898),
            ),
            (
                "qwen3_200",
                10_008,
                (4_890_126_842, 3_800_011_500, 8_590_138_342),
            ),
        ] {
            let model = models::by_name(name).expect("a board model");
            let wrong = wrong(model, &pairs);
            assert_eq!(pairs.len() - wrong.len(), count, "{name}");
            assert_eq!(wrong[0], wrong_first, "{name}");
        }
        let model = models::by_name("qwen3_228").expect("a board model");
        assert_eq!(score(model.add, &pairs), 10_010);
    }
}
