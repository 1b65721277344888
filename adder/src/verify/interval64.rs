//! Intervals that enclose what an `f64` model's code computes: the `f64`
//! kin of [`crate::interval`], for the verifier of fixed attention
//! ([`crate::fixed`]).
//!
//! An [`I64`] is defined by the same macro as [`I`](crate::interval::I),
//! so each operation computes its bounds with the `f64` operation the code
//! performs (correctly rounded, and rounding is monotone): the tightest
//! bounds that hold, with no slack. The emitted `interval` module of an
//! `f64` model is its forward pass after the attention with `f64` read as
//! `I64`, operation for operation.

use super::interval::{closed_interval, scalar_operands};
use crate::float;

closed_interval!(
    I64,
    f64,
    "A closed interval of `f64`s, or [`I64::ANY`] where nothing is known."
);

/// [`float::relu_f64`]: monotone.
#[must_use]
pub fn relu(x: I64) -> I64 {
    if !x.is_bounded() {
        return I64::ANY;
    }
    I64::new(float::relu_f64(x.lo), float::relu_f64(x.hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `f64` result of an operation on members lies in the interval
    /// of the operation on the intervals, at the magnitudes the `f64`
    /// constructions reach (`e^80`, `1e-11` hinges).
    #[test]
    fn operations_enclose_their_f64_results() {
        let xs = [
            -5.5e34f64,
            -200.0,
            -1.0 + 1e-11,
            -1e-35,
            0.0,
            1e-300,
            0.7,
            1e12,
        ];
        let grid = |i: I64| {
            (0..=16).map(move |n| (i.lo + (i.hi - i.lo) * f64::from(n) / 16.0).clamp(i.lo, i.hi))
        };
        for &a in &xs {
            for &b in &xs {
                let x = I64::new(a.min(b), a.max(b));
                for &c in &xs {
                    let y = I64::new(c.min(a), c.max(a));
                    for u in grid(x) {
                        for v in grid(y) {
                            assert!((x + y).contains(u + v));
                            assert!((x - y).contains(u - v));
                            assert!((x * y).contains(u * v));
                            assert!((-x).contains(-u));
                            assert!(relu(x).contains(float::relu_f64(u)));
                            if (x / y).is_bounded() {
                                assert!((x / y).contains(u / v));
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(I64::point(1.0) / I64::new(-1.0, 1.0), I64::ANY);
        assert_eq!(I64::new(1.0, f64::NAN), I64::ANY);
        assert_eq!(2.0 * I64::point(3.0), I64::point(6.0));
    }
}
