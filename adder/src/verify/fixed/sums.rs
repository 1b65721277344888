//! Premise 2 of [`super`]: each head's output over a local state, as the
//! exact range of its sum of fixed products (the carry kept) widened by the
//! code's rounding.

use super::{Fixed, tokens_at};
use crate::tokens::Position;
use crate::verify::bounds::certify::Local;
use crate::verify::interval64::I64;
use crate::verify::real::R;

/// The places of the operands.
const PLACES: usize = 10;

/// One step's products `w_j v_j` of every head coordinate, and the parts
/// of their sum that do not depend on the state.
pub(super) struct Sums<const Q: usize, const T: usize> {
    /// The context's length: the last position is `len - 1`.
    pub(super) len: usize,
    /// Per position, the weight of each coordinate's head there.
    weights: [[f64; Q]; T],
    /// Per coordinate, the value coordinate it reads.
    columns: [usize; Q],
    /// Per position and digit, each coordinate's exact product.
    products: [[[R; Q]; 10]; T],
    /// The positions of `a`'s, `b`'s and the sum's digit at each place.
    at: [[usize; 3]; PLACES],
    /// The fixed tokens' products, summed.
    fixed: [R; Q],
    /// The places above `k`, each position free.
    above: [R; Q],
    /// The places below `k - 1`, by the carry out of them.
    below: [[R; Q]; 2],
    /// The code's rounding: how far its sum may be from the exact one.
    error: [f64; Q],
}

impl<const Q: usize, const T: usize> Sums<Q, T> {
    /// The sums of step `len - prompt_len` with the step's `weights`.
    // A position and a coordinate index several tables at once.
    #[allow(clippy::large_stack_arrays, clippy::needless_range_loop)]
    pub(super) fn new<const E: usize, const H: usize, const KV: usize, const V: usize>(
        model: &Fixed<E, H, T, Q, KV, V>,
        weights: &[[f64; T]; H],
        len: usize,
    ) -> Self {
        let format = model.format;
        let hd = model.head_dim;
        let group = H / model.n_kv_head;
        let columns: [usize; Q] = core::array::from_fn(|m| (m / hd / group) * hd + m % hd);
        let mut sums = Sums {
            len,
            weights: [[0.0; Q]; T],
            columns,
            products: [[[R::point(0.0); Q]; 10]; T],
            at: [[usize::MAX; 3]; PLACES],
            fixed: [R::point(0.0); Q],
            above: [R::point(0.0); Q],
            below: [[R::point(0.0); Q]; 2],
            error: [0.0; Q],
        };
        let mut magnitude = [R::point(0.0); Q];
        for position in 0..len {
            sums.weights[position] = core::array::from_fn(|m| weights[m / hd][position]);
            let product = |token: u8, m: usize| {
                let value = (model.key_value)(usize::from(token), position).1[columns[m]];
                R::point(sums.weights[position][m]).mul(R::point(value))
            };
            match format.position(position) {
                Position::Token(_) => {
                    let token = tokens_at(format, position)[0];
                    for m in 0..Q {
                        sums.fixed[m] = sums.fixed[m].add(product(token, m));
                        magnitude[m] = magnitude[m].add(R::point(product(token, m).mag()));
                    }
                }
                role => {
                    for m in 0..Q {
                        let mut most = 0.0f64;
                        for digit in 0..10u8 {
                            let p = product(digit, m);
                            sums.products[position][usize::from(digit)][m] = p;
                            most = most.max(p.mag());
                        }
                        magnitude[m] = magnitude[m].add(R::point(most));
                    }
                    let (place, which) = match role {
                        Position::A(place) => (place, 0),
                        Position::B(place) => (place, 1),
                        Position::Sum(place) => (place, 2),
                        Position::Token(_) => unreachable!("matched above"),
                    };
                    if place < PLACES {
                        sums.at[place][which] = position;
                    }
                }
            }
        }
        let step = len - format.prompt_len();
        for place in step + 1..PLACES {
            for position in [sums.at[place][0], sums.at[place][1]] {
                for m in 0..Q {
                    let range = (0..10).fold(sums.products[position][0][m], |hull, digit| {
                        hull.add_hull(sums.products[position][digit][m])
                    });
                    sums.above[m] = sums.above[m].add(range);
                }
            }
        }
        if step >= 2 {
            sums.below = sums.carried(step - 1);
        }
        // gamma_n = n u / (1 - n u), rounded up; and n half-ulps of the
        // subnormal range.
        let n = len as f64;
        let unit = f64::EPSILON / 2.0;
        let gamma = (n * unit / (1.0 - n * unit)) * (1.0 + 4.0 * unit);
        let tiny = n * f64::from_bits(1);
        sums.error = magnitude.map(|sum| (gamma * sum.hi).next_up() + tiny);
        sums
    }

