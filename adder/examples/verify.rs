//! The public AdderBoard check, reproduced (`adder::board`): 10 edge
//! cases, then 10,000 operand pairs drawn as Python's `random.Random(2025)`
//! draws them with `randint(0, 9_999_999_999)`, `a` before `b`.
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

/// The board's pairs, collected.
fn board_pairs() -> Vec<(u64, u64)> {
    adder::board::pairs().collect()
}

/// Each pair with the model's sum, by its fastest path (`add_lanes`, which
/// gives each pair what `add` gives).
fn sums(model: &models::Named, pairs: &[(u64, u64)]) -> Vec<(u64, u64, Option<u64>)> {
    let mut sums = vec![None; pairs.len()];
    model.checked_add_all(pairs, &mut sums);
    pairs
        .iter()
        .zip(sums)
        .map(|(&(a, b), sum)| (a, b, sum))
        .collect()
}

/// How many the model gets right.
fn score(sums: &[(u64, u64, Option<u64>)]) -> usize {
    sums.iter()
        .filter(|(a, b, sum)| Some(a + b) == *sum)
        .count()
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
    let pairs = board_pairs();
    let start = Instant::now();
    let sums = sums(model, &pairs);
    let seconds = start.elapsed().as_secs_f64();
    let edge = score(&sums[..adder::board::EDGE_CASES.len()]);
    let passed = score(&sums);
    let total = pairs.len();
    let accuracy = 100.0 * passed as f64 / total as f64;
    println!("Model: {name} ({} parameters)", model.params);
    println!("Edge cases: {edge}/{}", adder::board::EDGE_CASES.len());
    println!("Results: {passed}/{total} correct ({accuracy:.2}%)");
    let wrong = sums.iter().filter(|(a, b, sum)| Some(a + b) != *sum);
    for (a, b, sum) in wrong.take(20) {
        let said = sum.map_or_else(
            || "a token that is not a digit".to_owned(),
            |s| s.to_string(),
        );
        println!("  wrong: {a} + {b} = {}, the model says {said}", a + b);
    }
    let verdict = adder::verdict::verdict(model);
    println!("All 10^20 pairs: {verdict}");
    println!("Certified accuracy: {}", verdict.certified());
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
        let pairs = board_pairs();
        let model = |name| models::by_name(name).expect("a model");
        assert_eq!(score(&sums(model("adder58"), &pairs)), 10_010);
        // 92.86 %: NOTES §2's exact-math figure for the published weights.
        let seed = sums(model("seed58"), &pairs);
        assert_eq!(score(&seed), 9_295);
        // `add_lanes`, which `sums` takes, gives what `add` gives.
        for (a, b, sum) in seed {
            assert_eq!(sum, Some(models::seed58::add(a, b)));
        }
    }

    /// The board's models: how many of the 10,010 pairs each gets right
    /// and its first wrong pair (`None` where it gets all). The Qwen3
    /// counts are the board's published ones (its README's percentages of
    /// 10,010), except `qwen3_200`, whose file holds a 173-parameter model:
    /// the board's 10,009 belongs to another checkpoint. The low-rank
    /// counts are what their own PyTorch code gets on these pairs (311p and
    /// 456p seed 43 all; the 512p's 99.988 % is of a larger set of its own).
    /// The hand-coded ones get all, as the board lists them.
    #[cfg(feature = "board")]
    #[test]
    fn the_board_models_score_as_published() {
        let pairs = board_pairs();
        for (name, count, first_wrong) in [
            (
                "qwen3_122",
                10_005,
                Some((6_190_105_256, 9_983_555_477, 16_273_660_733)),
            ),
            (
                "qwen3_137",
                9_983,
                Some((8_008_860_398, 8_198_644_106, 16_197_504_504)),
            ),
            (
                "qwen3_146",
                10_008,
                Some((1_296_765_438, 313_638_727, 610_404_165)),
            ),
            (
                "qwen3_155",
                10_002,
                Some((9_894_721_768, 9_867_080_840, 18_761_802_608)),
            ),
            (
                "qwen3_173",
                10_003,
                Some((9_999_999_999, 9_999_999_999, 19_898_989_898)),
            ),
            (
                "qwen3_200",
                10_008,
                Some((4_890_126_842, 3_800_011_500, 8_590_138_342)),
            ),
            ("qwen3_228", 10_010, None),
            ("lowrank_311", 10_010, None),
            ("lowrank_456_s43", 10_010, None),
            (
                "lowrank_456_s44",
                10_004,
                Some((9_999_999_999, 9_999_999_999, 9_999_999_998)),
            ),
            (
                "lowrank_512",
                10_008,
                Some((7_478_401_963, 1_252_460_988, 8_730_862_851)),
            ),
            (
                "lichengliu03_262",
                10_005,
                Some((519_397_816, 2_384_862_507, 1_904_260_323)),
            ),
            ("microadder_57", 10_010, None),
            ("microadder_67", 10_010, None),
            (
                "jackcai_234",
                10_001,
                Some((7_194_558_397, 5_495_045_311, 12_699_603_708)),
            ),
            ("wonderfall_121", 10_010, None),
            ("jacobli99_93", 10_010, None),
            ("corbensorenson_111", 10_010, None),
            ("nino_116", 10_010, None),
            ("wonderfall_139", 10_010, None),
            ("lichengliu03_50", 10_010, None),
            ("kswain98_8", 10_010, None),
            ("lokimorty_10", 10_010, None),
            ("wonderfall_27", 10_010, None),
            ("jacobli99_28", 10_010, None),
            ("bingbangboom_87", 10_010, None),
            ("xangma_197", 10_010, None),
        ] {
            let model = models::by_name(name).expect("a board model");
            let sums = sums(model, &pairs);
            let wrong: Vec<_> = sums
                .iter()
                .filter(|(a, b, sum)| Some(a + b) != *sum)
                .collect();
            assert_eq!(pairs.len() - wrong.len(), count, "{name}");
            assert_eq!(
                wrong.first().copied().copied(),
                first_wrong.map(|(a, b, sum)| (a, b, Some(sum))),
                "{name}"
            );
        }
    }

    /// lichengliu03's 262p is wrong on the board's pairs exactly where its
    /// own PyTorch code is, with the same sums:
    /// `adder/specs/board/check_lowrank_262.py` printed these five, and
    /// every other pair right.
    #[cfg(feature = "board")]
    #[test]
    fn lichengliu03_262_is_wrong_where_its_own_code_is() {
        let model = models::by_name("lichengliu03_262").expect("a board model");
        let wrong: Vec<(u64, u64, u64)> = sums(model, &board_pairs())
            .into_iter()
            .filter_map(|(a, b, sum)| Some((a, b, sum?)).filter(|_| Some(a + b) != sum))
            .collect();
        assert_eq!(
            wrong,
            [
                (519_397_816, 2_384_862_507, 1_904_260_323),
                (542_898_351, 2_394_808_167, 1_937_706_518),
                (59_211_998, 717_644_976, 776_856_874),
                (279_985_791, 2_672_307_380, 1_952_293_171),
                (4_809_941_724, 8_949_094_006, 13_758_035_730),
            ]
        );
    }

    /// Jack Cai's 234p is wrong on the board's pairs exactly where its own
    /// PyTorch code is (`adder/specs/board/check_jackcai.py` printed these
    /// nine, the board's 99.91 %), with the same sums, and on the seventh
    /// with a token that is not a digit where its code writes `=`.
    #[cfg(feature = "board")]
    #[test]
    fn jackcai_234_is_wrong_where_its_own_code_is() {
        let model = models::by_name("jackcai_234").expect("a board model");
        let wrong: Vec<(u64, u64, Option<u64>)> = sums(model, &board_pairs())
            .into_iter()
            .filter(|(a, b, sum)| Some(a + b) != *sum)
            .collect();
        assert_eq!(
            wrong,
            [
                (7_194_558_397, 5_495_045_311, Some(12_699_603_708)),
                (9_796_571_914, 3_893_185_616, Some(13_699_757_530)),
                (296_174_683, 5_593_809_045, Some(5_899_983_728)),
                (3_662_821_880, 9_962_534_190, Some(3_625_356_070)),
                (7_098_112_758, 3_991_585_701, Some(11_099_698_459)),
                (8_096_001_126, 5_993_814_764, Some(14_099_815_890)),
                (7_400_652_012, 9_506_612_997, None),
                (6_095_020_661, 6_494_923_769, Some(12_599_944_430)),
                (2_195_739_399, 3_894_014_086, Some(6_099_753_485)),
            ]
        );
        let digits = models::jackcai_234::digits(7_400_652_012, 9_506_612_997);
        assert_eq!(digits[8], 11, "`=` where the original writes it");
    }
}
