//! The stream's parts against points of the zonotope and the code's own
//! margins, and the facet normals' linear algebra.

use super::*;
use crate::verify::affine::Errors;

/// A generator of test numbers in `[-1, 1)`.
struct Numbers(u64);

impl Numbers {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 52) as f64 - 1.0
    }
}

/// Forms of a random zonotope: `generators` shared symbols, own radii.
fn random_stream<const E: usize>(numbers: &mut Numbers, generators: usize) -> [A; E] {
    core::array::from_fn(|_| {
        let mut a = [0.0; NOISE];
        for x in a.iter_mut().take(generators) {
            *x = numbers.next() * 2.0;
        }
        A {
            c: numbers.next() * 5.0,
            a,
            e: Errors::NONE,
            r: numbers.next().abs() * 0.1,
            i: I::ANY,
        }
    })
}

/// Every point of a zonotope inside a part stays inside the part
/// narrowed to it; and narrowing does narrow (or drop) most parts.
fn narrowing_keeps_every_point<const E: usize>(seed: u64) {
    let mut numbers = Numbers(seed);
    let (mut kept, mut narrowed) = (0, 0);
    for trial in 0..200 {
        let stream: [A; E] = random_stream(&mut numbers, 5);
        let zonotope = Zonotope::new(&stream).expect("bounded forms");
        // A part around some point of the zonotope, or (every other
        // trial) of the box of the forms, which it may miss.
        let around: [f64; NOISE] = core::array::from_fn(|_| numbers.next());
        let part: [I; E] = core::array::from_fn(|d| {
            let x = &stream[d];
            let at = if trial % 2 == 0 {
                x.c + (0..NOISE).map(|s| x.a[s] * around[s]).sum::<f64>()
            } else {
                x.c + numbers.next() * x.range().rad()
            };
            let half = x.range().rad() * numbers.next().abs() * 0.5;
            I::new((at - half) as f32, (at + half) as f32)
        });
        let small = zonotope.narrow(&part);
        narrowed += usize::from(small != Some(part));
        for _ in 0..500 {
            let eps: [f64; NOISE] = core::array::from_fn(|_| numbers.next());
            let z: [f64; E] = core::array::from_fn(|d| {
                let x = &stream[d];
                x.c + (0..NOISE).map(|s| x.a[s] * eps[s]).sum::<f64>() + x.r * numbers.next()
            });
            let inside = |box_: &[I; E]| {
                (0..E).all(|d| f64::from(box_[d].lo) <= z[d] && z[d] <= f64::from(box_[d].hi))
            };
            if inside(&part) {
                kept += 1;
                assert!(
                    small.is_some_and(|small| inside(&small)),
                    "{z:?} in {part:?}, not in {small:?}"
                );
            }
        }
    }
    assert!(kept > 1_000 && narrowed > 50, "{kept} {narrowed}");
}

#[test]
fn narrowing_keeps_every_point_of_the_zonotope() {
    narrowing_keeps_every_point::<2>(1);
    narrowing_keeps_every_point::<3>(2);
    narrowing_keeps_every_point::<4>(3);
}

#[test]
fn facet_normals_have_largest_entry_one_and_are_orthogonal_to_their_generators() {
    let generators = [
        [1.0, 2.0, 0.5, -1.0],
        [0.0, 1.0, -3.0, 2.0],
        [4.0, -1.0, 1.0, 0.0],
        [2.0, 4.0, 1.0, -2.0], // twice the first
    ];
    let n = normal(&generators, &[0, 1, 2]).expect("independent");
    let largest = n.iter().fold(0.0_f64, |m, x| m.max(x.abs()));
    assert!((largest - 1.0).abs() < 1e-15, "{n:?}");
    for g in &generators[..3] {
        let dot: f64 = (0..4).map(|d| n[d] * g[d]).sum();
        assert!(dot.abs() < 1e-12, "{dot}");
    }
    assert_eq!(normal(&generators, &[0, 3, 1]), None);
    let cross = normal(&[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], &[0, 1]).expect("independent");
    assert_eq!(cross, [0.0, 0.0, 1.0]);
    let mut subsets = 0;
    for_each_subset(6, 3, |s| {
        assert!(s[0] < s[1] && s[1] < s[2] && s[2] < 6);
        subsets += 1;
    });
    assert_eq!(subsets, 20);
}

/// A state of `qwen3_200` (head 0 spreads over every position, so the
/// forms over the whole zone stay unsettled) settled by the parts, and
/// the code's own margin inside that bound on 300 random contexts.
#[cfg(feature = "board")]
#[test]
fn the_parts_settle_a_state_and_hold_every_context_of_it() {
    use super::super::attention::{coupled, hulls};
    use super::super::kernel::MAX_LEN;
    use super::super::oriented::oriented;
    use super::super::state::{Slot, tables};
    use crate::tokens::Position;

    let kernel = &crate::models::qwen3_200::KERNEL;
    let (a, b, k) = (2_393_046_488_u64, 3_203_795_395_u64, 5);
    let want = ((a + b) / 10u64.pow(5) % 10) as u8;
    let len = kernel.format.prompt_len() + k;
    let digits = crate::models::qwen3_200::digits(a, b);
    let mut fixed: [u8; MAX_LEN] = kernel.format.sequence(a, b);
    fixed[len - k..len].copy_from_slice(&digits[..k]);
    let tables = tables(kernel, &fixed, len, fixed[len - 1]);
    // Places k - 1 and k of both operands and the last digit written fixed.
    let mut slots = [Slot::Free; MAX_LEN];
    for (p, slot) in slots.iter_mut().enumerate().take(len) {
        *slot = match kernel.format.position(p) {
            Position::Token(_) => Slot::Token(fixed[p]),
            Position::A(i) | Position::B(i) if i + 1 == k || i == k => Slot::Digit(fixed[p]),
            Position::Sum(i) if i + 1 == k => Slot::Digit(fixed[p]),
            _ => Slot::Free,
        };
    }
    let (mut mixed, _) = hulls(kernel, &tables, &slots);
    coupled(kernel, &tables, &slots, &mut mixed);
    let (frame, sides) = oriented(kernel, &tables, &slots, &mixed).expect("weights known");
    let zone = Zone {
        mixed,
        sides,
        frame: Some(&frame),
    };
    let residual = tables.residual.map(I::point);
    let whole = super::super::margin::by_forms(kernel, &residual, zone, want, 0).expect("forms");
    assert!(whole.lo < 0.0, "the forms alone settle it: {whole:?}");
    let bound = by_stream(kernel, &residual, zone, want, 512).expect("settled by the parts");
    assert!(bound.lo > 0.0, "{bound:?}");
    let mut numbers = Numbers(7);
    for _ in 0..300 {
        let mut context = fixed;
        for p in 0..len {
            if slots[p] == Slot::Free {
                context[p] = ((numbers.next() + 1.0) * 5.0) as u8;
            }
        }
        let logits = (kernel.step_logits)(&context[..len]);
        let right = f64::from(logits[want as usize]);
        let real = (0..logits.len())
            .filter(|&j| j != want as usize)
            .map(|j| right - f64::from(logits[j]))
            .fold(f64::INFINITY, f64::min);
        assert!(
            f64::from(bound.lo) <= real && real <= f64::from(bound.hi),
            "{real} outside {bound:?}"
        );
    }
}
