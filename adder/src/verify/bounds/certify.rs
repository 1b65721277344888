//! A certified accuracy over all 10^20 pairs, from what the search settled.
//!
//! A pair is right if at every step `k` its local state (the digits at
//! places `k` and `k - 1` and the carry into `k - 1`) was settled: by
//! induction the digits before `k` are right, so the context is one the
//! state encloses. A pair is wrong if at some step its local state is
//! certainly wrong (the right logit below another in every context of the
//! state): either an earlier digit was already wrong, or the context is one
//! of the state's and this digit is. The counts run over the places from
//! the least significant up, with the digits of the last place and the
//! carry into it as the state of the count: exact integers, no sampling.

use core::fmt;

/// States over the 11 steps: `k`, `a_k`, `b_k`, `a_k-1`, `b_k-1`, carry.
const STATES: usize = 11 * 10 * 10 * 10 * 10 * 2;
const WORDS: usize = STATES.div_ceil(64);
/// All operand pairs.
const PAIRS: u128 = 100_000_000_000_000_000_000;

/// One local state of one step, as the search enumerates it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Local {
    pub(crate) step: usize,
    /// `a_k, b_k, a_{k-1}, b_{k-1}`.
    pub(crate) digits: [u8; 4],
    pub(crate) carry: u8,
}

impl Local {
    fn index(self) -> usize {
        let [ak, bk, ak1, bk1] = self.digits.map(usize::from);
        ((((self.step * 10 + ak) * 10 + bk) * 10 + ak1) * 10 + bk1) * 2 + usize::from(self.carry)
    }
}

/// Every local state of a step, as the search enumerates them: place `k`
/// (none at step 10), place `k - 1` (none at step 0), the carry into
/// `k - 1` (0 below step 2).
pub(crate) fn states(step: usize) -> impl Iterator<Item = Local> {
    let top = if step == 10 { 1 } else { 10 };
    let below = if step == 0 { 1 } else { 10 };
    let carries = if step >= 2 { 2 } else { 1 };
    (0..top * top * below * below * carries).map(move |i| Local {
        step,
        digits: [
            (i / (top * below * below * carries)) as u8,
            (i / (below * below * carries) % top) as u8,
            (i / (below * carries) % below) as u8,
            (i / carries % below) as u8,
        ],
        carry: (i % carries) as u8,
    })
}

/// Which local states are settled right, and which certainly wrong.
#[derive(Clone)]
pub(crate) struct Certificate {
    right: [u64; WORDS],
    wrong: [u64; WORDS],
}

impl Certificate {
    // `no_std`: no heap; 55 KB, one per job of the search.
    #[allow(clippy::large_stack_arrays)]
    pub(crate) const fn new() -> Self {
        Certificate {
            right: [0; WORDS],
            wrong: [0; WORDS],
        }
    }

    pub(crate) fn settle_right(&mut self, state: Local) {
        let i = state.index();
        self.right[i / 64] |= 1 << (i % 64);
    }

    pub(crate) fn settle_wrong(&mut self, state: Local) {
        let i = state.index();
        self.wrong[i / 64] |= 1 << (i % 64);
    }

    /// Whether the state is settled either way.
    pub(super) fn is_settled(&self, state: Local) -> bool {
        self.is_right(state) || self.is_wrong(state)
    }

    fn is_right(&self, state: Local) -> bool {
        let i = state.index();
        self.right[i / 64] >> (i % 64) & 1 == 1
    }

    fn is_wrong(&self, state: Local) -> bool {
        let i = state.index();
        self.wrong[i / 64] >> (i % 64) & 1 == 1
    }

    /// Both sets of another run over disjoint states.
    pub(super) fn merge(&mut self, other: &Certificate) {
        for (mine, theirs) in self.right.iter_mut().zip(&other.right) {
            *mine |= theirs;
        }
        for (mine, theirs) in self.wrong.iter_mut().zip(&other.wrong) {
            *mine |= theirs;
        }
    }

    /// How many pairs are certainly right, and certainly wrong.
    pub(crate) fn count(&self) -> Certified {
        let right = pairs(|state| self.is_right(state));
        let not_wrong = pairs(|state| !self.is_wrong(state));
        Certified {
            right,
            wrong: PAIRS - not_wrong,
        }
    }
}

