//! The forms' error symbols: one fresh symbol for each rounding and each
//! nonlinear remainder, shared by every quantity computed from it. A norm
//! rounds its `1 / rms` once and multiplies every coordinate by it; the
//! logits then all carry that one error, and their difference cancels it
//! (where an own radius per form would add it twice).
//!
//! A symbol stands for one real quantity in `[-1, 1]` (the error of one
//! operation, over its bound), so its id is never given twice: each thread
//! takes blocks of ids from one process-wide counter (a `u64`, never
//! reused) and hands them out in increasing order, so a form may even be
//! moved to another thread. Without `std` (or 64-bit atomics) there is no
//! such counter: errors go to the form's own radius, as they did before
//! symbols (sound, less tight).

/// The most error symbols a form keeps: the least beyond them are folded
/// into its own radius.
pub const ERRORS: usize = 32;

/// A form's error terms: `k[n] e_{id[n]}`, by increasing id. (A form
/// moved between threads may break the order; a symbol may then appear
/// twice, which is the same sum, only less tight.)
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Errors {
    ids: [u64; ERRORS],
    k: [f64; ERRORS],
    len: usize,
}

/// A new symbol's id, never given before in this process, greater than
/// every id given before on this thread.
#[cfg(all(feature = "std", target_has_atomic = "64"))]
#[allow(clippy::unnecessary_wraps)] // `None` without `std`
fn fresh() -> Option<u64> {
    use core::cell::Cell;
    use core::sync::atomic::{AtomicU64, Ordering};
    /// Ids a thread takes at once.
    const BLOCK: u64 = 1 << 16;
    /// The first id of the next block any thread takes.
    static NEXT_BLOCK: AtomicU64 = AtomicU64::new(1);
    std::thread_local! {
        /// This thread's next id and the end of its block.
        static BLOCK_LEFT: Cell<(u64, u64)> = const { Cell::new((0, 0)) };
    }
    Some(BLOCK_LEFT.with(|left| {
        let (mut next, mut end) = left.get();
        if next == end {
            next = NEXT_BLOCK.fetch_add(BLOCK, Ordering::Relaxed);
            end = next + BLOCK;
        }
        left.set((next + 1, end));
        next
    }))
}

/// No counter to give ids without `std`: every error is a form's own.
#[cfg(not(all(feature = "std", target_has_atomic = "64")))]
fn fresh() -> Option<u64> {
    None
}

impl Errors {
    /// No error terms.
    pub const NONE: Errors = Errors {
        ids: [0; ERRORS],
        k: [0.0; ERRORS],
        len: 0,
    };

    /// The sum of the terms' magnitudes: what they add to the radius.
    #[must_use]
    pub fn sum(&self) -> f64 {
        self.k[..self.len].iter().map(|k| k.abs()).sum()
    }

    /// The terms' coefficients, by increasing id.
    #[must_use]
    pub fn coefficients(&self) -> &[f64] {
        &self.k[..self.len]
    }

    /// Each term times `w`.
    pub(crate) fn scaled(&self, w: f64) -> Errors {
        let mut out = *self;
        for k in &mut out.k[..out.len] {
            *k *= w;
        }
        out
    }

    /// A fresh symbol of coefficient `k >= 0`; what could not be kept
    /// (this term, or a smaller one it displaced) is returned, for the
    /// form's own radius.
    pub(crate) fn push(&mut self, k: f64) -> f64 {
        if k == 0.0 || !k.is_finite() {
            return k;
        }
        let Some(id) = fresh() else {
            return k;
        };
        if self.len < ERRORS {
            self.ids[self.len] = id;
            self.k[self.len] = k;
            self.len += 1;
            return 0.0;
        }
        // Full: the least of the terms and the new one is folded.
        let least = (0..self.len)
            .min_by(|&a, &b| self.k[a].abs().total_cmp(&self.k[b].abs()))
            .unwrap_or(0);
        let folded = self.k[least].abs();
        if folded >= k {
            return k;
        }
        self.ids.copy_within(least + 1..self.len, least);
        self.k.copy_within(least + 1..self.len, least);
        self.ids[self.len - 1] = id;
        self.k[self.len - 1] = k;
        folded
    }
}

