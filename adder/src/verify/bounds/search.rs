//! The search over local states: the interval bound of one state,
//! splitting, and the hunt for a wrong pair where it stays unsettled.

use super::attention;
use super::certify::{Certificate, Local};
use super::deep;
use super::hunt::Hunter;
use super::kernel::{Kernel, MAX_LEN, STREAM_GATE, Unsettled};
use super::margin;
use super::oriented::{self, Zone};
use super::state::{Slot, Tables};
use super::stream;
use crate::tokens::Position;
use crate::verify::interval::I;

/// What the search concluded of a state.
#[derive(Clone, Copy)]
enum Status {
    /// The right digit in every context of it.
    Right = 0,
    /// A wrong digit in every context of it.
    Wrong = 1,
    /// Neither shown.
    Open = 2,
    /// No context is in it: its fixed digits contradict its carry.
    Empty = 3,
}

/// One run of the search over some steps' states, and what it found.
pub(super) struct Run<'k, const E: usize, const Q: usize, const KV: usize, const V: usize> {
    pub(super) kernel: &'k Kernel<E, Q, KV, V>,
    pub(super) states: usize,
    pub(super) unsettled: usize,
    pub(super) margin: f32,
    pub(super) worst: Option<Unsettled>,
    pub(super) per_step: [usize; 11],
    pub(super) hunter: Hunter<'k, E, Q, KV, V>,
    pub(super) certificate: Certificate,
    effort: Effort,
}

/// How hard a run works on each state.
#[derive(Clone, Copy)]
pub(super) struct Effort {
    /// Evaluations one state may take, its splits included.
    pub(super) budget: usize,
    /// How many times one evaluation may cut the box of the heads'
    /// outputs (and each half again).
    pub(super) cuts: usize,
    /// The most parts of the residual stream after the attention one
    /// evaluation bounds the rest of the model over (0: none).
    pub(super) stream_parts: usize,
}

impl<'k, const E: usize, const Q: usize, const KV: usize, const V: usize> Run<'k, E, Q, KV, V> {
    /// A run that works on each state as hard as `effort` says.
    pub(super) fn new(kernel: &'k Kernel<E, Q, KV, V>, seed: u64, effort: Effort) -> Self {
        Run {
            kernel,
            states: 0,
            unsettled: 0,
            margin: f32::INFINITY,
            worst: None,
            per_step: [0; 11],
            hunter: Hunter::new(kernel, seed),
            certificate: Certificate::new(),
            effort,
        }
    }

    /// Takes a later pass's findings over the states this one left open:
    /// what is still open is the later pass's to say.
    pub(super) fn follow(&mut self, later: &Self) {
        let states = self.states;
        self.unsettled = 0;
        self.worst = None;
        self.per_step = [0; 11];
        self.states = 0;
        self.absorb(later);
        self.states += states;
    }

    /// Takes another run's findings, over other states.
    pub(super) fn absorb(&mut self, other: &Self) {
        self.states += other.states;
        self.unsettled += other.unsettled;
        self.margin = self.margin.min(other.margin);
        if let Some(theirs) = other.worst
            && self
                .worst
                .is_none_or(|mine| theirs.margin.lo < mine.margin.lo)
        {
            self.worst = Some(theirs);
        }
        for (mine, theirs) in self.per_step.iter_mut().zip(other.per_step) {
            *mine += theirs;
        }
        self.hunter.absorb(&other.hunter);
        self.certificate.merge(&other.certificate);
    }

