//! The five nanoGPT models compute the same logits, bit for bit, as before
//! the macro was restructured around its intermediate form: a hash of every
//! logit of every step of 2,000 additions per model, pinned from the
//! expansion of the commit before the restructure.

use adder::models::{adder58, adder66, dense130, seed58, wide58};
use adder_tests::pairs;

/// FNV-1a over the bits of every logit of every step of `a + b`.
fn hash(trace: impl Fn(u64, u64) -> [[f32; 10]; 11]) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    for (a, b) in pairs(2_024, 2_000) {
        for logits in trace(a, b) {
            for logit in logits {
                for byte in logit.to_bits().to_le_bytes() {
                    hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
                }
            }
        }
    }
    hash
}

#[test]
fn logits_are_those_of_the_seed_skeleton() {
    let found = [
        hash(|a, b| adder58::trace(a, b).steps.map(|s| s.logits)),
        hash(|a, b| seed58::trace(a, b).steps.map(|s| s.logits)),
        hash(|a, b| adder66::trace(a, b).steps.map(|s| s.logits)),
        hash(|a, b| dense130::trace(a, b).steps.map(|s| s.logits)),
        hash(|a, b| wide58::trace(a, b).steps.map(|s| s.logits)),
    ];
    eprintln!("{found:#018x?}");
    assert_eq!(found, PINNED);
}

const PINNED: [u64; 5] = [
    0xc201_6434_a033_a5ef,
    0x330b_878b_a079_6624,
    0xc201_6434_a033_a5ef,
    0xc201_6434_a033_a5ef,
    0x1c07_b190_fd0b_d980,
];