/// `wx x + wy y` of two lists of terms, merged by id: the sum, what was
/// folded out of it (for the own radius), and the sum of the magnitudes
/// of the products (for the coefficients' own rounding).
pub(crate) fn combine(x: &Errors, y: &Errors, wx: f64, wy: f64) -> (Errors, f64, f64) {
    // One side empty (a constant's, most often): nothing to merge.
    if x.len == 0 || y.len == 0 {
        let (one, w) = if y.len == 0 { (x, wx) } else { (y, wy) };
        let scaled = one.scaled(w);
        return (scaled, 0.0, scaled.sum());
    }
    // Room for every term: merged in place, nothing to fold.
    if x.len + y.len <= ERRORS {
        let mut out = Errors::NONE;
        let (len, terms) = merge(x, y, wx, wy, &mut out.ids, &mut out.k);
        out.len = len;
        return (out, 0.0, terms);
    }
    let mut buffer = Buffer::default();
    let (len, terms) = merge(x, y, wx, wy, &mut buffer.ids, &mut buffer.k);
    buffer.len = len;
    let folded = buffer.fit();
    (buffer.errors(), folded, terms)
}

/// `wx x + wy y` into `ids` and `k` (room for both lists), its zero
/// terms left out: how many it wrote, and the sum of the magnitudes of
/// the products.
fn merge(x: &Errors, y: &Errors, wx: f64, wy: f64, ids: &mut [u64], k: &mut [f64]) -> (usize, f64) {
    let (mut len, mut terms) = (0, 0.0);
    // The symbols both share come first, most often: the older roundings
    // of what both were computed from, in the same order.
    let shared = x.ids[..x.len]
        .iter()
        .zip(&y.ids[..y.len])
        .take_while(|pair| pair.0 == pair.1)
        .count();
    for at in 0..shared {
        let (from_x, from_y) = (wx * x.k[at], wy * y.k[at]);
        let sum = from_x + from_y;
        terms += from_x.abs() + from_y.abs();
        ids[len] = x.ids[at];
        k[len] = sum;
        len += usize::from(sum != 0.0);
    }
    let (mut at_x, mut at_y) = (shared, shared);
    while at_x < x.len || at_y < y.len {
        let take_x = at_y == y.len || (at_x < x.len && x.ids[at_x] <= y.ids[at_y]);
        let take_y = at_x == x.len || (at_y < y.len && y.ids[at_y] <= x.ids[at_x]);
        let mut sum = 0.0;
        let id = if take_x { x.ids[at_x] } else { y.ids[at_y] };
        if take_x {
            sum += wx * x.k[at_x];
            terms += (wx * x.k[at_x]).abs();
            at_x += 1;
        }
        if take_y {
            sum += wy * y.k[at_y];
            terms += (wy * y.k[at_y]).abs();
            at_y += 1;
        }
        ids[len] = id;
        k[len] = sum;
        len += usize::from(sum != 0.0);
    }
    (len, terms)
}

/// Terms being merged: room for two lists and one more.
struct Buffer {
    ids: [u64; 2 * ERRORS + 1],
    k: [f64; 2 * ERRORS + 1],
    len: usize,
}

impl Default for Buffer {
    fn default() -> Self {
        Buffer {
            ids: [0; 2 * ERRORS + 1],
            k: [0.0; 2 * ERRORS + 1],
            len: 0,
        }
    }
}

