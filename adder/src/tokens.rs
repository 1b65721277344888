//! The token protocol the models share: how a sum is asked and read.
//!
//! The prompt is `f"{a:010d}+{b:010d}="`, most significant digit first, with
//! `+` and `=` both token 0; the 11 digits of the sum come back least
//! significant first.

/// The largest operand: ten digits.
pub const MAX_OPERAND: u64 = 9_999_999_999;
/// Tokens in a prompt: 10 digits, `+`, 10 digits, `=`.
pub const PROMPT_LEN: usize = 22;
/// Digits of a sum, least significant first.
pub const OUTPUT_DIGITS: usize = 11;
/// The token of both `+` and `=`.
pub const SEPARATOR: u8 = 0;

/// The prompt tokens of `a + b`.
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
    let mut tokens = [SEPARATOR; PROMPT_LEN];
    let (mut a, mut b) = (a, b);
    let mut i = 0;
    while i < 10 {
        tokens[9 - i] = (a % 10) as u8;
        tokens[20 - i] = (b % 10) as u8;
        a /= 10;
        b /= 10;
        i += 1;
    }
    tokens
}

/// What the token at a position of the sequence stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position {
    /// The digit of `a` at a place (positions 0-9, most significant first).
    A(usize),
    /// The `+` (position 10).
    Plus,
    /// The digit of `b` at a place (positions 11-20).
    B(usize),
    /// The `=` (position 21).
    Equals,
    /// The sum's digit at a place (from position 22, least significant
    /// first).
    Sum(usize),
}

impl Position {
    /// The role of `position` in the sequence.
    #[must_use]
    pub const fn of(position: usize) -> Position {
        match position {
            0..=9 => Position::A(9 - position),
            10 => Position::Plus,
            11..=20 => Position::B(20 - position),
            21 => Position::Equals,
            _ => Position::Sum(position - PROMPT_LEN),
        }
    }

    /// The digit place it stands for; `None` for the separators.
    #[must_use]
    pub const fn place(self) -> Option<usize> {
        match self {
            Position::A(place) | Position::B(place) | Position::Sum(place) => Some(place),
            Position::Plus | Position::Equals => None,
        }
    }
}

/// `a3`, `+`, `b3`, `=`, `s3`.
impl core::fmt::Display for Position {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Position::A(place) => write!(f, "a{place}"),
            Position::Plus => f.write_str("+"),
            Position::B(place) => write!(f, "b{place}"),
            Position::Equals => f.write_str("="),
            Position::Sum(place) => write!(f, "s{place}"),
        }
    }
}

/// A token sequence of length `T` that starts with the prompt of `a + b`,
/// separators after it.
///
/// # Panics
///
/// If an operand exceeds [`MAX_OPERAND`], or `T` is shorter than the prompt.
#[must_use]
pub const fn sequence<const T: usize>(a: u64, b: u64) -> [u8; T] {
    let prompt = prompt(a, b);
    let mut tokens = [SEPARATOR; T];
    let mut i = 0;
    while i < PROMPT_LEN {
        tokens[i] = prompt[i];
        i += 1;
    }
    tokens
}

/// The index of the largest logit; the first one on a tie, as `torch.argmax`.
/// A NaN never wins.
#[must_use]
pub const fn argmax<const V: usize>(logits: &[f32; V]) -> usize {
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
    fn positions_name_their_digits() {
        assert_eq!(Position::of(0), Position::A(9));
        assert_eq!(Position::of(9), Position::A(0));
        assert_eq!(Position::of(10), Position::Plus);
        assert_eq!(Position::of(20), Position::B(0));
        assert_eq!(Position::of(21), Position::Equals);
        assert_eq!(Position::of(25), Position::Sum(3));
        assert_eq!(Position::of(21).place(), None);
        assert_eq!(Position::of(11).place(), Some(9));
    }

    #[test]
    fn decode_reads_least_significant_first() {
        assert_eq!(decode(&[1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 0]), 2_222_222_211);
        assert_eq!(decode(&[8; 11]), 88_888_888_888);
        assert_eq!(encode(2_222_222_211), [1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 0]);
        assert_eq!(decode(&encode(19_999_999_998)), 19_999_999_998);
    }

    #[test]
    fn argmax_takes_the_first_maximum_and_skips_nan() {
        assert_eq!(argmax(&[0.0, 2.0, 2.0, 1.0]), 1);
        assert_eq!(argmax(&[f32::NAN, -1.0, -3.0]), 1);
        assert_eq!(argmax(&[-1.0, f32::NAN, 5.0]), 2);
    }

    #[test]
    #[should_panic(expected = "exceeds MAX_OPERAND")]
    fn prompt_rejects_an_eleven_digit_operand() {
        let _ = prompt(MAX_OPERAND + 1, 0);
    }
}
