//! The prompt formats the board's entrants use, by the names their specs
//! give them: what a checkpoint cannot say about itself.

use clap::ValueEnum;

/// The widest vocabulary the compiler takes.
const MAX_VOCAB: usize = 64;

/// A prompt format.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    /// `[0] a0..a9 [0] [0] b0..b9 [0]`, the answer least significant
    /// first: 24 tokens (the Qwen3 entrants, most hand-coded ones).
    F24,
    /// `[0] a0..a9 [0]x9 b0..b9 [0]`, the answer least significant first:
    /// 31 tokens (the RoPE-19 hand-coded entries).
    F31,
    /// `a9..a0 + b9..b0 =`, `+` token 10 and `=` 11, the answer least
    /// significant first: 22 tokens (the low-rank GPTs, vocab 14).
    PlusEquals,
}

impl Format {
    /// The spec's `format` section.
    pub fn section(self) -> &'static str {
        match self {
            Format::F24 => {
                "format {\n    tokens: { sep: 0 },\n    prompt: [sep, a_lsb, sep, sep, b_lsb, sep],\n    answer: lsb,\n}\n"
            }
            Format::F31 => {
                "format {\n    tokens: { sep: 0 },\n    prompt: [sep, a_lsb, sep, sep, sep, sep, sep, sep, sep, sep, sep, b_lsb, sep],\n    answer: lsb,\n}\n"
            }
            Format::PlusEquals => {
                "format {\n    tokens: { plus: 10, equals: 11 },\n    prompt: [a_msb, plus, b_msb, equals],\n    answer: lsb,\n}\n"
            }
        }
    }

    /// The prompt's length in tokens.
    pub fn prompt_len(self) -> usize {
        match self {
            Format::F24 => 24,
            Format::F31 => 31,
            Format::PlusEquals => 22,
        }
    }

    /// The tokens the format writes: the digits, and its own.
    fn tokens(self) -> usize {
        match self {
            Format::F24 | Format::F31 => 10,
            Format::PlusEquals => 12,
        }
    }

    /// Whether a model of `vocab` tokens can be prompted so.
    ///
    /// # Errors
    ///
    /// If the vocabulary lacks the format's tokens, or is wider than the
    /// compiler takes.
    pub fn takes(self, vocab: usize) -> Result<(), String> {
        let name = self
            .to_possible_value()
            .map_or_else(String::new, |value| value.get_name().to_owned());
        if vocab < self.tokens() {
            Err(format!(
                "a vocabulary of {vocab} tokens; format `{name}` writes {}",
                self.tokens()
            ))
        } else if vocab > MAX_VOCAB {
            Err(format!(
                "a vocabulary of {vocab} tokens; the compiler takes at most {MAX_VOCAB}"
            ))
        } else {
            Ok(())
        }
    }
}
