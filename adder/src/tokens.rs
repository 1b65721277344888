//! The token protocol: how a sum is asked and read.
//!
//! The digits 0-9 are tokens 0-9 in every model. Each model's [`Format`]
//! says how its prompt is laid out: the seed's ([`NANOGPT`]) is
//! `f"{a:010d}+{b:010d}="`, most significant digit first, with `+` and `=`
//! both token 0; others write the operands least significant first, or
//! with separators of their own. The 11 digits of the sum always come back
//! least significant first, whatever order a model writes them in
//! ([`Format::answer_place`]).

mod format;

pub use format::{Format, NANOGPT, Piece, Position};

/// The largest operand: ten digits.
pub const MAX_OPERAND: u64 = 9_999_999_999;
/// Tokens in the seed's prompt: 10 digits, `+`, 10 digits, `=`.
pub const PROMPT_LEN: usize = 22;
/// Digits of a sum, least significant first.
pub const OUTPUT_DIGITS: usize = 11;
/// The token of both `+` and `=` in the seed's format.
pub const SEPARATOR: u8 = 0;
/// Digits of an operand.
const DIGITS: usize = 10;

/// The prompt tokens of `a + b` in the seed's format.
///
/// # Panics
///
/// If an operand exceeds [`MAX_OPERAND`].
#[must_use]
pub const fn prompt(a: u64, b: u64) -> [u8; PROMPT_LEN] {
    assert!(
        a <= MAX_OPERAND && b <= MAX_OPERAND,
        "adder: an operand exceeds MAX_OPERAND (9_999_999_999, ten digits)"
    );
    NANOGPT.sequence(a, b)
}

/// A token sequence of length `T` that starts with the prompt of `a + b`,
/// separators after it.
///
/// # Panics
///
/// If an operand exceeds [`MAX_OPERAND`], or `T` is shorter than the prompt.
#[must_use]
pub const fn sequence<const T: usize>(a: u64, b: u64) -> [u8; T] {
    NANOGPT.sequence(a, b)
}

/// The ten digits of `n` (at most [`MAX_OPERAND`]), least significant
/// first, by 32-bit arithmetic alone: a 64-bit division is a library call
/// on a 32-bit core, and twenty of them cost about 1,000 instructions of a
/// Cortex-M4F's addition. `n / 10^5` is `(n / 2^5) / 3125`, whose dividend
/// fits in 32 bits (`n < 2^34`); the low five digits are `n - high 10^5`,
/// below `2^32`, so wrapping 32-bit arithmetic gets them exactly.
#[allow(clippy::cast_possible_truncation)]
const fn ten_digits(n: u64) -> [u8; DIGITS] {
    let mut high = ((n >> 5) as u32) / 3125;
    let mut low = (n as u32).wrapping_sub(high.wrapping_mul(100_000));
    let mut digits = [0; DIGITS];
    let mut place = 0;
    while place < DIGITS / 2 {
        digits[place] = (low % 10) as u8;
        digits[place + DIGITS / 2] = (high % 10) as u8;
        low /= 10;
        high /= 10;
        place += 1;
    }
    digits
}

/// The index of the largest logit; the first one on a tie, as `torch.argmax`.
/// A NaN never wins.
#[must_use]
pub const fn argmax<const V: usize>(logits: &[f32; V]) -> usize {
    // Without a branch on the logits (which one wins depends on the
    // operands, and a branch on it is mispredicted often): the largest
    // number, then the first index that holds it.
    // Not on bare metal: a Cortex-M predicts nothing and pays for every
    // instruction, so the scan is cheaper there.
    if V > 64 || cfg!(target_os = "none") {
        return argmax_by_scan(logits);
    }
    // From minus infinity, a logit taken where it is above: never a NaN,
    // and one `max` instruction per logit (`f32::max` also orders a NaN
    // against a number, which costs several).
    let mut top = f32::NEG_INFINITY;
    let mut i = 0;
    while i < V {
        top = if logits[i] > top { logits[i] } else { top };
        i += 1;
    }
    let mut holders = 0u64;
    let mut i = 0;
    while i < V {
        holders |= ((logits[i] == top) as u64) << i;
        i += 1;
    }
    // All NaN: no holder, and the first index.
    holders.trailing_zeros() as usize * (holders != 0) as usize
}

