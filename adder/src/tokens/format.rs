//! How a model is asked for a sum: its prompt's pieces ([`Format`]), the
//! order it writes the answer in, and what each position stands for
//! ([`Position`]).

use super::{DIGITS, MAX_OPERAND, OUTPUT_DIGITS, SEPARATOR, ten_digits};

/// One piece of a prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece {
    /// A fixed token, with the name its spec gives it (`+`, `sep`).
    Token {
        /// The name, for traces.
        name: &'static str,
        /// The token.
        token: u8,
    },
    /// The ten digits of `a`, most significant first or last.
    A {
        /// Most significant digit first.
        msb_first: bool,
    },
    /// The ten digits of `b`.
    B {
        /// Most significant digit first.
        msb_first: bool,
    },
}

/// How a model is asked for a sum: its prompt, piece by piece. The sum's
/// 11 digits follow it, least or most significant first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Format {
    /// The pieces, in order.
    pub prompt: &'static [Piece],
    /// Whether the sum's digits come most significant first (its place 10
    /// first); least significant first where not, as the seed writes them.
    pub answer_msb_first: bool,
}

/// The seed's format: `a` and `b` most significant digit first, `+` and
/// `=` token 0.
pub const NANOGPT: Format = Format {
    prompt: &[
        Piece::A { msb_first: true },
        Piece::Token {
            name: "+",
            token: SEPARATOR,
        },
        Piece::B { msb_first: true },
        Piece::Token {
            name: "=",
            token: SEPARATOR,
        },
    ],
    answer_msb_first: false,
};

impl Format {
    /// The place (0 the least significant) of the sum's digit that answer
    /// step `step` writes.
    #[must_use]
    pub const fn answer_place(&self, step: usize) -> usize {
        if self.answer_msb_first {
            OUTPUT_DIGITS - 1 - step
        } else {
            step
        }
    }

    /// Tokens in the prompt.
    #[must_use]
    pub const fn prompt_len(&self) -> usize {
        let mut len = 0;
        let mut i = 0;
        while i < self.prompt.len() {
            len += match self.prompt[i] {
                Piece::Token { .. } => 1,
                Piece::A { .. } | Piece::B { .. } => DIGITS,
            };
            i += 1;
        }
        len
    }

    /// A token sequence of length `T` that starts with the prompt of
    /// `a + b`, zeros after it.
    ///
    /// # Panics
    ///
    /// If an operand exceeds [`MAX_OPERAND`], or `T` is shorter than the
    /// prompt.
    #[must_use]
    // Inlined where the format is a constant, its loops unroll: 144 fewer
    // instructions per addition (callgrind, `examples/adds.rs`).
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub const fn sequence<const T: usize>(&self, a: u64, b: u64) -> [u8; T] {
        assert!(
            a <= MAX_OPERAND && b <= MAX_OPERAND,
            "adder: an operand exceeds MAX_OPERAND (9_999_999_999, ten digits)"
        );
        let mut tokens = [0; T];
        let mut at = 0;
        let mut i = 0;
        while i < self.prompt.len() {
            match self.prompt[i] {
                Piece::Token { token, .. } => {
                    tokens[at] = token;
                    at += 1;
                }
                Piece::A { msb_first } | Piece::B { msb_first } => {
                    let operand = if matches!(self.prompt[i], Piece::A { .. }) {
                        a
                    } else {
                        b
                    };
                    let digits = ten_digits(operand);
                    let mut place = 0;
                    while place < DIGITS {
                        let index = if msb_first {
                            at + DIGITS - 1 - place
                        } else {
                            at + place
                        };
                        tokens[index] = digits[place];
                        place += 1;
                    }
                    at += DIGITS;
                }
            }
            i += 1;
        }
        tokens
    }

