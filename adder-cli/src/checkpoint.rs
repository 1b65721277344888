//! What a checkpoint holds: each tensor's name, dtype and shape, read from
//! its safetensors header (a spec needs the data only to tell a tied head
//! saved twice from an untied one).

use std::collections::BTreeMap;
use std::path::Path;

use safetensors::{Dtype, SafeTensors};

/// A tensor's dtype and shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tensor {
    pub dtype: Dtype,
    pub shape: Vec<usize>,
}

/// Every tensor of a checkpoint, by name.
pub struct Checkpoint {
    /// The file, as the user named it (for errors).
    pub path: String,
    pub tensors: BTreeMap<String, Tensor>,
    /// The file's bytes.
    bytes: Vec<u8>,
}

impl Checkpoint {
    /// Reads the header of `path`.
    ///
    /// # Errors
    ///
    /// If the file cannot be read or is not safetensors.
    pub fn read(path: &Path) -> Result<Checkpoint, String> {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| format!("{shown}: {e}"))?;
        let (_, metadata) = SafeTensors::read_metadata(&bytes)
            .map_err(|e| format!("{shown}: not a safetensors file ({e})"))?;
        let tensors = metadata
            .tensors()
            .into_iter()
            .map(|(name, info)| {
                let tensor = Tensor {
                    dtype: info.dtype,
                    shape: info.shape.clone(),
                };
                (name, tensor)
            })
            .collect();
        Ok(Checkpoint {
            path: shown,
            tensors,
            bytes,
        })
    }

    /// Whether `a` and `b` hold the same dtype, shape and data: one tensor
    /// saved twice, as PyTorch saves a tied head.
    pub fn same(&self, a: &str, b: &str) -> bool {
        let Ok(file) = SafeTensors::deserialize(&self.bytes) else {
            return false;
        };
        match (file.tensor(a), file.tensor(b)) {
            (Ok(a), Ok(b)) => {
                a.dtype() == b.dtype() && a.shape() == b.shape() && a.data() == b.data()
            }
            _ => false,
        }
    }

    /// The shape of `name`, which must be `f32` of `rank` dimensions.
    ///
    /// # Errors
    ///
    /// If it is missing, of another dtype, or of another rank.
    pub fn shape(&self, name: &str, rank: usize) -> Result<&[usize], String> {
        let Some(tensor) = self.tensors.get(name) else {
            return Err(format!("{}: no tensor `{name}`", self.path));
        };
        if tensor.dtype != Dtype::F32 {
            return Err(format!(
                "{}: tensor `{name}` is {:?}; the compiler reads f32",
                self.path, tensor.dtype
            ));
        }
        if tensor.shape.len() != rank {
            return Err(format!(
                "{}: tensor `{name}` has shape {:?}; its role needs {rank} dimensions",
                self.path, tensor.shape
            ));
        }
        Ok(&tensor.shape)
    }
}
