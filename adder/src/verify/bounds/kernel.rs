//! What the verifier reads of a model, its limits, and what it reports
//! of a state: the bottom layer the other files of `bounds` build on.

use crate::tokens::Format;
use crate::verify::affine::A;
use crate::verify::interval::I;

/// The longest context the verifier takes (prompt and answer).
pub(super) const MAX_LEN: usize = 48;
/// The most query heads it takes.
pub(super) const MAX_HEADS: usize = 8;
/// Evaluations of states, splits included, that the second pass shares
/// among the states the first left open: the fewer they are, the deeper
/// each may be split (a free position fixed to each digit in turn, then
/// another inside it).
pub(super) const EVALUATIONS: usize = 1_000_000;
/// The most evaluations one state may take (three levels of splits).
pub(super) const STATE_BUDGET: usize = 1_111;
/// How many times, in a pass after the first, the box of the heads'
/// outputs may be cut in half (and each half again) where its bound does
/// not settle a state: 16 boxes at most. Four: `qwen3_173`'s certified
/// accuracy goes from 0 % to 97 %, where the first pass's one cut leaves
/// most of its states open; deeper cuts settle little more and cost
/// twice as much each level.
pub(super) const BISECTIONS: usize = 4;
/// The most parts of the residual stream after the attention the first
/// pass bounds the rest of a one-layer model over, for a state the
/// forms leave open: 128 settle 45 of 60 sampled open `qwen3_200` states
/// (16 to 64 only 23 to 26, where 23 settle without).
pub(super) const STREAM_PARTS: usize = 128;
/// How near an end of a state's margin bound, as a share of its width, 0
/// must lie for the first pass to cut the stream: the states farther in
/// settle less often and cost as much: on `qwen3_155` 83 % of the near
/// ones settle against 36 % of the rest; on `qwen3_200` 72 of 77 near ones,
/// and half of its 102,472 open states in all at 691 s of CPU (a cheaper
/// cut would let the gate go).
pub(super) const STREAM_GATE: f32 = 0.1;

/// What [`verify`](super::verify) reads of a model: its own stages up to
/// the first attention, the twins of the layers above it (`deep`), and the
/// twins of the stages after the last attention.
#[derive(Clone, Copy)]
pub struct Kernel<const E: usize, const Q: usize, const KV: usize, const V: usize> {
    /// How the model is asked for a sum.
    pub format: &'static Format,
    /// Query heads, key/value heads, and their width.
    pub n_head: usize,
    /// Key and value heads.
    pub n_kv_head: usize,
    /// The width of one head.
    pub head_dim: usize,
    /// The score scale.
    pub scale: f32,
    /// The residual stream of a token at a position.
    pub embed: fn(usize, usize) -> [f32; E],
    /// The query of a residual stream at a position.
    pub query_at: fn(&[f32; E], usize) -> [f32; Q],
    /// The key of a residual stream at a position.
    pub key_at: fn(&[f32; E], usize) -> [f32; KV],
    /// The value of a residual stream.
    pub value_at: fn(&[f32; E]) -> [f32; KV],
    /// Each layer above the first, with the rest of the layer below it:
    /// empty for one layer.
    pub deep: &'static [Deep<E, Q, KV>],
    /// The interval twin: logits of the residual stream and the heads'
    /// outputs (of the last layer).
    pub logits: fn(&[I; E], &[I; Q]) -> [I; V],
    /// The affine twin: the same, over affine forms.
    pub affine: fn(&[A; E], &[A; Q]) -> [A; V],
    /// The affine twin of the last layer's residual stream after its
    /// attention, from the residual stream and the heads' outputs.
    pub attention_forms: fn(&[A; E], &[A; Q]) -> [A; E],
    /// The affine twin of the logits from that stream (the last MLP and
    /// the head), which the verifier cuts in its own few coordinates.
    pub stream_forms: fn(&[A; E]) -> [A; V],
    /// The interval twin of the same: cheaper, for the smaller parts.
    pub stream_bounds: fn(&[I; E]) -> [I; V],
    /// The model's own logits of a context.
    pub step_logits: fn(&[u8]) -> [f32; V],
    /// The model's own `checked_add`.
    pub checked_add: fn(u64, u64) -> Option<u64>,
}

/// One layer above the first, for the verifier: the interval twins of the
/// rest of the layer below it and of its own query, key and value.
#[derive(Clone, Copy)]
pub struct Deep<const E: usize, const Q: usize, const KV: usize> {
    /// The layer below's residual stream after its MLP, from its input
    /// and its heads' outputs.
    pub below: fn(&[I; E], &[I; Q]) -> [I; E],
    /// The same over affine forms: a steep MLP's units that move together
    /// (two gates on one sum) keep their difference.
    pub below_forms: fn(&[A; E], &[A; Q]) -> [A; E],
    /// This layer's query of a residual stream at a position.
    pub query_at: fn(&[I; E], usize) -> [I; Q],
    /// Its key of a residual stream at a position.
    pub key_at: fn(&[I; E], usize) -> [I; KV],
    /// Its value of a residual stream.
    pub value_at: fn(&[I; E]) -> [I; KV],
    /// The same three over affine forms: a norm's quotient keeps that its
    /// numerator and denominator move together.
    pub query_forms: fn(&[A; E], usize) -> [A; Q],
    /// The key over affine forms.
    pub key_forms: fn(&[A; E], usize) -> [A; KV],
    /// The value over affine forms.
    pub value_forms: fn(&[A; E]) -> [A; KV],
}

/// A state the bounds could not settle.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Unsettled {
    /// The answer step.
    pub step: usize,
    /// `a_k, b_k, a_{k-1}, b_{k-1}` (0 where the place does not exist).
    pub digits: [u8; 4],
    /// The carry into place `k - 1`.
    pub carry: u8,
    /// The right logit minus the best other, over the state: it reaches 0.
    pub margin: I,
    /// Digit positions still free in it (after splitting).
    pub free: usize,
    /// The most attention one free position may take (an upper bound of
    /// its softmax weight in some head): what splitting would remove.
    pub heaviest: f32,
    /// The positions splitting fixed, and their digits, in order.
    pub fixed: [Option<(usize, u8)>; 3],
}