    /// What the token at `position` stands for.
    #[must_use]
    pub const fn position(&self, position: usize) -> Position {
        let mut at = 0;
        let mut i = 0;
        while i < self.prompt.len() {
            match self.prompt[i] {
                Piece::Token { name, .. } => {
                    if position == at {
                        return Position::Token(name);
                    }
                    at += 1;
                }
                Piece::A { msb_first } | Piece::B { msb_first } => {
                    if position < at + DIGITS {
                        let offset = position - at;
                        let place = if msb_first {
                            DIGITS - 1 - offset
                        } else {
                            offset
                        };
                        return if matches!(self.prompt[i], Piece::A { .. }) {
                            Position::A(place)
                        } else {
                            Position::B(place)
                        };
                    }
                    at += DIGITS;
                }
            }
            i += 1;
        }
        Position::Sum(self.answer_place(position - at))
    }
}

/// What the token at a position of the sequence stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position {
    /// The digit of `a` at a place (0 the least significant).
    A(usize),
    /// The digit of `b` at a place.
    B(usize),
    /// A fixed token of the prompt, by its name (`+`, `=`, `sep`).
    Token(&'static str),
    /// The sum's digit at a place (after the prompt, least significant
    /// first).
    Sum(usize),
}

impl Position {
    /// The role of `position` in the seed's sequence.
    #[must_use]
    pub const fn of(position: usize) -> Position {
        NANOGPT.position(position)
    }

    /// The digit place it stands for; `None` for the fixed tokens.
    #[must_use]
    pub const fn place(self) -> Option<usize> {
        match self {
            Position::A(place) | Position::B(place) | Position::Sum(place) => Some(place),
            Position::Token(_) => None,
        }
    }
}

/// `a3`, `+`, `b3`, `=`, `s3`.
impl core::fmt::Display for Position {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Position::A(place) => write!(f, "a{place}"),
            Position::B(place) => write!(f, "b{place}"),
            Position::Token(name) => f.write_str(name),
            Position::Sum(place) => write!(f, "s{place}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_name_their_digits() {
        assert_eq!(Position::of(0), Position::A(9));
        assert_eq!(Position::of(9), Position::A(0));
        assert_eq!(Position::of(10), Position::Token("+"));
        assert_eq!(Position::of(20), Position::B(0));
        assert_eq!(Position::of(21), Position::Token("="));
        assert_eq!(Position::of(25), Position::Sum(3));
        assert_eq!(Position::of(21).place(), None);
        assert_eq!(Position::of(11).place(), Some(9));
    }

    #[test]
    fn formats_lay_out_the_prompt_as_declared() {
        const LSB: Format = Format {
            prompt: &[
                Piece::Token {
                    name: "sep",
                    token: 0,
                },
                Piece::A { msb_first: false },
                Piece::Token {
                    name: "sep",
                    token: 0,
                },
                Piece::Token {
                    name: "sep",
                    token: 0,
                },
                Piece::B { msb_first: false },
                Piece::Token {
                    name: "sep",
                    token: 0,
                },
            ],
            answer_msb_first: false,
        };
        assert_eq!(LSB.prompt_len(), 24);
        let tokens: [u8; 24] = LSB.sequence(1_234_567_890, 987_654_321);
        assert_eq!(
            tokens,
            [
                0, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0
            ]
        );
        assert_eq!(LSB.position(0), Position::Token("sep"));
        assert_eq!(LSB.position(1), Position::A(0));
        assert_eq!(LSB.position(10), Position::A(9));
        assert_eq!(LSB.position(13), Position::B(0));
        assert_eq!(LSB.position(24), Position::Sum(0));
        assert_eq!(NANOGPT.position(22), Position::Sum(0));
        let msb = Format {
            answer_msb_first: true,
            ..LSB
        };
        assert_eq!(msb.position(24), Position::Sum(10));
        assert_eq!(msb.position(34), Position::Sum(0));
        assert_eq!((msb.answer_place(0), LSB.answer_place(0)), (10, 0));
    }
}
