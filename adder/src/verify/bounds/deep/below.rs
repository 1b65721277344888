//! Layer 0 at every position of a step's contexts: its keys, values and
//! queries exact per token, its attention enclosed by hulls, a free
//! position that weighs heavily fixed to each digit in turn, and the
//! enclosures a state asks for kept for the next state that asks.

use core::cell::OnceCell;
#[cfg(feature = "std")]
use core::cell::RefCell;
#[cfg(feature = "std")]
use std::collections::BTreeMap;

use super::super::kernel::{Kernel, MAX_HEADS, MAX_LEN};
use super::super::state::{Slot, choices, score};
use super::twins::{key_value, mix, rest};
use crate::verify::interval::I;

/// A weight that, over every context of a step, stays below this is not
/// worth enclosing a position again for.
const NEGLIGIBLE: f32 = 1e-6;

/// A free position that may take this much of a head's attention at a
/// position is fixed to each digit in turn there.
const HEAVY: f32 = 0.01;
/// How many free positions in turn, at most, for a state's enclosure.
const SPLITS: usize = 2;
/// And for the step's (every digit free), which the last layer weighs
/// little wherever a state's does not replace it: once (measured: twice
/// took `bingbangboom_87`'s verdict from 14 s to 28 s, for a least margin
/// 5 times smaller).
const STEP_SPLITS: usize = 1;

/// Layer 0 at every position of one step's contexts.
pub(in super::super) struct Below<const E: usize, const Q: usize, const KV: usize> {
    /// Per position and token (index 0 for a format token): the embedding.
    embedded: [[[f32; E]; 10]; MAX_LEN],
    /// Its query and key.
    query: [[[f32; Q]; 10]; MAX_LEN],
    key: [[[f32; KV]; 10]; MAX_LEN],
    /// The step's contexts: every digit free but the last position's.
    step: [Slot; MAX_LEN],
    /// Per position, once asked: layer 0 there over every context of the
    /// step.
    loose: [OnceCell<Loose<E, KV>>; MAX_LEN],
    /// The enclosures [`Self::tight`] computed, by position and slots.
    #[cfg(feature = "std")]
    kept: RefCell<BTreeMap<Kept, Enclosed<E>>>,
}

/// Layer 0 at a position over every context of a step.
pub(super) struct Loose<const E: usize, const KV: usize> {
    /// The residual stream after it.
    pub(super) x: [I; E],
    /// Its key and value in layer 1.
    pub(super) kv: ([I; KV], [I; KV]),
    /// The positions its attention may weigh above [`NEGLIGIBLE`] in some
    /// context of the step, a bit each.
    pub(super) reads: u64,
}

/// A position, and what the positions up to it hold (a digit, 10 for any,
/// 11 for a format token).
#[cfg(feature = "std")]
type Kept = (usize, [u8; MAX_LEN]);
/// A residual stream's enclosure, and the free position weighed most.
#[cfg(feature = "std")]
type Enclosed<const E: usize> = ([I; E], (Option<usize>, f32));

impl<const E: usize, const Q: usize, const KV: usize> Below<E, Q, KV> {
    /// Nothing: for a model of one layer.
    pub(in super::super) fn empty() -> Self {
        Below {
            embedded: [[[0.0; E]; 10]; MAX_LEN],
            query: [[[0.0; Q]; 10]; MAX_LEN],
            key: [[[0.0; KV]; 10]; MAX_LEN],
            step: [Slot::Free; MAX_LEN],
            loose: [const { OnceCell::new() }; MAX_LEN],
            #[cfg(feature = "std")]
            kept: RefCell::new(BTreeMap::new()),
        }
    }

    /// Layer 0 of a step of `len` positions whose tokens are `tokens`
    /// (each position's first, as the step's tables hold them: the last
    /// position's, a format token's, or digit 0).
    pub(in super::super) fn new<const V: usize>(
        kernel: &Kernel<E, Q, KV, V>,
        tokens: &[[u8; 10]; MAX_LEN],
        counts: &[usize; MAX_LEN],
        len: usize,
    ) -> Self {
        let mut below = Self::empty();
        for p in 0..len {
            for (t, &token) in tokens[p].iter().enumerate().take(counts[p]) {
                let x = (kernel.embed)(token as usize, p);
                below.embedded[p][t] = x;
                below.query[p][t] = (kernel.query_at)(&x, p);
                below.key[p][t] = (kernel.key_at)(&x, p);
            }
        }
        for (p, slot) in below.step.iter_mut().enumerate().take(len) {
            if counts[p] == 1 || p + 1 == len {
                *slot = Slot::Token(0);
            }
        }
        below
    }

    /// Layer 0 at position `p` over every context of the step: it holds
    /// for every state of the step.
    pub(super) fn loose<const V: usize>(
        &self,
        kernel: &Kernel<E, Q, KV, V>,
        values: &[[[f32; KV]; 10]; MAX_LEN],
        p: usize,
    ) -> &Loose<E, KV> {
        self.loose[p].get_or_init(|| {
            let (x, reads, _) = self.at(kernel, values, &self.step, p, STEP_SPLITS);
            Loose {
                x,
                kv: key_value(kernel, 0, &x, p),
                reads,
            }
        })
    }

    /// Layer 0 at position `p` where `slots` fix every digit up to it: the
    /// code's own residual stream, as a point.
    pub(super) fn known<const V: usize>(
        &self,
        kernel: &Kernel<E, Q, KV, V>,
        values: &[[[f32; KV]; 10]; MAX_LEN],
        slots: &[Slot; MAX_LEN],
        p: usize,
    ) -> Option<[I; E]> {
        let known = slots[..=p].iter().all(|slot| *slot != Slot::Free);
        known.then(|| self.at(kernel, values, slots, p, 0).0)
    }