/// The pairs all of whose 11 local states pass `ok`.
fn pairs(ok: impl Fn(Local) -> bool) -> u128 {
    // count[a][b][c]: ways to choose the digits below the current place
    // `k - 1`, its digits being `a`, `b` and the carry into it `c`, with
    // every step so far passing.
    let mut count = [[[0u128; 2]; 10]; 10];
    for a in 0..10u8 {
        for b in 0..10u8 {
            let state = Local {
                step: 0,
                digits: [a, b, 0, 0],
                carry: 0,
            };
            count[a as usize][b as usize][0] = u128::from(ok(state));
        }
    }
    for step in 1..=10 {
        let mut next = [[[0u128; 2]; 10]; 10];
        let top = if step == 10 { 1 } else { 10 };
        for (a1, row) in count.iter().enumerate() {
            for (b1, carries) in row.iter().enumerate() {
                for (c1, &ways) in carries.iter().enumerate() {
                    if ways == 0 {
                        continue;
                    }
                    let carry = (a1 + b1 + c1) / 10;
                    for (a, column) in next.iter_mut().enumerate().take(top) {
                        for (b, ways_out) in column.iter_mut().enumerate().take(top) {
                            let state = Local {
                                step,
                                digits: [a as u8, b as u8, a1 as u8, b1 as u8],
                                carry: c1 as u8,
                            };
                            if ok(state) {
                                ways_out[carry] += ways;
                            }
                        }
                    }
                }
            }
        }
        count = next;
    }
    count.iter().flatten().flatten().sum()
}

/// A proven interval of a model's accuracy over all 10^20 pairs: at least
/// `right` pairs right and at least `wrong` wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Certified {
    /// Pairs certainly right.
    pub right: u128,
    /// Pairs certainly wrong.
    pub wrong: u128,
}

impl Certified {
    /// Every pair right.
    pub const ALL: Certified = Certified {
        right: PAIRS,
        wrong: 0,
    };

    /// Nothing certified.
    pub const NONE: Certified = Certified { right: 0, wrong: 0 };

    /// Whether the count is exact: every pair is either.
    #[must_use]
    pub const fn is_exact(&self) -> bool {
        self.right + self.wrong == PAIRS
    }
}

impl fmt::Display for Certified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Percentages rounded outward, to 4 decimals: 10^20 / 10^6 pairs a unit.
        let unit = PAIRS / 1_000_000;
        let low = self.right / unit;
        let high = (PAIRS - self.wrong).div_ceil(unit);
        let percent = |units: u128| (units / 10_000, units % 10_000);
        let (lo_int, lo_frac) = percent(low);
        let (hi_int, hi_frac) = percent(high);
        if self.is_exact() {
            write!(
                f,
                "exactly {} of 10^20 pairs wrong ({lo_int}.{lo_frac:04} % right)",
                self.wrong
            )
        } else {
            write!(
                f,
                "{lo_int}.{lo_frac:04} % to {hi_int}.{hi_frac:04} % of 10^20 pairs right"
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every state of every step, as the search enumerates them.
    fn every_state() -> impl Iterator<Item = Local> {
        (0..=10usize).flat_map(states)
    }

    #[test]
    fn all_settled_is_every_pair_and_nothing_is_none() {
        let mut all = Certificate::new();
        for state in every_state() {
            all.settle_right(state);
        }
        assert_eq!(all.count(), Certified::ALL);
        assert_eq!(Certificate::new().count(), Certified::NONE);
    }

    /// One state wrong: the pairs through it, counted by hand. At step 5
    /// the state fixes the digits at places 5 and 4 and a carry of 1 into
    /// place 4: the places below hold a carry in `10^4 (10^4 - 1) / 2` of
    /// their `10^8` choices, the four places above are free (`10^8`).
    #[test]
    fn one_wrong_state_counts_the_pairs_through_it() {
        let mut one = Certificate::new();
        let wrong = Local {
            step: 5,
            digits: [1, 2, 3, 4],
            carry: 1,
        };
        for state in every_state() {
            if state == wrong {
                one.settle_wrong(state);
            } else {
                one.settle_right(state);
            }
        }
        let through = 10_000 * 9_999 / 2 * 100_000_000;
        let certified = one.count();
        assert_eq!(certified.wrong, through);
        assert_eq!(certified.right, PAIRS - through);
        assert!(certified.is_exact());
    }
}
