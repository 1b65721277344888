//! The last MLP and the head bounded over boxes of the residual stream
//! after the attention, cut in its own few coordinates and kept to the set
//! the heads' outputs can give it.
//!
//! The stream after the attention is the residual stream plus a linear
//! image of the heads' outputs: a set the forms of the zone enclose as a
//! zonotope (a centre and a generator per symbol). Where the stream has
//! few coordinates (3 in the board's small Qwen3 models against their 8
//! heads' outputs) its box is the place to cut: each half is bounded by
//! the forms of the MLP and head alone, and a part of the box the zonotope
//! misses holds no context and is dropped. The forms of a whole box reach
//! points no context gives, and past the model's decision boundary; the
//! parts the zonotope misses are where they are.
//!
//! # Soundness
//!
//! Every `f32` stream the code computes for a context of the state lies in
//! the zonotope: the affine twin encloses it, and its error symbols are
//! taken as a box around the generators (a larger set). A part is dropped
//! only where a direction `n` separates it from the zonotope: the greatest
//! `n . z` over the zonotope (`n . c + sum |n . g| + sum |n_d| r_d`) falls
//! short of the least `n . x` over the part, or the other way round, by
//! more than `1e-9` of the terms (which covers the `f64` rounding of the
//! sums many times over). Any `n` is sound; the normals of the facets of
//! the zonotope grown by the part's sides separate every part that misses
//! it, and are the ones tried. Each part kept is bounded by the forms over
//! its own box (`A::input` over its `f32` ends), which enclose the code's
//! logits for every stream in it; the parts cover the box, so the least
//! and greatest of their bounds hold for the state.

use super::kernel::Kernel;
use super::oriented::Zone;
use crate::verify::affine::{A, NOISE};
use crate::verify::interval::I;
use crate::verify::real::{R, f32_down, f32_up};

/// The widest stream cut here: the facets of a zonotope of `E` coordinates
/// are spanned by `E - 1` of its generators, and their count grows as the
/// `E - 1`st power.
pub(super) const MAX_WIDTH: usize = 4;

/// The most generators: a symbol each, and a side each.
const GENERATORS: usize = NOISE + MAX_WIDTH;

/// The most facet normals: `GENERATORS` choose `MAX_WIDTH - 1`.
const NORMALS: usize = GENERATORS * (GENERATORS - 1) * (GENERATORS - 2) / 6;

/// Parts cut this often or more are bounded by intervals alone.
const FORMS_DEPTH: usize = DEPTH;

/// The deepest a part is cut.
const DEPTH: usize = 40;

/// The zonotope of the stream, read along each facet normal.
struct Zonotope<const E: usize> {
    /// Facet normals, largest entry 1 in size.
    normals: [[f64; E]; NORMALS],
    /// Along each: the least and greatest `n . z` over the zonotope.
    reach: [R; NORMALS],
    /// How many.
    count: usize,
}

