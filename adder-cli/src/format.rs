//! The prompt formats the board's entrants use, by the names their specs
//! give them: what a checkpoint cannot say about itself.

use clap::ValueEnum;

/// The vocabulary every format here needs: the ten digits, the separator
/// being 0.
pub const VOCAB: usize = 10;

/// A prompt format.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    /// `[0] a0..a9 [0] [0] b0..b9 [0]`, the answer least significant
    /// first: 24 tokens (the Qwen3 entrants, most hand-coded ones).
    F24,
    /// `[0] a0..a9 [0]x9 b0..b9 [0]`, the answer least significant first:
    /// 31 tokens (the RoPE-19 hand-coded entries).
    F31,
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
        }
    }

    /// The prompt's length in tokens.
    pub fn prompt_len(self) -> usize {
        match self {
            Format::F24 => 24,
            Format::F31 => 31,
        }
    }
}
