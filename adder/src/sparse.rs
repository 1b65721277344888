//! The sparse attention of the fast path: where each head looks, when that
//! is the same for every prompt.
//!
//! Each model module computes its table at compile time
//! (`SPARSE_ATTENTION`); its `logits` then mixes the values of those
//! positions alone instead of scoring, exponentiating and weighing every
//! position. Every number of the table comes out of the same code as the full
//! forward pass, and the positions left out weigh exactly 0 on finite values,
//! so the result has the same bits (the tests check it; the proof runs on
//! both).

/// The most positions of weight above 0 a head may have for the table to
/// apply: two, as when a head averages two digits.
pub const MAX_TARGETS: usize = 2;

/// Per sequence length `len` (`0..L`, `L` one past the block size) and head,
/// the positions of weight above 0, in increasing order, and their weights.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SparseAttention<const H: usize, const L: usize> {
    /// Whether the table holds: otherwise `logits` runs the full pass.
    pub applies: bool,
    /// How many positions each head reads.
    pub count: [[u8; H]; L],
    /// Which positions.
    pub position: [[[u16; MAX_TARGETS]; H]; L],
    /// With which weights.
    pub weight: [[[f32; MAX_TARGETS]; H]; L],
}

impl<const H: usize, const L: usize> SparseAttention<H, L> {
    /// The table that does not apply.
    pub const NONE: Self = SparseAttention {
        applies: false,
        count: [[0; H]; L],
        position: [[[0; MAX_TARGETS]; H]; L],
        weight: [[[0.0; MAX_TARGETS]; H]; L],
    };

    /// The rows of lengths `from` to `from + M - 1` as rows `0..M`: the
    /// answer steps' alone, which `digits` reads on bare metal, where the
    /// flash of the other rows counts.
    ///
    /// # Panics
    ///
    /// If `from + M` exceeds `L` (in a `const` item, a compile error).
    #[must_use]
    pub const fn rows<const M: usize>(&self, from: usize) -> SparseAttention<H, M> {
        let mut rows = SparseAttention::<H, M>::NONE;
        rows.applies = self.applies;
        let mut row = 0;
        while row < M {
            rows.count[row] = self.count[from + row];
            rows.position[row] = self.position[from + row];
            rows.weight[row] = self.weight[from + row];
            row += 1;
        }
        rows
    }
}

/// Whether two vectors are equal bit for bit.
#[must_use]
pub const fn same_bits<const N: usize>(x: &[f32; N], y: &[f32; N]) -> bool {
    let mut i = 0;
    while i < N {
        if x[i].to_bits() != y[i].to_bits() {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether every entry is finite.
#[must_use]
pub const fn all_finite<const N: usize>(x: &[f32; N]) -> bool {
    let mut i = 0;
    while i < N {
        if !x[i].is_finite() {
            return false;
        }
        i += 1;
    }
    true
}

/// The attention of a model whose keys and queries read the tokens, where
/// it routes all the same: per sequence length `len` (`0..L`) and head, the
/// one position of weight 1, every other position's weight exactly 0, for
/// every token at every position. Each model module decides it at compile
/// time from its own key, query and score code (`ROUTED_ATTENTION`): the
/// route's least score, over every token there and every query token,
/// beats every other position's greatest by so much that `expf` of the
/// difference is exactly 0 (at or below [`UNDERFLOW`]). Then the softmax
/// gives 1 there and 0 elsewhere, and the head's output is that position's
/// value, bit for bit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Routed<const H: usize, const L: usize> {
    /// Per length, whether every head's route is decided.
    pub applies: [bool; L],
    /// Whether it is for every length of the 11 steps of an addition.
    pub every_step: bool,
    /// Per length and head, the position of weight 1.
    pub position: [[u16; H]; L],
}

/// An argument at or below which [`expf`](crate::math::expf) is exactly 0:
/// its own cutoff is -103.972084.
pub const UNDERFLOW: f32 = -104.0;

impl<const H: usize, const L: usize> Routed<H, L> {
    /// The table that applies at no length.
    pub const NONE: Self = Routed {
        applies: [false; L],
        every_step: false,
        position: [[0; H]; L],
    };
}