    /// The residual stream after layer 0 at position `p` over the contexts
    /// of `slots` with every position `p` does not read (`reads`) freed, so
    /// that one enclosure serves every state that fixes the same digits
    /// where it reads (kept, with `std`); the free position it may weigh
    /// most, and that weight.
    pub(super) fn tight<const V: usize>(
        &self,
        kernel: &Kernel<E, Q, KV, V>,
        values: &[[[f32; KV]; 10]; MAX_LEN],
        slots: &[Slot; MAX_LEN],
        p: usize,
    ) -> ([I; E], (Option<usize>, f32)) {
        let mut freed = [Slot::Free; MAX_LEN];
        let mut key = [u8::MAX; MAX_LEN];
        let reads = self.loose(kernel, values, p).reads;
        for q in 0..=p {
            let read = q == p || reads & (1 << q) != 0;
            freed[q] = match slots[q] {
                Slot::Digit(_) if !read => Slot::Free,
                slot => slot,
            };
            key[q] = match freed[q] {
                Slot::Digit(d) => d,
                Slot::Free => 10,
                Slot::Token(_) => 11,
            };
        }
        #[cfg(feature = "std")]
        if let Some(&found) = self.kept.borrow().get(&(p, key)) {
            return found;
        }
        let (x, _, heaviest) = self.at(kernel, values, &freed, p, SPLITS);
        #[cfg(feature = "std")]
        self.kept.borrow_mut().insert((p, key), (x, heaviest));
        let _ = key;
        (x, heaviest)
    }

    /// The residual stream after layer 0 at position `p` over the contexts
    /// of `slots`, the free position it may weigh most fixed to each digit
    /// in turn where that weight may reach [`HEAVY`] (`depth` times); the
    /// positions its attention may weigh above [`NEGLIGIBLE`]; and the free
    /// one it may weigh most, with that weight.
    fn at<const V: usize>(
        &self,
        kernel: &Kernel<E, Q, KV, V>,
        values: &[[[f32; KV]; 10]; MAX_LEN],
        slots: &[Slot; MAX_LEN],
        p: usize,
        depth: usize,
    ) -> ([I; E], u64, (Option<usize>, f32)) {
        let whole = self.unsplit(kernel, values, slots, p);
        let (_, reads, heaviest) = whole;
        let Some(q) = heaviest.0 else { return whole };
        if depth == 0 || heaviest.1 < HEAVY {
            return whole;
        }
        let mut parts = *slots;
        let mut x: Option<[I; E]> = None;
        for d in 0..10 {
            parts[q] = Slot::Digit(d);
            let (part, _, _) = self.at(kernel, values, &parts, p, depth - 1);
            x = Some(match x {
                None => part,
                Some(before) => core::array::from_fn(|i| before[i].hull(part[i])),
            });
        }
        // The parts cover the whole: their hull holds it, and so does the
        // whole's own bound.
        let x = x.map_or(whole.0, |x| {
            core::array::from_fn(|i| x[i].within(whole.0[i].lo, whole.0[i].hi))
        });
        (x, reads, heaviest)
    }

    /// [`Self::at`] without fixing a digit.
    fn unsplit<const V: usize>(
        &self,
        kernel: &Kernel<E, Q, KV, V>,
        values: &[[[f32; KV]; 10]; MAX_LEN],
        slots: &[Slot; MAX_LEN],
        p: usize,
    ) -> ([I; E], u64, (Option<usize>, f32)) {
        let n_head = kernel.n_head;
        let group = n_head / kernel.n_kv_head;
        let mut out: Option<[I; E]> = None;
        let mut reads = 0u64;
        let mut heaviest = (None, -1.0f32);
        for t in choices(slots[p]) {
            let query = &self.query[p][t];
            let mut scores = [[I::point(0.0); MAX_LEN]; MAX_HEADS];
            let mut mixed_values = [[I::point(0.0); KV]; MAX_LEN];
            for q in 0..=p {
                let own = if q == p { t..t + 1 } else { choices(slots[q]) };
                for (h, row) in scores.iter_mut().enumerate().take(n_head) {
                    let g = h / group;
                    let mut hull: Option<I> = None;
                    for u in own.clone() {
                        let s = I::point(score(kernel, query, &self.key[q][u], h, g));
                        hull = Some(hull.map_or(s, |i| i.hull(s)));
                    }
                    row[q] = hull.unwrap_or(I::ANY);
                }
                for d in 0..KV {
                    let mut hull: Option<I> = None;
                    for u in own.clone() {
                        let v = I::point(values[q][u][d]);
                        hull = Some(hull.map_or(v, |i| i.hull(v)));
                    }
                    mixed_values[q][d] = hull.unwrap_or(I::ANY);
                }
            }
            let (mixed, weights) = mix(kernel, &scores, &mixed_values, p + 1);
            for row in weights.iter().take(n_head) {
                for (q, w) in row.iter().enumerate().take(p + 1) {
                    if w.hi > NEGLIGIBLE {
                        reads |= 1 << q;
                    }
                    if q != p && slots[q] == Slot::Free && w.hi > heaviest.1 {
                        heaviest = (Some(q), w.hi);
                    }
                }
            }
            let x = rest(kernel, &self.embedded[p][t], &mixed);
            out = Some(match out {
                None => x,
                Some(before) => core::array::from_fn(|i| before[i].hull(x[i])),
            });
        }
        (out.unwrap_or([I::ANY; E]), reads, heaviest)
    }
}
