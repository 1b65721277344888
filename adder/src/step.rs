//! What one forward pass computes, as data.

/// The internals of one forward pass at the last position: what a reader
/// needs to see how the network reaches its digit.
///
/// `E` is the residual width, `H` the heads, `T` the block size, `M` the MLP
/// hidden units, `V` the vocabulary.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step<const E: usize, const H: usize, const T: usize, const M: usize, const V: usize> {
    /// Per head, the softmax weight of each position (0 past the last).
    pub attention: [[f32; T]; H],
    /// The residual stream at the last position: embedding plus position.
    pub residual: [f32; E],
    /// The residual stream after the attention block.
    pub after_attention: [f32; E],
    /// The MLP's hidden units, after the `ReLU`.
    pub hidden: [f32; M],
    /// The residual stream after the MLP block.
    pub after_mlp: [f32; E],
    /// The logits of the next token.
    pub logits: [f32; V],
}

/// What the network computed at each of the 11 steps of one addition.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Trace<const E: usize, const H: usize, const T: usize, const M: usize, const V: usize> {
    /// The first operand.
    pub a: u64,
    /// The second operand.
    pub b: u64,
    /// Step `k` writes answer digit `k` (least significant first).
    pub steps: [Step<E, H, T, M, V>; 11],
    /// The digits written, least significant first.
    pub digits: [u8; 11],
}

impl<const E: usize, const H: usize, const T: usize, const M: usize, const V: usize>
    Trace<E, H, T, M, V>
{
    /// The sum the network wrote.
    #[must_use]
    pub const fn sum(&self) -> u64 {
        crate::tokens::decode(&self.digits)
    }
}
