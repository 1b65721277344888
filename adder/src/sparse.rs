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