/// [`argmax`] by one comparison after another, for any length: the
/// greatest so far kept in a register, from minus infinity, so a NaN is
/// never taken and the first maximum stays. Where nothing is above minus
/// infinity (every logit NaN or `-inf`), the first that is not NaN, by
/// [`argmax_by_scan_with_nan`]: there the start is no such logit.
const fn argmax_by_scan<const V: usize>(logits: &[f32; V]) -> usize {
    let mut top = f32::NEG_INFINITY;
    let mut best = V;
    let mut i = 0;
    while i < V {
        if logits[i] > top {
            top = logits[i];
            best = i;
        }
        i += 1;
    }
    if best == V {
        return argmax_by_scan_with_nan(logits);
    }
    best
}

/// [`argmax`] by one comparison after another, each also asking whether
/// the best so far is a NaN.
const fn argmax_by_scan_with_nan<const V: usize>(logits: &[f32; V]) -> usize {
    let mut best = 0;
    let mut i = 1;
    while i < V {
        if logits[i] > logits[best] || (logits[best].is_nan() && !logits[i].is_nan()) {
            best = i;
        }
        i += 1;
    }
    best
}

/// The digits of `sum`, least significant first: the answer the model
/// should write, and the inverse of [`decode`] for sums of 11 digits.
#[must_use]
pub const fn encode(sum: u64) -> [u8; OUTPUT_DIGITS] {
    let mut digits = [0; OUTPUT_DIGITS];
    let mut rest = sum;
    let mut i = 0;
    while i < OUTPUT_DIGITS {
        digits[i] = (rest % 10) as u8;
        rest /= 10;
        i += 1;
    }
    digits
}

/// The number whose digits, least significant first, are `digits`.
#[must_use]
pub const fn decode(digits: &[u8; OUTPUT_DIGITS]) -> u64 {
    let mut sum = 0;
    let mut i = OUTPUT_DIGITS;
    while i > 0 {
        i -= 1;
        sum = sum * 10 + digits[i] as u64;
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompt_is_both_operands_most_significant_first() {
        let tokens = prompt(1_234_567_890, 987_654_321);
        assert_eq!(
            tokens,
            [
                1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0
            ]
        );
        assert_eq!(prompt(MAX_OPERAND, 0)[..10], [9; 10]);
    }

    #[test]
    fn decode_reads_least_significant_first() {
        assert_eq!(decode(&[1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 0]), 2_222_222_211);
        assert_eq!(decode(&[8; 11]), 88_888_888_888);
        assert_eq!(encode(2_222_222_211), [1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 0]);
        assert_eq!(decode(&encode(19_999_999_998)), 19_999_999_998);
    }

    #[test]
    fn ten_digits_are_the_decimal_digits() {
        // The edges of both halves, then a stride across every operand.
        let edges = [
            0,
            9,
            10,
            99_999,
            100_000,
            100_001,
            4_294_967_295,
            4_294_967_296,
        ];
        let stride = (0..=MAX_OPERAND).step_by(9_973_331);
        for n in edges
            .into_iter()
            .chain(stride)
            .chain([MAX_OPERAND - 1, MAX_OPERAND])
        {
            let mut rest = n;
            for (place, digit) in ten_digits(n).into_iter().enumerate() {
                assert_eq!(u64::from(digit), rest % 10, "place {place} of {n}");
                rest /= 10;
            }
        }
    }

    #[test]
    fn argmax_takes_the_first_maximum_and_skips_nan() {
        assert_eq!(argmax(&[0.0, 2.0, 2.0, 1.0]), 1);
        assert_eq!(argmax(&[f32::NAN, -1.0, -3.0]), 1);
        assert_eq!(argmax(&[-1.0, f32::NAN, 5.0]), 2);
    }

    #[test]
    fn both_argmaxes_agree_with_the_definition_on_every_small_case() {
        // Every 4-vector over NaN, the infinities, ties and both signs.
        let values = [f32::NAN, f32::NEG_INFINITY, -1.0, 0.0, 2.0, f32::INFINITY];
        for code in 0..values.len().pow(4) {
            let mut logits = [0.0; 4];
            let mut rest = code;
            for logit in &mut logits {
                *logit = values[rest % values.len()];
                rest /= values.len();
            }
            // The first index of the greatest logit that is not NaN; 0 if
            // all are NaN.
            let greatest = logits
                .iter()
                .copied()
                .filter(|x| !x.is_nan())
                .reduce(f32::max);
            let expected = greatest.map_or(0, |top| logits.iter().position(|&x| x == top).unwrap());
            assert_eq!(argmax(&logits), expected, "{logits:?}");
            assert_eq!(argmax_by_scan(&logits), expected, "{logits:?}");
        }
    }

    #[test]
    #[should_panic(expected = "exceeds MAX_OPERAND")]
    fn prompt_rejects_an_eleven_digit_operand() {
        let _ = prompt(MAX_OPERAND + 1, 0);
    }
}