    /// Every state of step `k` whose last token is `last`, but those an
    /// earlier pass settled (`done`).
    pub(super) fn step(
        &mut self,
        tables: &Tables<E, Q, KV>,
        k: usize,
        last: u8,
        done: Option<&Certificate>,
    ) {
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
                                fixed: [None; 3],
                            };
                            let local = Local {
                                step: k,
                                digits: state.digits,
                                carry,
                            };
                            if done.is_some_and(|done| done.is_settled(local)) {
                                continue;
                            }
                            match self.settle(tables, &mut slots, want, state, &mut 0, 0) {
                                Status::Right => self.certificate.settle_right(local),
                                Status::Wrong => self.certificate.settle_wrong(local),
                                Status::Open | Status::Empty => {}
                            }
                        }
                    }
                }
            }
        }
    }

    /// Settles a state, splitting it where the bounds are too wide and
    /// the state's budget allows: right in every context, certainly wrong
    /// in every context, or open.
    fn settle(
        &mut self,
        tables: &Tables<E, Q, KV>,
        slots: &mut [Slot; MAX_LEN],
        want: u8,
        state: Unsettled,
        spent: &mut usize,
        depth: usize,
    ) -> Status {
        self.states += 1;
        *spent += 1;
        let (margin, heaviest, weight) = self.bound(tables, slots, want);
        if margin.lo > 0.0 {
            self.margin = self.margin.min(margin.lo);
            return Status::Right;
        }
        if margin.hi >= 0.0
            && let Some(p) = heaviest
            && 10usize.pow(depth as u32 + 1) <= self.effort.budget
            && *spent + 10 <= self.effort.budget
        {
            let mut parts = [0usize; 4];
            for t in 0..10 {
                slots[p] = Slot::Digit(t);
                let mut inner = state;
                if let Some(place) = inner.fixed.get_mut(depth) {
                    *place = Some((p, t));
                }
                let status = if self.realisable(slots, tables.len, &inner) {
                    self.settle(tables, slots, want, inner, spent, depth + 1)
                } else {
                    Status::Empty
                };
                parts[status as usize] += 1;
            }
            slots[p] = Slot::Free;
            // The contexts of the state are those of its parts that have any.
            return match parts {
                [_, 0, 0, _] => Status::Right,
                [0, _, 0, _] => Status::Wrong,
                _ => Status::Open,
            };
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
        if margin.hi < 0.0 {
            Status::Wrong
        } else {
            Status::Open
        }
    }

    /// Whether some pair's context lies in the state: its digits below
    /// place `k - 1` can make its carry into `k - 1`, and each answer digit
    /// fixed below `k - 1` is one its place's fixed digits can give.
    fn realisable(&self, slots: &[Slot; MAX_LEN], len: usize, state: &Unsettled) -> bool {
        let k = state.step;
        if k < 2 {
            return true;
        }
        let place_of = |p: usize| match self.kernel.format.position(p) {
            Position::A(i) => Some((i, 0)),
            Position::B(i) => Some((i, 1)),
            Position::Sum(j) => Some((j, 2)),
            Position::Token(_) => None,
        };
        // Per place below k - 1: the digits of a, b and the answer, if fixed.
        let mut known = [[None; 3]; 10];
        for (p, slot) in slots.iter().enumerate().take(len) {
            if let (Slot::Digit(d), Some((place, which))) = (*slot, place_of(p))
                && place + 1 < k
            {
                known[place][which] = Some(u64::from(d));
            }
        }
        let (mut least, mut most) = (0u64, 0u64);
        for (place, [a, b, sum]) in known.iter().enumerate().take(k - 1) {
            let unit = 10u64.pow(place as u32);
            least += (a.unwrap_or(0) + b.unwrap_or(0)) * unit;
            most += (a.unwrap_or(9) + b.unwrap_or(9)) * unit;
            if let (Some(a), Some(b), Some(sum)) = (a, b, sum)
                && (a + b) % 10 != *sum
                && (a + b + 1) % 10 != *sum
            {
                return false;
            }
        }
        let top = 10u64.pow(k as u32 - 1);
        if state.carry == 1 {
            most >= top
        } else {
            least < top
        }
    }

    /// The right logit minus the best other over the state, and the free
    /// position that may take the most attention.
    pub(super) fn bound(
        &self,
        tables: &Tables<E, Q, KV>,
        slots: &[Slot; MAX_LEN],
        want: u8,
    ) -> (I, Option<usize>, f32) {
        let kernel = self.kernel;
        let (residual, mut mixed, (heaviest, weight)) = self.enclose(tables, slots);
        // Cheapest first: the hulls by intervals (exact where the attention
        // is sharp), then the coupled attention by intervals, then by
        // affine forms, cut where they come close.
        let mut bound = margin::by_intervals(kernel, &residual, mixed, want, 0);
        if bound.lo <= 0.0 && bound.hi >= 0.0 && kernel.deep.is_empty() {
            attention::coupled(kernel, tables, slots, &mut mixed);
            let coupled = margin::by_intervals(kernel, &residual, mixed, want, 0);
            bound = meet(bound, coupled);
        }
        if bound.lo <= 0.0 && bound.hi >= 0.0 {
            let frame = if kernel.deep.is_empty() {
                oriented::oriented(kernel, tables, slots, &mixed)
            } else {
                None
            };
            let axes = Zone::axes(mixed);
            let zone = match &frame {
                // The oriented box where the attention has one; the box's
                // own forms where they bound the margin tighter.
                Some((frame, sides)) => {
                    let oriented = Zone {
                        mixed,
                        sides: *sides,
                        frame: Some(frame),
                    };
                    let uncut =
                        |zone| margin::by_forms(kernel, &residual, zone, want, 0).unwrap_or(I::ANY);
                    let tilted = uncut(oriented);
                    bound = meet(bound, tilted);
                    if settled(bound) {
                        return (bound, heaviest, weight.max(0.0));
                    }
                    let square = uncut(axes);
                    bound = meet(bound, square);
                    if tilted.lo >= square.lo {
                        oriented
                    } else {
                        axes
                    }
                }
                None => axes,
            };
            if !settled(bound)
                && let Some(forms) =
                    margin::by_forms(kernel, &residual, zone, want, self.effort.cuts)
            {
                bound = meet(bound, forms);
            }
            if !settled(bound)
                && kernel.deep.is_empty()
                && self.effort.stream_parts > 0
                && near_settled(bound)
                && let Some(parts) =
                    stream::by_stream(kernel, &residual, zone, want, self.effort.stream_parts)
            {
                bound = meet(bound, parts);
            }
        }
        (bound, heaviest, weight.max(0.0))
    }

    /// The residual stream at the last position and the heads' outputs
    /// of the last layer there, over the state (by the hulls, for one
    /// layer); the free position that may take the most attention.
    fn enclose(
        &self,
        tables: &Tables<E, Q, KV>,
        slots: &[Slot; MAX_LEN],
    ) -> ([I; E], [I; Q], (Option<usize>, f32)) {
        if self.kernel.deep.is_empty() {
            let (mixed, heaviest) = attention::hulls(self.kernel, tables, slots);
            (tables.residual.map(I::point), mixed, heaviest)
        } else {
            deep::enclose(self.kernel, &tables.below, &tables.value, slots, tables.len)
        }
    }

    /// The logits over the state (no bisection), for `logits_of`.
    pub(super) fn logits(&self, tables: &Tables<E, Q, KV>, slots: &[Slot; MAX_LEN]) -> [I; V] {
        let (residual, mut mixed, _) = self.enclose(tables, slots);
        if self.kernel.deep.is_empty() {
            attention::coupled(self.kernel, tables, slots, &mut mixed);
        }
        (self.kernel.logits)(&residual, &mixed)
    }
}

/// Whether a margin's bound settles its state, right or wrong.
fn settled(margin: I) -> bool {
    margin.lo > 0.0 || margin.hi < 0.0
}

/// Whether 0 lies within [`STREAM_GATE`] of the bound's width from one
/// of its ends: the states the stream's parts mostly settle.
fn near_settled(margin: I) -> bool {
    (-margin.lo).min(margin.hi) < STREAM_GATE * (margin.hi - margin.lo)
}

/// Two bounds of one quantity, intersected (both hold it).
fn meet(a: I, b: I) -> I {
    I::new(a.lo.max(b.lo), a.hi.min(b.hi))
}
