//! The search over local states: the interval bound of one state,
//! splitting, and the hunt for a wrong pair where it stays unsettled.

use super::hunt::Hunter;
use super::kernel::{BISECTIONS, BUDGET, Kernel, MAX_LEN, MAX_SPLITS, Unsettled};
use super::state::{Slot, Tables};
use crate::tokens::Position;
use crate::verify::interval::{self, I};

pub(super) struct Run<'k, const E: usize, const Q: usize, const KV: usize, const V: usize> {
    pub(super) kernel: &'k Kernel<E, Q, KV, V>,
    pub(super) states: usize,
    pub(super) unsettled: usize,
    pub(super) margin: f32,
    pub(super) worst: Option<Unsettled>,
    pub(super) per_step: [usize; 11],
    pub(super) hunter: Hunter<'k, E, Q, KV, V>,
}

impl<'k, const E: usize, const Q: usize, const KV: usize, const V: usize> Run<'k, E, Q, KV, V> {
    pub(super) fn new(kernel: &'k Kernel<E, Q, KV, V>) -> Self {
        Run {
            kernel,
            states: 0,
            unsettled: 0,
            margin: f32::INFINITY,
            worst: None,
            per_step: [0; 11],
            hunter: Hunter::new(kernel),
        }
    }

    /// Every state of step `k` whose last token is `last`.
    pub(super) fn step(&mut self, tables: &Tables<E, KV>, k: usize, last: u8) {
        let format = self.kernel.format;
        let places = |place: usize| if place < 10 { 0..10u8 } else { 0..1 };
        let below = k.saturating_sub(1);
        for ak in places(k) {
            for bk in places(k) {
                for ak1 in places(if k == 0 { 10 } else { below }) {
                    for bk1 in places(if k == 0 { 10 } else { below }) {
                        for carry in 0..if k >= 2 { 2 } else { 1 } {
                            let column = ak1 + bk1 + carry;
                            if k >= 1 && column % 10 != last {
                                continue;
                            }
                            let c_k = if k >= 1 { column / 10 } else { 0 };
                            let want = (ak + bk + c_k) % 10;
                            let mut slots = [Slot::Free; MAX_LEN];
                            for (p, slot) in slots.iter_mut().enumerate().take(tables.len) {
                                *slot = match format.position(p) {
                                    Position::Token(_) => Slot::Token(0),
                                    Position::A(i) if i == k => Slot::Digit(ak),
                                    Position::B(i) if i == k => Slot::Digit(bk),
                                    Position::A(i) if k >= 1 && i == k - 1 => Slot::Digit(ak1),
                                    Position::B(i) if k >= 1 && i == k - 1 => Slot::Digit(bk1),
                                    Position::Sum(j) if j + 1 == k => Slot::Digit(last),
                                    _ => Slot::Free,
                                };
                            }
                            let state = Unsettled {
                                step: k,
                                digits: [ak, bk, ak1, bk1],
                                carry,
                                margin: I::ANY,
                                free: 0,
                                heaviest: 0.0,
                            };
                            self.settle(tables, &mut slots, want, state, 0);
                            if self.hunter.refuted.is_some() {
                                return;
                            }
                        }
                    }
                }
            }
        }
    }

    /// Settles a state, splitting it where the bounds are too wide.
    fn settle(
        &mut self,
        tables: &Tables<E, KV>,
        slots: &mut [Slot; MAX_LEN],
        want: u8,
        state: Unsettled,
        depth: usize,
    ) {
        self.states += 1;
        let (margin, heaviest, weight) = self.bound(tables, slots, want);
        if margin.lo > 0.0 {
            self.margin = self.margin.min(margin.lo);
            return;
        }
        if let Some(p) = heaviest
            && depth < MAX_SPLITS
            && self.states < BUDGET
        {
            for t in 0..10 {
                slots[p] = Slot::Digit(t);
                self.settle(tables, slots, want, state, depth + 1);
                if self.hunter.refuted.is_some() {
                    break;
                }
            }
            slots[p] = Slot::Free;
            return;
        }
        self.unsettled += 1;
        self.per_step[state.step] += 1;
        let free = slots[..tables.len]
            .iter()
            .filter(|slot| **slot == Slot::Free)
            .count();
        let state = Unsettled {
            margin,
            free,
            heaviest: weight,
            ..state
        };
        if self.worst.is_none_or(|worst| margin.lo < worst.margin.lo) {
            self.worst = Some(state);
        }
        self.hunter.hunt(slots, tables.len, state);
    }

