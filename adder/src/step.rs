//! What one forward pass computes, as data, and as text for a reader.

use core::fmt;

use crate::float::Float;
use crate::tokens::{Format, Piece};

/// The internals of one forward pass at the last position: what a reader
/// needs to see how the network reaches its digit.
///
/// `E` is the residual width, `H` the heads, `T` the block size, `M` the MLP
/// hidden units, `V` the vocabulary; `F` the model's float.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step<
    const E: usize,
    const H: usize,
    const T: usize,
    const M: usize,
    const V: usize,
    F: Float = f32,
> {
    /// Per head, the softmax weight of each position (0 past the last).
    pub attention: [[F; T]; H],
    /// The residual stream at the last position: embedding plus position.
    pub residual: [F; E],
    /// The residual stream after the attention block.
    pub after_attention: [F; E],
    /// The MLP's hidden units, after the `ReLU`.
    pub hidden: [F; M],
    /// The residual stream after the MLP block.
    pub after_mlp: [F; E],
    /// The logits of the next token.
    pub logits: [F; V],
}

/// What the network computed at each of the 11 steps of one addition.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Trace<
    const E: usize,
    const H: usize,
    const T: usize,
    const M: usize,
    const V: usize,
    F: Float = f32,
> {
    /// The first operand.
    pub a: u64,
    /// The second operand.
    pub b: u64,
    /// Step `k` writes the sum's digit of place `FORMAT.answer_place(k)`:
    /// place `k`, least significant first, unless the model writes the
    /// most significant digit first.
    pub steps: [Step<E, H, T, M, V, F>; 11],
    /// The digits written, in the sum's order: least significant first.
    pub digits: [u8; 11],
}

impl<const E: usize, const H: usize, const T: usize, const M: usize, const V: usize, F: Float>
    Trace<E, H, T, M, V, F>
{
    /// The sum the network wrote.
    #[must_use]
    pub const fn sum(&self) -> u64 {
        crate::tokens::decode(&self.digits)
    }
}

impl<const E: usize, const H: usize, const T: usize, const M: usize, const V: usize, F: Float>
    Trace<E, H, T, M, V, F>
{
    /// The trace as text, for a reader: per step the digit written and
    /// whether it is right, where each head looks and with what weight,
    /// the residual stream, the MLP's hidden units and the logits.
    /// `model` names the model; `format` is its `FORMAT`.
    #[must_use]
    pub const fn show<'t>(
        &'t self,
        model: &'t str,
        format: &'t Format,
    ) -> Shown<'t, E, H, T, M, V, F> {
        Shown {
            trace: self,
            model,
            format,
        }
    }
}

/// A [`Trace`] shown as text: [`Trace::show`].
pub struct Shown<
    't,
    const E: usize,
    const H: usize,
    const T: usize,
    const M: usize,
    const V: usize,
    F: Float = f32,
> {
    trace: &'t Trace<E, H, T, M, V, F>,
    model: &'t str,
    format: &'t Format,
}

/// Weights below this are counted, not listed: too small to print.
const FAINT: f64 = 0.0005;

/// `values`, ten characters each.
fn row<F: Float>(f: &mut fmt::Formatter<'_>, label: &str, values: &[F]) -> fmt::Result {
    write!(f, "  {label:<14}")?;
    for value in values {
        write!(f, "{value:>10.3}")?;
    }
    writeln!(f)
}

/// The layout of a format's prompt: `a (a9..a0), +, b (b9..b0), =`.
fn layout(f: &mut fmt::Formatter<'_>, format: &Format) -> fmt::Result {
    for (i, piece) in format.prompt.iter().enumerate() {
        if i > 0 {
            write!(f, ", ")?;
        }
        match piece {
            Piece::Token { name, .. } => write!(f, "{name}")?,
            Piece::A { msb_first: true } => write!(f, "a (a9..a0)")?,
            Piece::A { msb_first: false } => write!(f, "a (a0..a9)")?,
            Piece::B { msb_first: true } => write!(f, "b (b9..b0)")?,
            Piece::B { msb_first: false } => write!(f, "b (b0..b9)")?,
        }
    }
    Ok(())
}

impl<const E: usize, const H: usize, const T: usize, const M: usize, const V: usize, F: Float>
    fmt::Display for Shown<'_, E, H, T, M, V, F>
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Shown {
            trace,
            model,
            format,
        } = *self;
        let (a, b) = (trace.a, trace.b);
        let truth = a + b;
        let prompt_len = format.prompt_len();
        let tokens: [u8; T] = format.sequence(a, b);
        write!(
            f,
            "{a} + {b} with {model}: positions 0-{} hold ",
            prompt_len - 1
        )?;
        layout(f, format)?;
        writeln!(f)?;
        for (k, step) in trace.steps.iter().enumerate() {
            let place = format.answer_place(k);
            let expected = crate::tokens::encode(truth)[place];
            let digit = trace.digits[place];
            write!(f, "\nstep {k:>2}: writes s{place} = {digit}   ")?;
            if digit == expected {
                writeln!(f, "ok")?;
            } else {
                writeln!(f, "WRONG, should be {expected}")?;
            }
            for (h, weights) in step.attention.iter().enumerate() {
                write!(f, "  head {h} reads   ")?;
                let mut first = true;
                for (p, w) in weights
                    .iter()
                    .map(|w| w.to_f64())
                    .enumerate()
                    .filter(|(_, w)| *w >= FAINT)
                {
                    let token = if p < prompt_len {
                        tokens[p]
                    } else {
                        trace.digits[format.answer_place(p - prompt_len)]
                    };
                    let comma = if first { "" } else { ",  " };
                    write!(
                        f,
                        "{comma}{}:{token} (pos {p}) x {w:.3}",
                        format.position(p)
                    )?;
                    first = false;
                }
                let faint = weights
                    .iter()
                    .map(|w| w.to_f64())
                    .filter(|w| *w > 0.0 && *w < FAINT)
                    .count();
                if faint > 0 {
                    let comma = if first { "" } else { ",  " };
                    write!(f, "{comma}{faint} more below {FAINT}")?;
                }
                writeln!(f)?;
            }
            row(f, "residual", &step.residual)?;
            row(f, "after attn", &step.after_attention)?;
            row(f, "hidden", &step.hidden)?;
            row(f, "after MLP", &step.after_mlp)?;
            row(f, "logits 0-9", &step.logits)?;
        }
        let sum = trace.sum();
        let right = if sum == truth { "right" } else { "WRONG" };
        writeln!(f, "\n{a} + {b} = {truth}; {model} wrote {sum}: {right}")
    }
}
