//! The float type a model stores its numbers in and computes with: `f32`,
//! as the board's models are trained, or `f64` (`dtype: f64` in `config`),
//! for constructions whose weights need its range or precision. Every
//! number the spec gives, the weight file holds or a derived tensor
//! computes is rounded by [`Dtype::round`] where the original stores it.

/// `f32` or `f64`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Dtype {
    #[default]
    F32,
    F64,
}

impl Dtype {
    /// The spelling in a spec and in Rust.
    pub fn name(self) -> &'static str {
        match self {
            Dtype::F32 => "f32",
            Dtype::F64 => "f64",
        }
    }

    /// `value` rounded once to this type (held as `f64`, which holds
    /// every `f32`): where a number is stored, and after each operation
    /// of a derived tensor on a parameter.
    #[allow(clippy::cast_possible_truncation)] // the rounding is the point
    pub fn round(self, value: f64) -> f64 {
        match self {
            Dtype::F32 => f64::from(value as f32),
            Dtype::F64 => value,
        }
    }
}
