//! The proof's states run through the batch API's code too: [`Pending`]
//! gathers them `LANES` at a time and runs them through the model's
//! `lane_logits`, which must give each lane the bits of `logits` (the path
//! `add` takes), and the lanes' argmax each lane's digit.

use crate::lanes::{LANES, Lanes, argmax, lane};

/// A model's `lane_logits`: the logits after the first `len` tokens of
/// each lane's sequence, side by side.
pub type LaneLogits<const T: usize, const V: usize> = fn(&[[u8; T]; LANES], usize) -> [Lanes; V];

/// States of one step (one sequence length) waiting for a full set of
/// lanes, with the logits `add`'s path gave each.
pub struct Pending<const T: usize, const V: usize> {
    lane_logits: LaneLogits<T, V>,
    len: usize,
    tokens: [[u8; T]; LANES],
    logits: [[f32; V]; LANES],
    count: usize,
}

impl<const T: usize, const V: usize> Pending<T, V> {
    /// No states yet, of sequences of `len` tokens.
    pub fn new(lane_logits: LaneLogits<T, V>, len: usize) -> Self {
        Pending {
            lane_logits,
            len,
            tokens: [[0; T]; LANES],
            logits: [[0.0; V]; LANES],
            count: 0,
        }
    }

    /// Adds a state, `tokens` (`len` of them) and its `logits` by `add`'s
    /// path; with a full set of lanes, runs them. Whether every lane run so
    /// far agreed.
    #[must_use]
    pub fn push(&mut self, tokens: &[u8], logits: [f32; V]) -> bool {
        self.tokens[self.count][..self.len].copy_from_slice(tokens);
        self.logits[self.count] = logits;
        self.count += 1;
        self.count < LANES || self.run()
    }

    /// Runs the states gathered (the free lanes repeat the first), then
    /// empties the set: whether each lane has the bits of its `logits` and
    /// the lanes' argmax is each lane's.
    #[must_use]
    pub fn run(&mut self) -> bool {
        if self.count == 0 {
            return true;
        }
        for free in self.count..LANES {
            self.tokens[free] = self.tokens[0];
            self.logits[free] = self.logits[0];
        }
        let side_by_side = (self.lane_logits)(&self.tokens, self.len);
        let written = argmax(&side_by_side);
        self.count = 0;
        (0..LANES).all(|l| {
            let alone = self.logits[l];
            lane(&side_by_side, l).map(f32::to_bits) == alone.map(f32::to_bits)
                && usize::from(written[l]) == crate::tokens::argmax(&alone)
        })
    }
}