    /// The least and greatest sum of the products of places `0..places`
    /// (their operand digits and the sum digits they wrote), by the carry
    /// out of them: a pass over the places with the carry as its state.
    fn carried(&self, places: usize) -> [[R; Q]; 2] {
        let mut ranges: [Option<[R; Q]>; 2] = [Some([R::point(0.0); Q]), None];
        for place in 0..places {
            let [a_at, b_at, sum_at] = self.at[place];
            let mut next: [Option<[R; Q]>; 2] = [None, None];
            for (carry, range) in ranges.iter().enumerate() {
                let Some(range) = range else { continue };
                for a in 0..10 {
                    for b in 0..10 {
                        let total = a + b + carry;
                        let sum = core::array::from_fn(|m| {
                            range[m]
                                .add(self.products[a_at][a][m])
                                .add(self.products[b_at][b][m])
                                .add(self.products[sum_at][total % 10][m])
                        });
                        let out = &mut next[total / 10];
                        *out = Some(match out {
                            Some(hull) => core::array::from_fn(|m| hull[m].add_hull(sum[m])),
                            None => sum,
                        });
                    }
                }
            }
            ranges = next;
        }
        let none = [R::ANY; Q];
        [ranges[0].unwrap_or(none), ranges[1].unwrap_or(none)]
    }

    /// Each coordinate's bounds over every context of `state`, whose last
    /// token is `last`.
    pub(super) fn bounds(&self, state: Local, last: u8) -> [I64; Q] {
        let step = state.step;
        let [a_k, b_k, a_1, b_1] = state.digits.map(usize::from);
        core::array::from_fn(|m| {
            let mut sum = self.fixed[m].add(self.above[m]);
            if step < PLACES {
                let [a_at, b_at, _] = self.at[step];
                sum = sum
                    .add(self.products[a_at][a_k][m])
                    .add(self.products[b_at][b_k][m]);
            }
            if step >= 1 {
                let [a_at, b_at, sum_at] = self.at[step - 1];
                sum = sum
                    .add(self.products[a_at][a_1][m])
                    .add(self.products[b_at][b_1][m])
                    .add(self.products[sum_at][usize::from(last)][m]);
            }
            if step >= 2 {
                sum = sum.add(self.below[usize::from(state.carry)][m]);
            }
            if !sum.is_bounded() {
                return I64::ANY;
            }
            I64::new(
                (sum.lo - self.error[m]).next_down(),
                (sum.hi + self.error[m]).next_up(),
            )
        })
    }

    /// The heads' outputs on a full `context`, summed as the code sums
    /// them: in position order, from 0.
    pub(super) fn computed<const E: usize, const H: usize, const KV: usize, const V: usize>(
        &self,
        model: &Fixed<E, H, T, Q, KV, V>,
        context: &[u8],
    ) -> [f64; Q] {
        let mut mixed = [0.0; Q];
        for (position, &token) in context.iter().enumerate() {
            let value = (model.key_value)(usize::from(token), position).1;
            for m in 0..Q {
                mixed[m] += self.weights[position][m] * value[self.columns[m]];
            }
        }
        mixed
    }
}
