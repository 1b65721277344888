//! The hunt for a pair `checked_add` gets wrong, in the states the bounds
//! could not settle: random pairs in every state as it is found, then, for
//! the states whose margin may be lowest, a descent on the model's own
//! margin, one free digit at a time. A pair counts only once `checked_add`
//! has got it wrong.

use super::kernel::{Kernel, MAX_LEN, Unsettled};
use super::state::Slot;
use crate::tokens::{Position, argmax};

/// Random pairs tried in each unsettled state as it is found, and how
/// many states get them.
const TRIES: usize = 64;
const SEARCHED: usize = 24;
/// Unsettled states kept for the descent: those whose margin has the
/// lowest upper bound (the likeliest to be wrong somewhere).
const HUNTED: usize = 64;
/// Fresh starts of the descent in one state, and its passes over the free
/// digits.
const STARTS: usize = 4;
const SWEEPS: usize = 4;

/// An unsettled state: what is known of it and which digits it fixes.
#[derive(Clone, Copy)]
pub(super) struct Quarry {
    state: Unsettled,
    slots: [Slot; MAX_LEN],
    len: usize,
}

/// The [`HUNTED`] unsettled states with the lowest upper bounds.
struct Pool {
    quarries: [Option<Quarry>; HUNTED],
}

impl Pool {
    const fn new() -> Self {
        Pool {
            quarries: [None; HUNTED],
        }
    }

    /// Keeps the state if its margin's upper bound is among the lowest.
    fn offer(&mut self, quarry: Quarry) {
        let high = |q: &Option<Quarry>| q.map_or(f32::INFINITY, |q| q.state.margin.hi);
        let mut slot = 0;
        for i in 1..HUNTED {
            if self.quarries[i].is_none() || high(&self.quarries[i]) > high(&self.quarries[slot]) {
                slot = i;
            }
            if self.quarries[slot].is_none() {
                break;
            }
        }
        if self.quarries[slot].is_none() || quarry.state.margin.hi < high(&self.quarries[slot]) {
            self.quarries[slot] = Some(quarry);
        }
    }
}

/// The hunt of one model: what it has tried, and the pair it found.
pub(super) struct Hunter<'k, const E: usize, const Q: usize, const KV: usize, const V: usize> {
    kernel: &'k Kernel<E, Q, KV, V>,
    /// States that got random pairs so far.
    searched: usize,
    /// The splitmix64 stream of the random digits.
    rng: u64,
    pool: Pool,
    /// A pair `checked_add` gets wrong, and what it returned.
    pub(super) refuted: Option<(u64, u64, Option<u64>)>,
}

impl<'k, const E: usize, const Q: usize, const KV: usize, const V: usize> Hunter<'k, E, Q, KV, V> {
    /// A hunter whose random digits start from `seed`.
    pub(super) const fn new(kernel: &'k Kernel<E, Q, KV, V>, seed: u64) -> Self {
        Hunter {
            kernel,
            searched: 0,
            rng: seed,
            pool: Pool::new(),
            refuted: None,
        }
    }

    /// Takes another hunter's pool and pair: the first pair found stays.
    pub(super) fn absorb(&mut self, other: &Self) {
        if self.refuted.is_none() {
            self.refuted = other.refuted;
        }
        for quarry in other.pool.quarries.iter().flatten() {
            self.pool.offer(*quarry);
        }
    }

    /// Hunts in a state just found unsettled: random pairs at once (the
    /// first states only), and a place in the pool for the descent.
    pub(super) fn hunt(&mut self, slots: &[Slot; MAX_LEN], len: usize, state: Unsettled) {
        if self.refuted.is_some() {
            return;
        }
        if self.searched < SEARCHED {
            self.searched += 1;
            for _ in 0..TRIES {
                let (x, y) = self.pair(slots, len);
                let k = state.step;
                let low = 10u64.pow(k.saturating_sub(1) as u32);
                let carry = u8::from(k >= 2 && x % low + y % low >= low);
                if carry == state.carry && self.confirm(x, y) {
                    return;
                }
            }
        }
        self.pool.offer(Quarry {
            state,
            slots: *slots,
            len,
        });
    }