impl Buffer {
    /// Removes the least terms until [`ERRORS`] are left, keeping the
    /// order; returns the sum of their magnitudes.
    fn fit(&mut self) -> f64 {
        if self.len <= ERRORS {
            return 0.0;
        }
        // The magnitude at or below which `excess` terms go.
        let excess = self.len - ERRORS;
        let mut magnitudes = [0.0f64; 2 * ERRORS + 1];
        for (m, k) in magnitudes.iter_mut().zip(&self.k[..self.len]) {
            *m = k.abs();
        }
        let (_, &mut cut, _) =
            magnitudes[..self.len].select_nth_unstable_by(excess - 1, f64::total_cmp);
        let below = self.k[..self.len].iter().filter(|k| k.abs() < cut).count();
        // Ties at the cut, as many as it takes.
        let mut ties = excess - below;
        let (mut folded, mut kept) = (0.0, 0);
        for n in 0..self.len {
            let m = self.k[n].abs();
            if m < cut || (m == cut && ties > 0) {
                if m == cut {
                    ties -= 1;
                }
                folded += m;
            } else {
                self.ids[kept] = self.ids[n];
                self.k[kept] = self.k[n];
                kept += 1;
            }
        }
        // NaN magnitudes escape the cut: folded too (the radius is then NaN).
        while kept > ERRORS {
            kept -= 1;
            folded += self.k[kept].abs();
        }
        self.len = kept;
        folded
    }

    fn errors(&self) -> Errors {
        let mut out = Errors::NONE;
        out.len = self.len.min(ERRORS);
        out.ids[..out.len].copy_from_slice(&self.ids[..out.len]);
        out.k[..out.len].copy_from_slice(&self.k[..out.len]);
        out
    }
}

#[cfg(all(test, feature = "std", target_has_atomic = "64"))]
mod tests {
    use super::*;

    /// Terms of magnitudes `1, 2, ..`, each a fresh symbol.
    fn terms(count: usize, scale: f64) -> Errors {
        let mut errors = Errors::NONE;
        for n in 0..count {
            assert_eq!(errors.push(scale * (n + 1) as f64), 0.0);
        }
        errors
    }

    /// What a merge keeps and what it folds add up to every term, and what
    /// it keeps are the greatest.
    #[test]
    fn a_merge_folds_the_least_and_loses_nothing() {
        let (x, y) = (terms(ERRORS, 1.0), terms(ERRORS, 0.5));
        let (sum, folded, magnitudes) = combine(&x, &y, 1.0, -2.0);
        let all = x.sum() + 2.0 * y.sum();
        assert_eq!(magnitudes, all);
        assert_eq!(sum.len, ERRORS);
        assert_eq!(sum.sum() + folded, all);
        // Two copies of 1..=ERRORS: the upper half of each is kept.
        let least_kept = sum
            .coefficients()
            .iter()
            .map(|k| k.abs())
            .fold(f64::INFINITY, f64::min);
        assert_eq!(least_kept, (ERRORS / 2 + 1) as f64);
        // The same symbols merge: x - x is nothing.
        let (zero, folded, _) = combine(&x, &x, 1.0, -1.0);
        assert_eq!((zero.len, folded), (0, 0.0));
    }

    /// Lists that share their older symbols (one computed from the other)
    /// merge them term by term, and keep what only one has.
    #[test]
    fn shared_symbols_merge_and_the_rest_are_kept() {
        let x = terms(10, 1.0);
        let mut y = x.scaled(2.0);
        for k in [7.0, 8.0, 9.0] {
            assert_eq!(y.push(k), 0.0);
        }
        let (sum, folded, magnitudes) = combine(&x, &y, 1.0, 1.0);
        assert_eq!((sum.len, folded), (13, 0.0));
        assert_eq!(sum.coefficients()[..10], x.scaled(3.0).coefficients()[..]);
        assert_eq!(sum.coefficients()[10..], [7.0, 8.0, 9.0]);
        assert_eq!(magnitudes, 3.0 * x.sum() + 24.0);
        // The shared ones cancel: what is left is y's own.
        let (rest, _, _) = combine(&x, &y, 2.0, -1.0);
        assert_eq!(rest.coefficients(), [-7.0, -8.0, -9.0]);
        assert_eq!(rest.ids[..3], y.ids[10..13]);
    }

    /// A full list folds the least of its terms and the new one.
    #[test]
    fn a_full_list_folds_its_least_term() {
        let mut x = terms(ERRORS, 1.0);
        assert_eq!(x.push(0.25), 0.25);
        assert_eq!(x.push(100.0), 1.0);
        assert_eq!(x.len, ERRORS);
        assert_eq!(x.coefficients()[ERRORS - 1], 100.0);
    }
}
