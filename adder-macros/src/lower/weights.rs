//! A model's weight file: safetensors, read at expansion time, its tensors
//! looked up by their `PyTorch` names.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::front::tokens::Loc;
use safetensors::{Dtype, SafeTensors};

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
    pub used: BTreeSet<String>,
}

/// What a look-up found.
pub struct Loaded {
    pub shape: Vec<usize>,
    pub values: Vec<f32>,
}

impl WeightFile {
    /// Reads and validates the file's header; the message says why not.
    pub fn open(shown: String, path: PathBuf, span: Loc) -> Result<Self, String> {
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
            used: BTreeSet::new(),
        })
    }

    fn tensors(&self) -> SafeTensors<'_> {
        // Validated in `open`.
        SafeTensors::deserialize(&self.bytes).unwrap_or_else(|_| unreachable!())
    }

    /// The `f32` tensor `name`, finite; the message names the file and
    /// the tensor.
    pub fn load(&mut self, name: &str) -> Result<Loaded, String> {
        let shown = &self.shown;
        let tensors = self.tensors();
        let view = tensors
            .tensor(name)
            .map_err(|_| format!("`{shown}` has no tensor `{name}`"))?;
        if view.dtype() != Dtype::F32 {
            return Err(format!(
                "tensor `{name}` of `{shown}` is {:?}; expected F32",
                view.dtype()
            ));
        }
        let values: Vec<f32> = view
            .data()
            .chunks_exact(4)
            .map(|bytes| f32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
            .collect();
        if let Some(at) = values.iter().position(|v| !v.is_finite()) {
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
