//! Helpers the integration tests share: operand pairs that are the same on
//! every run and every machine, and what the mutant tests share.

pub mod mutants;

/// `SplitMix64`: a small, well-mixed generator.
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    /// The next 64 bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..=MAX_OPERAND` (rejection sampling, no modulo bias).
    pub fn operand(&mut self) -> u64 {
        let span = adder::MAX_OPERAND + 1;
        let zone = u64::MAX - u64::MAX % span;
        loop {
            let x = self.next_u64();
            if x < zone {
                return x % span;
            }
        }
    }
}

/// `count` operand pairs from the generator seeded with `seed`.
pub fn pairs(seed: u64, count: usize) -> impl Iterator<Item = (u64, u64)> {
    let mut rng = SplitMix64(seed);
    (0..count).map(move |_| (rng.operand(), rng.operand()))
}
