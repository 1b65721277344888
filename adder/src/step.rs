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
