//! A model's weight file: safetensors, read at expansion time, its tensors
//! looked up by their `PyTorch` names.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::front::dtype::Dtype;
use crate::front::tokens::Loc;
use safetensors::SafeTensors;

/// The largest weight file read: 16 MiB, far above any model whose every
/// weight is unrolled into code.
const MAX_BYTES: u64 = 16 << 20;

/// A weight file's bytes, parsed on each look-up (a few hundred bytes for
/// the models here), and the names the spec has taken from it.
pub struct WeightFile {
    /// As the spec writes it, for messages.
    pub shown: String,
    /// Absolute, for `include_bytes!`.
    pub path: PathBuf,
    /// The spec's file name literal, where errors about the whole file go.
    pub span: Loc,
    bytes: Vec<u8>,
    /// The model's float: an `f64` model reads `F32` and `F64` tensors,
    /// an `f32` model `F32` alone (an `F64` tensor would be rounded).
    dtype: Dtype,
    pub used: BTreeSet<String>,
}

/// What a look-up found.
pub struct Loaded {
    pub shape: Vec<usize>,
    /// Exactly as stored (an `F32` tensor's widened).
    pub values: Vec<f64>,
}

impl WeightFile {
    /// Reads and validates the file's header; the message says why not.
    pub fn open(shown: String, path: PathBuf, span: Loc, dtype: Dtype) -> Result<Self, String> {
        let size = std::fs::metadata(&path).map_or(0, |metadata| metadata.len());
        if size > MAX_BYTES {
            return Err(format!(
                "weight file `{shown}` is {size} bytes; the models here take a few kB, and a weight file may hold {MAX_BYTES}"
            ));
        }
        let bytes = std::fs::read(&path)
            .map_err(|error| format!("cannot read weight file `{shown}`: {error}"))?;
        SafeTensors::deserialize(&bytes)
            .map_err(|error| format!("`{shown}` is not a safetensors file: {error}"))?;
        Ok(WeightFile {
            shown,
            path,
            span,
            bytes,
            dtype,
            used: BTreeSet::new(),
        })
    }

    fn tensors(&self) -> SafeTensors<'_> {
        // Validated in `open`.
        SafeTensors::deserialize(&self.bytes).unwrap_or_else(|_| unreachable!())
    }

    /// The tensor `name`, `F32` (or `F64` for an `f64` model), finite (or
    /// `-inf`, in a `mask`); the message names the file and the tensor.
    pub fn load(&mut self, name: &str, mask: bool) -> Result<Loaded, String> {
        let shown = &self.shown;
        let tensors = self.tensors();
        let view = tensors
            .tensor(name)
            .map_err(|_| format!("`{shown}` has no tensor `{name}`"))?;
        let data = view.data();
        let values: Vec<f64> = match (view.dtype(), self.dtype) {
            (safetensors::Dtype::F32, _) => data
                .chunks_exact(4)
                .map(|b| f64::from(f32::from_le_bytes([b[0], b[1], b[2], b[3]])))
                .collect(),
            (safetensors::Dtype::F64, Dtype::F64) => data
                .chunks_exact(8)
                .map(|b| f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
                .collect(),
            (other, Dtype::F64) => {
                return Err(format!(
                    "tensor `{name}` of `{shown}` is {other:?}; expected F32 or F64"
                ));
            }
            (other, Dtype::F32) => {
                return Err(format!(
                    "tensor `{name}` of `{shown}` is {other:?}; expected F32 (an F64 file needs `dtype: f64` in the config)"
                ));
            }
        };
        let allowed = |v: f64| v.is_finite() || (mask && v == f64::NEG_INFINITY);
        if let Some(at) = values.iter().position(|&v| !allowed(v)) {
            return Err(format!(
                "tensor `{name}` of `{shown}` holds a value that is not finite ({}, at flat index {at})",
                values[at]
            ));
        }
        let shape = view.shape().to_vec();
        self.used.insert(name.to_owned());
        Ok(Loaded { shape, values })
    }

    /// The file's tensors the spec never named, sorted.
    pub fn unused(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .tensors()
            .names()
            .into_iter()
            .filter(|name| !self.used.contains(*name))
            .map(str::to_owned)
            .collect();
        names.sort();
        names
    }
}