    /// The descent in every state of the pool, until a pair is wrong.
    pub(super) fn descend(&mut self) {
        let quarries = self.pool.quarries;
        for quarry in quarries.iter().flatten() {
            for _ in 0..STARTS {
                let (mut first, mut second) = self.pair(&quarry.slots, quarry.len);
                let mut best = margin(self.kernel, first, second, quarry.state.step);
                for _ in 0..SWEEPS {
                    let before = best;
                    for (p, slot) in quarry.slots.iter().enumerate().take(quarry.len) {
                        let (place, of_a) = match (*slot, self.kernel.format.position(p)) {
                            (Slot::Free, Position::A(place)) => (place, true),
                            (Slot::Free, Position::B(place)) => (place, false),
                            _ => continue,
                        };
                        for digit in 0..10 {
                            let pair = if of_a {
                                (with_digit(first, place, digit), second)
                            } else {
                                (first, with_digit(second, place, digit))
                            };
                            let tried = margin(self.kernel, pair.0, pair.1, quarry.state.step);
                            if tried.0 < best.0 || tried.1 {
                                (first, second, best) = (pair.0, pair.1, tried);
                            }
                            if best.1 {
                                break;
                            }
                        }
                        if best.1 {
                            break;
                        }
                    }
                    if best.1 || best.0 >= before.0 {
                        break;
                    }
                }
                if best.1 && self.confirm(first, second) {
                    return;
                }
            }
        }
    }

    /// Whether `checked_add` gets the pair wrong; if so, the run is refuted.
    fn confirm(&mut self, x: u64, y: u64) -> bool {
        let sum = (self.kernel.checked_add)(x, y);
        if sum != Some(x + y) {
            self.refuted = Some((x, y, sum));
        }
        self.refuted.is_some()
    }

    /// A pair with the state's digits and random others.
    fn pair(&mut self, slots: &[Slot; MAX_LEN], len: usize) -> (u64, u64) {
        let mut digits = [[0u8; 10]; 2];
        for digit in digits.iter_mut().flatten() {
            *digit = self.digit();
        }
        for (p, slot) in slots.iter().enumerate().take(len) {
            if let Slot::Digit(digit) = *slot {
                match self.kernel.format.position(p) {
                    Position::A(place) => digits[0][place] = digit,
                    Position::B(place) => digits[1][place] = digit,
                    _ => {}
                }
            }
        }
        let number = |digits: &[u8; 10]| {
            digits
                .iter()
                .rev()
                .fold(0u64, |n, &digit| n * 10 + u64::from(digit))
        };
        (number(&digits[0]), number(&digits[1]))
    }

    /// A digit from a splitmix64 stream.
    fn digit(&mut self) -> u8 {
        self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % 10) as u8
    }
}

/// `n` with its digit at `place` replaced.
fn with_digit(n: u64, place: usize, digit: u8) -> u64 {
    let unit = 10u64.pow(place as u32);
    n - n / unit % 10 * unit + u64::from(digit) * unit
}

/// The model's own margin at step `k` of `x + y` after the right digits
/// (the right logit minus the best other), and whether it writes a wrong
/// digit there.
fn margin<const E: usize, const Q: usize, const KV: usize, const V: usize>(
    kernel: &Kernel<E, Q, KV, V>,
    x: u64,
    y: u64,
    k: usize,
) -> (f32, bool) {
    let prompt_len = kernel.format.prompt_len();
    let mut tokens: [u8; MAX_LEN] = kernel.format.sequence(x, y);
    let sum = x + y;
    for j in 0..k {
        tokens[prompt_len + j] = (sum / 10u64.pow(j as u32) % 10) as u8;
    }
    let logits = (kernel.step_logits)(&tokens[..prompt_len + k]);
    let want = (sum / 10u64.pow(k as u32) % 10) as usize;
    let best_other = (0..V)
        .filter(|&j| j != want)
        .fold(f32::NEG_INFINITY, |m, j| m.max(logits[j]));
    (logits[want] - best_other, argmax(&logits) != want)
}