impl<const E: usize> Zonotope<E> {
    /// The zonotope of `stream`'s forms; `None` where a form is not known.
    fn new(stream: &[A; E]) -> Option<Self> {
        if stream.iter().any(|x| !x.is_bounded()) {
            return None;
        }
        let centre: [f64; E] = core::array::from_fn(|d| stream[d].c);
        // Each coordinate's error symbols and own radius, taken apart
        // from the others': a box around the generators.
        let radius: [f64; E] = core::array::from_fn(|d| {
            let x = &stream[d];
            let terms = x.c.abs() + x.a.iter().map(|a| a.abs()).sum::<f64>() + x.e.sum() + x.r;
            x.e.sum() + x.r + 1e-9 * terms
        });
        let mut generators = [[0.0; E]; GENERATORS];
        let mut count = 0;
        for s in 0..NOISE {
            let g: [f64; E] = core::array::from_fn(|d| stream[d].a[s]);
            if g.iter().any(|x| *x != 0.0) {
                generators[count] = g;
                count += 1;
            }
        }
        // The part's sides: its generators, in the directions of the axes.
        for (d, side) in generators[count..count + E].iter_mut().enumerate() {
            side[d] = 1.0;
        }
        count += E;
        #[expect(
            clippy::large_stack_arrays,
            reason = "55 KB at most (4 coordinates), on a thread stack of 2 MB"
        )]
        let mut zonotope = Zonotope {
            normals: [[0.0; E]; NORMALS],
            reach: [R::point(0.0); NORMALS],
            count: 0,
        };
        for_each_subset(count, E - 1, |subset| {
            let Some(n) = normal(&generators, subset) else {
                return;
            };
            let along = |v: &[f64; E]| (0..E).map(|d| n[d] * v[d]).sum::<f64>();
            let (mid, mut reach, mut terms) = (along(&centre), 0.0, 0.0);
            for g in &generators[..count - E] {
                reach += along(g).abs();
            }
            for d in 0..E {
                reach += n[d].abs() * radius[d];
                terms += (n[d] * centre[d]).abs();
            }
            let slack = 1e-9 * (terms + reach);
            let at = zonotope.count;
            zonotope.normals[at] = n;
            zonotope.reach[at] = R::rounded(mid - reach - slack, mid + reach + slack);
            zonotope.count += 1;
        });
        Some(zonotope)
    }

    /// `part` narrowed to the zonotope: each facet's slab `lo <= n . x <=
    /// hi` bounds each coordinate by the others' reach along `n`;
    /// `None` where a slab misses the part.
    fn narrow(&self, part: &[I; E]) -> Option<[I; E]> {
        let mut part = *part;
        for k in 0..self.count {
            let n = &self.normals[k];
            let (mut least, mut most, mut terms) = (0.0, 0.0, 0.0);
            for d in 0..E {
                let (a, b) = (n[d] * f64::from(part[d].lo), n[d] * f64::from(part[d].hi));
                least += a.min(b);
                most += a.max(b);
                terms += a.abs().max(b.abs());
            }
            let reach = self.reach[k];
            let slack = 1e-9 * (terms + reach.mag());
            if least - slack > reach.hi || most + slack < reach.lo {
                return None;
            }
            for d in 0..E {
                if n[d].abs() < 1e-6 {
                    continue;
                }
                let (a, b) = (n[d] * f64::from(part[d].lo), n[d] * f64::from(part[d].hi));
                // n_d x_d lies in [reach.lo - (most - its most), reach.hi - (least - its least)].
                let (lo, hi) = (
                    reach.lo - (most - a.max(b)) - slack,
                    reach.hi - (least - a.min(b)) + slack,
                );
                let (lo, hi) = if n[d] > 0.0 {
                    (lo / n[d], hi / n[d])
                } else {
                    (hi / n[d], lo / n[d])
                };
                let (lo, hi) = (lo - 1e-9 * lo.abs(), hi + 1e-9 * hi.abs());
                let side = part[d];
                let (lo, hi) = (side.lo.max(f32_down(lo)), side.hi.min(f32_up(hi)));
                if lo > hi {
                    return None;
                }
                part[d] = I::new(lo, hi);
            }
        }
        Some(part)
    }
}

/// Calls `visit` with every `size`-subset of `0..count`, as indices.
fn for_each_subset(count: usize, size: usize, mut visit: impl FnMut(&[usize])) {
    let mut at = [0usize; MAX_WIDTH];
    if size > count {
        return;
    }
    for (i, x) in at.iter_mut().enumerate().take(size) {
        *x = i;
    }
    loop {
        visit(&at[..size]);
        // The next subset in order: the last index that can move, moved.
        let Some(i) = (0..size).rev().find(|&i| at[i] < count - size + i) else {
            return;
        };
        at[i] += 1;
        for j in i + 1..size {
            at[j] = at[j - 1] + 1;
        }
    }
}

/// The normal (largest entry 1 in size) of the hyperplane the `E - 1` generators in `subset`
/// span (`n_i = (-1)^i` times the minor without column `i`); `None` where
/// they span less.
fn normal<const E: usize>(generators: &[[f64; E]], subset: &[usize]) -> Option<[f64; E]> {
    let mut n = [0.0; E];
    for (i, x) in n.iter_mut().enumerate() {
        let columns: [usize; MAX_WIDTH] = core::array::from_fn(|c| c + usize::from(c >= i));
        let rows: [[f64; MAX_WIDTH]; MAX_WIDTH] = core::array::from_fn(|r| {
            core::array::from_fn(|c| {
                if r < subset.len() && c < E - 1 {
                    generators[subset[r]][columns[c]]
                } else {
                    0.0
                }
            })
        });
        let minor = determinant(&rows, E - 1);
        *x = if i % 2 == 0 { minor } else { -minor };
    }
    // Scaled by its largest entry: any scale bounds the same slab, and
    // core has no `f64::sqrt` for a unit length.
    let largest = n.iter().fold(0.0_f64, |m, x| m.max(x.abs()));
    (largest > 1e-300 && largest.is_finite()).then(|| n.map(|x| x / largest))
}

/// The determinant of the leading `size x size` block (`size <= 3`).
fn determinant(m: &[[f64; MAX_WIDTH]; MAX_WIDTH], size: usize) -> f64 {
    match size {
        0 => 1.0,
        1 => m[0][0],
        2 => m[0][0] * m[1][1] - m[0][1] * m[1][0],
        _ => {
            m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
        }
    }
}

