//! What a checkpoint holds: each tensor's name, dtype, shape and data, from
//! a safetensors file or a PyTorch `.pt` (read by `pytorch-reader`, no
//! Python: the state dict, at the top or under `model_state`,
//! `state_dict` or `model`, and the config saved beside it).

use std::collections::BTreeMap;
use std::path::Path;

use pytorch_reader::{DType, PickleValue, PytorchReader};
use safetensors::tensor::TensorView;
use safetensors::{Dtype, SafeTensors};
use serde_json::Value;

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
    /// Each tensor's bytes, little-endian as safetensors stores them.
    data: BTreeMap<String, Vec<u8>>,
    /// The config a PyTorch checkpoint carries beside its weights.
    pub config: Option<Value>,
}

/// Where a PyTorch checkpoint keeps its state dict, if not at the top.
const STATE_KEYS: [&str; 4] = ["model_state", "state_dict", "model", "model_state_dict"];
/// Where it keeps its config.
const CONFIG_KEYS: [&str; 3] = ["model_config", "config", "cfg"];

impl Checkpoint {
    /// Reads `path`: safetensors, or else a PyTorch checkpoint.
    ///
    /// # Errors
    ///
    /// If the file cannot be read or is neither.
    pub fn read(path: &Path) -> Result<Checkpoint, String> {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| format!("{shown}: {e}"))?;
        let mut checkpoint = Checkpoint {
            path: shown.clone(),
            tensors: BTreeMap::new(),
            data: BTreeMap::new(),
            config: None,
        };
        if let Ok(file) = SafeTensors::deserialize(&bytes) {
            for (name, view) in file.tensors() {
                checkpoint.insert(
                    name,
                    view.dtype(),
                    view.shape().to_vec(),
                    view.data().to_vec(),
                );
            }
            return Ok(checkpoint);
        }
        // A `.pt` is a ZIP archive (`PK`) or, before PyTorch 1.6, a pickle.
        if !(bytes.starts_with(b"PK") || bytes.first() == Some(&0x80)) {
            return Err(format!(
                "{shown}: not a safetensors file or a PyTorch checkpoint"
            ));
        }
        let reader = STATE_KEYS
            .iter()
            .find_map(|key| PytorchReader::with_top_level_key(path, key).ok())
            .map_or_else(|| PytorchReader::new(path), Ok)
            .map_err(|e| format!("{shown}: not a PyTorch checkpoint it can read ({e})"))?;
        for (name, tensor) in reader.tensors() {
            let bytes = tensor
                .read()
                .map_err(|e| format!("{shown}: tensor `{name}`: {e}"))?;
            let (dtype, bytes) = little_endian(tensor.dtype(), bytes);
            checkpoint.insert(name.clone(), dtype, tensor.shape().to_vec(), bytes);
        }
        checkpoint.config =
            CONFIG_KEYS.iter().find_map(|key| {
                match PytorchReader::read_pickle_data(path, Some(key)) {
                    Ok(value @ PickleValue::Dict(_)) => Some(json(value)),
                    _ => None,
                }
            });
        Ok(checkpoint)
    }

    fn insert(&mut self, name: String, dtype: Dtype, shape: Vec<usize>, data: Vec<u8>) {
        self.tensors.insert(name.clone(), Tensor { dtype, shape });
        self.data.insert(name, data);
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

    /// Whether `a` and `b` hold the same dtype, shape and data: one tensor
    /// saved twice, as PyTorch saves a tied head.
    pub fn same(&self, a: &str, b: &str) -> bool {
        self.tensors.contains_key(a)
            && self.tensors.get(a) == self.tensors.get(b)
            && self.data.get(a) == self.data.get(b)
    }

    /// The tensors as a safetensors file, but for `left_out`.
    ///
    /// # Errors
    ///
    /// If safetensors cannot write them.
    pub fn safetensors(&self, left_out: &[&str]) -> Result<Vec<u8>, String> {
        let mut views = Vec::new();
        for (name, tensor) in &self.tensors {
            if left_out.contains(&name.as_str()) {
                continue;
            }
            let view = TensorView::new(tensor.dtype, tensor.shape.clone(), &self.data[name])
                .map_err(|e| format!("{}: tensor `{name}`: {e}", self.path))?;
            views.push((name.as_str(), view));
        }
        safetensors::serialize(views, None).map_err(|e| format!("{}: {e}", self.path))
    }
}

/// A PyTorch tensor's dtype as safetensors names it, and its bytes
/// (native-endian from the reader) little-endian.
fn little_endian(dtype: DType, mut bytes: Vec<u8>) -> (Dtype, Vec<u8>) {
    let (dtype, size) = match dtype {
        DType::F64 => (Dtype::F64, 8),
        DType::F32 => (Dtype::F32, 4),
        DType::F16 => (Dtype::F16, 2),
        DType::BF16 => (Dtype::BF16, 2),
        DType::I64 => (Dtype::I64, 8),
        DType::I32 => (Dtype::I32, 4),
        DType::I16 => (Dtype::I16, 2),
        DType::I8 => (Dtype::I8, 1),
        DType::U64 => (Dtype::U64, 8),
        DType::U32 => (Dtype::U32, 4),
        DType::U16 => (Dtype::U16, 2),
        DType::U8 => (Dtype::U8, 1),
        DType::Bool => (Dtype::BOOL, 1),
    };
    if cfg!(target_endian = "big") {
        for element in bytes.chunks_exact_mut(size) {
            element.reverse();
        }
    }
    (dtype, bytes)
}

/// A pickled config as JSON: numbers, strings, flags and nested maps
/// (a value JSON has no room for becomes `null`).
fn json(value: PickleValue) -> Value {
    match value {
        PickleValue::Bool(flag) => Value::Bool(flag),
        PickleValue::Int(n) => Value::from(n),
        PickleValue::Float(x) => serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number),
        PickleValue::String(text) => Value::String(text),
        PickleValue::List(items) => Value::Array(items.into_iter().map(json).collect()),
        PickleValue::Dict(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(key, value)| (key, json(value)))
                .collect(),
        ),
        _ => Value::Null,
    }
}