    /// The right logit minus the best other over the state, and the free
    /// position that may take the most attention.
    fn bound(
        &self,
        tables: &Tables<E, KV>,
        slots: &[Slot; MAX_LEN],
        want: u8,
    ) -> (I, Option<usize>, f32) {
        let (mixed, (heaviest, weight)) = self.mixed(tables, slots);
        let residual = tables.residual.map(I::point);
        let margin = self.margin(&residual, mixed, want, BISECTIONS);
        (margin, heaviest, weight.max(0.0))
    }

    /// The right logit minus the best other, for the heads' outputs in the
    /// box `mixed`: where the bound does not settle it, the box is cut in
    /// two across its widest side, up to `depth` times, and each half
    /// bounded alone (the halves cover the box, so the least of their
    /// bounds holds for it; a narrower box loses less to the twin's lack of
    /// correlation between its numbers).
    fn margin(&self, residual: &[I; E], mixed: [I; Q], want: u8, depth: usize) -> I {
        let logits = (self.kernel.logits)(residual, &mixed);
        let right = logits[want as usize];
        // The least gap to another logit: its bounds are the least bounds.
        let (mut lo, mut hi) = (f32::INFINITY, f32::INFINITY);
        for (j, logit) in logits.iter().enumerate() {
            if j != want as usize {
                let gap = right - *logit;
                lo = lo.min(gap.lo);
                hi = hi.min(gap.hi);
            }
        }
        let margin = I { lo, hi };
        let widest = (0..Q).max_by(|&x, &y| {
            let width = |i: usize| mixed[i].hi - mixed[i].lo;
            width(x).total_cmp(&width(y))
        });
        let Some(d) = widest.filter(|&d| mixed[d].hi > mixed[d].lo) else {
            return margin;
        };
        if margin.lo > 0.0 || depth == 0 || !mixed[d].is_bounded() {
            return margin;
        }
        let middle =
            (mixed[d].lo + (mixed[d].hi - mixed[d].lo) / 2.0).clamp(mixed[d].lo, mixed[d].hi);
        let (mut low, mut high) = (mixed, mixed);
        low[d] = I::new(mixed[d].lo, middle);
        high[d] = I::new(middle, mixed[d].hi);
        let first = self.margin(residual, low, want, depth - 1);
        if first.lo <= 0.0 {
            return first;
        }
        let second = self.margin(residual, high, want, depth - 1);
        I {
            lo: first.lo.min(second.lo),
            hi: first.hi.max(second.hi),
        }
    }

    /// The logits over the state (no bisection), for `logits_of`.
    pub(super) fn logits(&self, tables: &Tables<E, KV>, slots: &[Slot; MAX_LEN]) -> [I; V] {
        let (mixed, _) = self.mixed(tables, slots);
        (self.kernel.logits)(&tables.residual.map(I::point), &mixed)
    }

    /// The heads' outputs over the state, and the free position that may
    /// take the most attention, with that weight's upper bound.
    fn mixed(
        &self,
        tables: &Tables<E, KV>,
        slots: &[Slot; MAX_LEN],
    ) -> ([I; Q], (Option<usize>, f32)) {
        let kernel = self.kernel;
        let len = tables.len;
        let (hd, group) = (kernel.head_dim, kernel.n_head / kernel.n_kv_head);
        let hull = |table: &[f32; 10], slot: Slot| match slot {
            Slot::Token(_) => I::point(table[0]),
            Slot::Digit(d) => I::point(table[d as usize]),
            Slot::Free => table
                .iter()
                .fold(I::point(table[0]), |i, &x| i.hull(I::point(x))),
        };
        let mut mixed = [I::point(0.0); Q];
        let mut heaviest = (None, -1.0f32);
        for h in 0..kernel.n_head {
            let g = h / group;
            let mut scores = [I::point(0.0); MAX_LEN];
            let (mut lo, mut hi) = (f32::NEG_INFINITY, f32::NEG_INFINITY);
            for p in 0..len {
                scores[p] = hull(&tables.score[h][p], slots[p]);
                lo = lo.max(scores[p].lo);
                hi = hi.max(scores[p].hi);
            }
            let max = I::new(lo, hi);
            let mut sum = I::point(0.0);
            for score in scores.iter_mut().take(len) {
                *score = interval::expf(*score - max);
                sum = sum + *score;
            }
            for p in 0..len {
                let weight = scores[p] / sum;
                if slots[p] == Slot::Free && weight.hi > heaviest.1 {
                    heaviest = (Some(p), weight.hi);
                }
                for d in 0..hd {
                    let column = |t: usize| tables.value[p][t][g * hd + d];
                    let value = hull(&core::array::from_fn(column), slots[p]);
                    mixed[h * hd + d] = mixed[h * hd + d] + weight * value;
                }
            }
        }
        (mixed, heaviest)
    }
}
