//! Why a model is not proved: the premise that fails, or a wrong sum.

use core::fmt;

/// A premise of the argument that the model does not meet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Premise {
    /// Queries and keys can read nothing but positions: one layer, no
    /// norms, positions added to the residual stream.
    PositionAddressed,
    /// The prompt is laid out as the seed's (the local states are
    /// enumerated over its positions).
    SeedFormat,
    /// The embedding of some token changes the positional dims.
    PositionalDimsUntouched,
    /// Some position's key depends on its token.
    KeysIgnoreTokens,
    /// The last position's query depends on its token.
    QueryIgnoresToken,
    /// Some token's value vector is not finite.
    ValuesFinite,
    /// Two prompts gave different attention weights at the same step.
    AttentionIndependentOfPrompt,
    /// A head's weights on its target positions differ, or it has none.
    TargetWeightsEqual,
    /// The local state spans more places than the proof enumerates (3).
    LocalStateSmall,
    /// The logits `add` computes differ from those of the full pass.
    FastPathExact,
    /// The logits `add_lanes` computes differ from those `add` computes.
    LanesExact,
}

impl fmt::Display for Premise {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Premise::SeedFormat => "the prompt is laid out as the seed's",
            Premise::PositionAddressed => {
                "queries and keys read positions only (one layer, no norms, added positions)"
            }
            Premise::PositionalDimsUntouched => {
                "the embedding leaves the positional dims untouched"
            }
            Premise::KeysIgnoreTokens => "every key is the same for every token",
            Premise::QueryIgnoresToken => "the query is the same for every token",
            Premise::ValuesFinite => "every value vector is finite",
            Premise::AttentionIndependentOfPrompt => {
                "the attention weights are the same for every prompt"
            }
            Premise::TargetWeightsEqual => "off-target weights are 0 and the target weights equal",
            Premise::LocalStateSmall => "each step reads at most 3 digit places",
            Premise::FastPathExact => "the logits of `add`'s path equal those of the full pass",
            Premise::LanesExact => "the logits of `add_lanes`'s path equal those of `add`'s",
        })
    }
}

/// Why a model is not proved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refutation {
    /// A premise fails: the proof does not apply (the model may still be
    /// right, but this argument cannot say so).
    Premise {
        /// The premise.
        premise: Premise,
        /// The step (answer digit) where it failed.
        step: usize,
        /// The position where it failed.
        position: usize,
    },
    /// A reachable state gives a wrong digit: the model gets `a + b` wrong.
    Wrong {
        /// The step (answer digit) that is wrong.
        step: usize,
        /// The operands.
        a: u64,
        /// The operands.
        b: u64,
        /// The digit the model wrote.
        digit: u8,
        /// The digit of `a + b`.
        expected: u8,
    },
}

impl fmt::Display for Refutation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refutation::Premise {
                premise,
                step,
                position,
            } => {
                write!(
                    f,
                    "premise fails at step {step}, position {position}: {premise}"
                )
            }
            Refutation::Wrong {
                step,
                a,
                b,
                digit,
                expected,
            } => write!(
                f,
                "{a} + {b}: answer digit {step} comes out {digit}, should be {expected}"
            ),
        }
    }
}
