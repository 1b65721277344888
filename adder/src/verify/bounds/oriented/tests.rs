//! The oriented box against the code's own heads' outputs, and its
//! linear algebra.

use super::*;

/// The heads' outputs of 2,000 random contexts of one state of a model
/// whose head 0 spreads its attention over free digits: each inside
/// every side of the oriented box and inside its forms, and the box
/// thin across (its narrowest side a fraction of the widest coordinate).
#[cfg(feature = "board")]
#[test]
fn the_oriented_box_holds_every_context_and_is_thin_across() {
    use super::super::attention::{coupled, hulls};
    use super::super::state::tables;
    use crate::tokens::Position;

    let kernel = &crate::models::qwen3_155::KERNEL;
    let len = kernel.format.prompt_len();
    let fixed: [u8; MAX_LEN] = kernel.format.sequence(0, 0);
    let tables = tables(kernel, &fixed, len, fixed[len - 1]);
    // Step 0 with a_0 = 3, b_0 = 4: every other digit free.
    let mut slots = [Slot::Free; MAX_LEN];
    for (p, slot) in slots.iter_mut().enumerate().take(len) {
        *slot = match kernel.format.position(p) {
            Position::Token(_) => Slot::Token(0),
            Position::A(0) => Slot::Digit(3),
            Position::B(0) => Slot::Digit(4),
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
    let forms = zone.forms();
    let width = |i: I| f64::from(i.hi) - f64::from(i.lo);
    let widest = mixed[..4].iter().map(|&m| width(m)).fold(0.0, f64::max);
    let narrowest = sides[..4]
        .iter()
        .map(|&y| width(y))
        .fold(f64::INFINITY, f64::min);
    assert!(
        widest > 0.5 && narrowest < widest / 10.0,
        "{mixed:?} {sides:?}"
    );
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    for _ in 0..2_000 {
        let mut context = slots;
        for slot in context.iter_mut().take(len) {
            if *slot == Slot::Free {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                *slot = Slot::Digit((seed >> 60) as u8 % 10);
            }
        }
        // With every digit fixed the hulls are the code's own outputs.
        let (point, _) = hulls(kernel, &tables, &context);
        for (k, (o, form)) in point.iter().zip(&forms).enumerate() {
            assert_eq!(o.lo, o.hi);
            let range = form.range();
            assert!(
                range.lo <= f64::from(o.lo) && f64::from(o.lo) <= range.hi,
                "{k}"
            );
        }
        for (i, side) in sides.iter().enumerate() {
            let y: f64 = (0..8)
                .map(|d| frame.basis[i][d] * f64::from(point[d].lo))
                .sum();
            let slack = 1e-12 * (1.0 + y.abs());
            assert!(
                f64::from(side.lo) - slack <= y && y <= f64::from(side.hi) + slack,
                "{i}: {y} {side:?}"
            );
        }
    }
}

#[test]
fn jacobi_diagonalises_and_its_axes_are_orthonormal() {
    let mut m = [[0.0; 4]; 4];
    let entries = [
        [4.0, 1.0, -2.0, 0.5],
        [1.0, 3.0, 0.0, 1.5],
        [-2.0, 0.0, 5.0, -1.0],
        [0.5, 1.5, -1.0, 2.0],
    ];
    m.copy_from_slice(&entries);
    let v = principal_axes(&mut m, 4);
    for p in 0..4 {
        for q in 0..4 {
            if p != q {
                assert!(m[p][q].abs() < 1e-12, "{m:?}");
            }
            // V^T M V is diagonal: M v_q = lambda_q v_q.
            let mv: f64 = (0..4).map(|k| entries[p][k] * v[k][q]).sum();
            assert!((mv - m[q][q] * v[p][q]).abs() < 1e-12);
        }
    }
    let basis: [[f64; 4]; 4] = core::array::from_fn(|i| core::array::from_fn(|d| v[d][i]));
    let skew = skew(&basis, 0, 4).unwrap();
    assert!(skew > 0.0 && skew < 1e-13, "{skew}");
}

#[test]
fn skew_refuses_rows_far_from_orthonormal() {
    let basis = [[1.0, 0.0], [1.0, 0.0]];
    assert_eq!(skew(&basis, 0, 2), None);
    let scaled = [[1.1, 0.0], [0.0, 1.0]];
    let s = skew(&scaled, 0, 2).unwrap();
    // B^-1 - B^T = diag(1/1.1 - 1.1, 0): its norm, 0.19..., is bounded.
    assert!(s >= 1.1 - 1.0 / 1.1, "{s}");
}
