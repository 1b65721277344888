//! The right logit minus the best other over a box of the heads' outputs,
//! by the model's two twins: intervals (cheap; exact where the box is a
//! point) and affine forms (first-order: the logits keep how they move
//! together, so their difference is bounded as one quantity).
//!
//! Where a bound does not settle the box, it is cut in two (the intervals
//! across its widest side, the forms across the side the closest other
//! logit moves most with) and each half is bounded alone: the halves cover the box,
//! so the least of their lower bounds and the greatest of their upper
//! bounds hold for it. Where the first half stays unsettled, the second is
//! not bounded and the box's own bound stands: a half's lower bound holds
//! only the half.

use super::kernel::Kernel;
use super::oriented::Zone;
use crate::verify::affine::{A, NOISE};
use crate::verify::interval::I;
use crate::verify::real::{R, f32_down, f32_up};

/// The margin by the interval twin, cut up to `depth` times.
pub(super) fn by_intervals<const E: usize, const Q: usize, const KV: usize, const V: usize>(
    kernel: &Kernel<E, Q, KV, V>,
    residual: &[I; E],
    mixed: [I; Q],
    want: u8,
    depth: usize,
) -> I {
    let logits = (kernel.logits)(residual, &mixed);
    let right = logits[want as usize];
    // The least gap to another logit, in exact arithmetic: its bounds are
    // the least bounds.
    let (mut lo, mut hi) = (f32::INFINITY, f32::INFINITY);
    for (j, logit) in logits.iter().enumerate() {
        if j != want as usize {
            if !(right.is_bounded() && logit.is_bounded()) {
                return I::ANY;
            }
            let gap = R::rounded(
                f64::from(right.lo) - f64::from(logit.hi),
                f64::from(right.hi) - f64::from(logit.lo),
            );
            lo = lo.min(f32_down(gap.lo));
            hi = hi.min(f32_up(gap.hi));
        }
    }
    let margin = I { lo, hi };
    if margin.lo > 0.0 || depth == 0 {
        return margin;
    }
    let Some((low, high)) = halves(&mixed) else {
        return margin;
    };
    let first = by_intervals(kernel, residual, low, want, depth - 1);
    if first.lo <= 0.0 {
        // Unsettled: the box's own bound stands (a half's holds only it).
        return margin;
    }
    let second = by_intervals(kernel, residual, high, want, depth - 1);
    I {
        lo: first.lo.min(second.lo),
        hi: first.hi.max(second.hi).min(margin.hi),
    }
}

/// The margin by the affine twin, cut up to `depth` times; `None` where
/// the model has more heads' outputs (and residual coordinates not known
/// exactly) than the forms have symbols.
pub(super) fn by_forms<const E: usize, const Q: usize, const KV: usize, const V: usize>(
    kernel: &Kernel<E, Q, KV, V>,
    residual: &[I; E],
    zone: Zone<'_, Q>,
    want: u8,
    depth: usize,
) -> Option<I> {
    let spread = residual.iter().filter(|x| x.lo != x.hi).count();
    if Q + spread > NOISE || !zone.is_bounded() || residual.iter().any(|m| !m.is_bounded()) {
        return None;
    }
    let inputs = zone.forms();
    // The residual's unknown coordinates take the symbols after the heads'.
    let mut symbol = Q;
    let stream = residual.map(|x| {
        if x.lo == x.hi {
            A::point(x.lo)
        } else {
            symbol += 1;
            A::input(x.lo, x.hi, symbol - 1)
        }
    });
    let logits = (kernel.affine)(&stream, &inputs);
    let right = &logits[want as usize];
    let mut margin = R {
        lo: f64::INFINITY,
        hi: f64::INFINITY,
    };
    let mut closest = want as usize;
    for (j, logit) in logits.iter().enumerate() {
        if j != want as usize {
            let gap = right.minus(logit);
            if gap.lo < margin.lo {
                closest = j;
            }
            margin.lo = margin.lo.min(gap.lo);
            margin.hi = margin.hi.min(gap.hi);
        }
    }
    // The side the closest gap moves most along: where a cut pays.
    let along = (0..Q).max_by(|&x, &y| {
        let pull = |i: usize| (right.a[i] - logits[closest].a[i]).abs();
        pull(x).total_cmp(&pull(y))
    });
    let margin = if margin.lo.is_nan() || margin.hi.is_nan() {
        I::ANY
    } else {
        I {
            lo: f32_down(margin.lo),
            hi: f32_up(margin.hi),
        }
    };
    if margin.lo > 0.0 || margin.hi < 0.0 || depth == 0 {
        return Some(margin);
    }
    let Some((low, high)) = along.and_then(|d| zone.halves(d)) else {
        return Some(margin);
    };
    let first = by_forms(kernel, residual, low, want, depth - 1)?;
    if first.lo <= 0.0 && first.hi >= 0.0 {
        return Some(margin);
    }
    let second = by_forms(kernel, residual, high, want, depth - 1)?;
    // The halves cover the box: the hull of their bounds holds it.
    Some(I {
        lo: first.lo.min(second.lo).max(margin.lo),
        hi: first.hi.max(second.hi).min(margin.hi),
    })
}

/// The box cut in two across side `d`, where it has width.
fn halves_along<const Q: usize>(mixed: &[I; Q], d: usize) -> Option<([I; Q], [I; Q])> {
    if !(mixed[d].is_bounded() && mixed[d].hi > mixed[d].lo) {
        return None;
    }
    let middle = (mixed[d].lo + (mixed[d].hi - mixed[d].lo) / 2.0).clamp(mixed[d].lo, mixed[d].hi);
    let (mut low, mut high) = (*mixed, *mixed);
    low[d] = I::new(mixed[d].lo, middle);
    high[d] = I::new(middle, mixed[d].hi);
    Some((low, high))
}

/// The box cut in two across its widest side, where it has one.
fn halves<const Q: usize>(mixed: &[I; Q]) -> Option<([I; Q], [I; Q])> {
    let widest = (0..Q).max_by(|&x, &y| {
        let width = |i: usize| mixed[i].hi - mixed[i].lo;
        width(x).total_cmp(&width(y))
    })?;
    halves_along(mixed, widest)
}