/// The margin over one part, by the intervals of the MLP and head where
/// they settle it (they cost a fiftieth of the forms), else by the forms;
/// and the side to cut it across: the one the closest other logit's gap
/// moves most along.
fn part_margin<const E: usize, const Q: usize, const KV: usize, const V: usize>(
    kernel: &Kernel<E, Q, KV, V>,
    part: &[I; E],
    want: u8,
    forms: bool,
) -> (I, usize) {
    let logits = (kernel.stream_bounds)(part);
    let right = logits[want as usize];
    let (mut lo, mut hi) = (f32::INFINITY, f32::INFINITY);
    for (j, logit) in logits.iter().enumerate() {
        if j != want as usize && right.is_bounded() && logit.is_bounded() {
            let gap = R::rounded(
                f64::from(right.lo) - f64::from(logit.hi),
                f64::from(right.hi) - f64::from(logit.lo),
            );
            lo = lo.min(f32_down(gap.lo));
            hi = hi.min(f32_up(gap.hi));
        } else if j != want as usize {
            (lo, hi) = (f32::NEG_INFINITY, f32::INFINITY);
        }
    }
    if lo > 0.0 || hi < 0.0 || !forms {
        let widest = (0..E)
            .max_by(|&x, &y| (part[x].hi - part[x].lo).total_cmp(&(part[y].hi - part[y].lo)))
            .unwrap_or(0);
        return (I { lo, hi }, widest);
    }
    let inputs: [A; E] = core::array::from_fn(|d| A::input(part[d].lo, part[d].hi, d));
    let logits = (kernel.stream_forms)(&inputs);
    let right = &logits[want as usize];
    let (mut lo, mut hi, mut closest) = (f64::INFINITY, f64::INFINITY, want as usize);
    for (j, logit) in logits.iter().enumerate() {
        if j != want as usize {
            let gap = right.minus(logit);
            if gap.lo < lo {
                closest = j;
            }
            lo = lo.min(gap.lo);
            hi = hi.min(gap.hi);
        }
    }
    let along = (0..E)
        .max_by(|&x, &y| {
            let pull = |d: usize| (right.a[d] - logits[closest].a[d]).abs();
            pull(x).total_cmp(&pull(y))
        })
        .unwrap_or(0);
    if lo.is_nan() || hi.is_nan() {
        return (I::ANY, along);
    }
    (
        I {
            lo: f32_down(lo),
            hi: f32_up(hi),
        },
        along,
    )
}

/// The margin over the zone by parts of the stream's box, at most `parts`
/// of them bounded; `None` where the stream is too wide, its forms not
/// known, or the parts do not all settle the same way (then the zone's own
/// bound stands).
pub(super) fn by_stream<const E: usize, const Q: usize, const KV: usize, const V: usize>(
    kernel: &Kernel<E, Q, KV, V>,
    residual: &[I; E],
    zone: Zone<'_, Q>,
    want: u8,
    parts: usize,
) -> Option<I> {
    if parts == 0 || !(2..=MAX_WIDTH).contains(&E) || !zone.is_bounded() {
        return None;
    }
    // One layer: the residual stream at the last position is known.
    if residual.iter().any(|x| x.lo != x.hi) {
        return None;
    }
    let stream = (kernel.attention_forms)(&residual.map(|x| A::point(x.lo)), &zone.forms());
    let zonotope = Zonotope::new(&stream)?;
    let hull: [I; E] = core::array::from_fn(|d| {
        let range = stream[d].range();
        I::new(f32_down(range.lo), f32_up(range.hi))
    });
    if hull.iter().any(|x| !x.is_bounded()) {
        return None;
    }
    let mut stack = [([I::ANY; E], 0usize); DEPTH + 1];
    stack[0] = (hull, 0);
    let (mut top, mut bounded) = (1, 0);
    let (mut lo, mut hi) = (f32::INFINITY, f32::NEG_INFINITY);
    let mut signs = [false; 2];
    while top > 0 {
        top -= 1;
        let (part, depth) = stack[top];
        let Some(part) = zonotope.narrow(&part) else {
            continue;
        };
        bounded += 1;
        let (margin, along) = part_margin(kernel, &part, want, depth < FORMS_DEPTH);
        if margin.lo > 0.0 || margin.hi < 0.0 {
            signs[usize::from(margin.hi < 0.0)] = true;
            if signs[0] && signs[1] {
                return None;
            }
            lo = lo.min(margin.lo);
            hi = hi.max(margin.hi);
            continue;
        }
        let side = part[along];
        if bounded >= parts || depth == DEPTH || side.hi <= side.lo {
            return None;
        }
        let middle = (side.lo + (side.hi - side.lo) / 2.0).clamp(side.lo, side.hi);
        let (mut low, mut high) = (part, part);
        low[along] = I::new(side.lo, middle);
        high[along] = I::new(middle, side.hi);
        stack[top] = (low, depth + 1);
        stack[top + 1] = (high, depth + 1);
        top += 2;
    }
    // Every part the zonotope meets settled, all the same way. (Where it
    // meets none, nothing is concluded: the zone's own bound stands.)
    (bounded > 0).then_some(I { lo, hi })
}

#[cfg(test)]
mod tests;
