//! Reading one slot's entries: each parameter checked against the role its
//! parametrisation gives it (shape, values, or a tensor of the weight file)
//! and stored; structure (dims) kept for the parametrisation to read.

use std::collections::BTreeMap;

use crate::front::tokens::Loc;
use crate::front::tokens::Name;

use crate::front::dtype::Dtype;
use crate::front::errors::Errors;
use crate::front::names::Names;
use crate::front::syntax::{Entry, Int, Number, Tensor as TensorSyntax, Value};
use crate::front::value::Values;
use crate::lower::check;
use crate::lower::ir::{Config, Tensor, TensorId};
use crate::lower::statics;
use crate::lower::weights::WeightFile;

/// Lowering state: the tensors collected so far.
pub struct Lowering<'a> {
    pub errors: &'a mut Errors,
    /// `None` where the config has errors of its own.
    pub config: Option<Config>,
    /// The config's float (`f32` where the config has errors).
    pub dtype: Dtype,
    pub tensors: Vec<Tensor>,
    /// The spec's weight file, where it names one (and it could be read).
    pub weights: Option<WeightFile>,
    /// Whether the spec names a weight file at all (read or not), so that
    /// `= file` is not also reported where the file itself failed.
    pub has_weight_file: bool,
    /// The tensors read from the weight file, by name: a name read twice
    /// is one parameter (a tie).
    pub from_file: BTreeMap<String, TensorId>,
    /// The spec's consts and params, which derived tensors read.
    pub names: &'a Names,
}

/// What a parametrisation expects of one parameter.
pub struct Role {
    name: String,
    /// `None` where the config is unknown (its own errors are reported).
    shape: Option<Vec<usize>>,
    required: bool,
    /// Whether the values are rotation angles, which must stay in the range
    /// the `const` trigonometry reduces exactly.
    angle: bool,
    /// Whether it is a fixed table of the construction (an attention mask:
    /// `-inf` allowed, not counted) rather than a parameter.
    table: bool,
}

impl Role {
    pub fn new(name: impl Into<String>, shape: Option<Vec<usize>>) -> Self {
        Role {
            name: name.into(),
            shape,
            required: true,
            angle: false,
            table: false,
        }
    }

    /// A fixed table: values from the weight file, `-inf` among them
    /// where it masks, not counted (a registered buffer, not a parameter).
    pub fn table(name: impl Into<String>, shape: Option<Vec<usize>>) -> Self {
        Role {
            table: true,
            ..Role::new(name, shape)
        }
    }

    pub fn optional(name: impl Into<String>, shape: Option<Vec<usize>>) -> Self {
        Role {
            required: false,
            ..Role::new(name, shape)
        }
    }

    pub fn angle(name: impl Into<String>) -> Self {
        Role {
            angle: true,
            ..Role::new(name, Some(vec![1]))
        }
    }
}

/// Settings a slot may leave out (an `rms_norm`'s fixed `gain`, 1 without).
const OPTIONAL_SETTINGS: &[&str] = &["gain"];

/// A slot's entries, sorted into parameters and structure.
pub struct Params {
    pub tensors: BTreeMap<String, TensorId>,
    pub structure: BTreeMap<String, (Value, Loc)>,
    /// `at` places of sparse entries, by parameter name.
    pub places: BTreeMap<String, (Int, Int)>,
    ok: bool,
}

impl Lowering<'_> {
    /// Sorts a slot's entries by the roles of its parametrisation, checks
    /// each parameter and stores it. `None` if anything was wrong.
    pub fn params(
        &mut self,
        kind: &Name,
        module: &str,
        entries: Vec<Entry>,
        roles: &[Role],
        structure_names: &[&str],
    ) -> Option<Params> {
        let mut params = Params {
            tensors: BTreeMap::new(),
            structure: BTreeMap::new(),
            places: BTreeMap::new(),
            ok: true,
        };
        let mut seen: BTreeMap<String, Loc> = BTreeMap::new();
        for Entry { name, value } in entries {
            let key = name.to_string();
            if seen.insert(key.clone(), name.span()).is_some() {
                self.errors
                    .at(name.span(), format!("duplicate parameter `{key}`"));
                params.ok = false;
                continue;
            }
            match value {
                Value::Invalid => params.ok = false,
                Value::Tensor(tensor) => {
                    let Some(role) = roles.iter().find(|role| role.name == key) else {
                        self.unknown(&name, kind, roles, structure_names);
                        params.ok = false;
                        continue;
                    };
                    if let Some(place) = tensor.at {
                        if kind == "sparse" {
                            params.places.insert(key.clone(), place);
                        } else {
                            self.errors.at(
                                place.0.span,
                                "`at` places a parameter of a `sparse` map only",
                            );
                            params.ok = false;
                        }
                    } else if kind == "sparse" {
                        self.errors.at(
                            name.span(),
                            "a `sparse` parameter needs its place: `[1] = [v] at (row, col)`",
                        );
                        params.ok = false;
                    }
                    match self.tensor(&name, module, &tensor, role) {
                        Some(id) => {
                            params.tensors.insert(key, id);
                        }
                        None => params.ok = false,
                    }
                }
                structure if structure_names.contains(&key.as_str()) => {
                    params.structure.insert(key, (structure, name.span()));
                }
                Value::Schedule { span, .. } => {
                    self.errors.at(span, format!("`{kind}` takes no schedule"));
                    params.ok = false;
                }
                Value::Dim(_) | Value::Dims { .. } if roles.iter().any(|role| role.name == key) => {
                    self.errors.at(
                        name.span(),
                        format!("`{key}` is a parameter: write its shape and values, `{key}: [shape] = [values]`"),
                    );
                    params.ok = false;
                }
                Value::Number(number) => {
                    self.errors.at(number.span, check::NUMBER_OUTSIDE_PARAMETER);
                    params.ok = false;
                }
                Value::Dim(_)
                | Value::Dims { .. }
                | Value::Sequence { .. }
                | Value::Names { .. }
                | Value::Word(_)
                | Value::Str(_) => {
                    self.unknown(&name, kind, roles, structure_names);
                    params.ok = false;
                }
            }
        }
        for role in roles.iter().filter(|role| role.required) {
            if !seen.contains_key(&role.name) {
                let shape = role
                    .shape
                    .as_ref()
                    .map_or_else(String::new, |shape| format!(": {shape:?}"));
                self.errors.at(
                    kind.span(),
                    format!("`{kind}` is missing parameter `{}`{shape}", role.name),
                );
                params.ok = false;
            }
        }
        for name in structure_names {
            if !seen.contains_key(*name) && !OPTIONAL_SETTINGS.contains(name) {
                self.errors
                    .at(kind.span(), format!("`{kind}` is missing `{name}`"));
                params.ok = false;
            }
        }
        params.ok.then_some(params)
    }

    fn unknown(&mut self, name: &Name, kind: &Name, roles: &[Role], structure_names: &[&str]) {
        let mut expected: Vec<&str> = roles.iter().map(|role| role.name.as_str()).collect();
        expected.extend(structure_names);
        let expected = if kind == "sparse" {
            "any name, as a `[1] = [v] at (row, col)` parameter".to_owned()
        } else {
            format!("one of: {}", expected.join(", "))
        };
        self.errors.at(
            name.span(),
            format!("unknown parameter `{name}` for `{kind}`; expected {expected}"),
        );
    }

    /// Checks a parameter's shape and values and stores it.
    fn tensor(
        &mut self,
        name: &Name,
        module: &str,
        tensor: &TensorSyntax,
        role: &Role,
    ) -> Option<TensorId> {
        let shape: Vec<usize> = tensor.shape.iter().map(|d| d.value).collect();
        let path = match &tensor.values {
            Values::File(Some(file_name)) => file_name.value(),
            _ => format!("{module}.{name}"),
        };
        let shape_ok = check::shape(tensor, role.shape.as_deref(), self.errors);
        let from_file = matches!(tensor.values, Values::File(_));
        if from_file && let Some(&id) = self.from_file.get(&path) {
            // A tensor of the file read again: the same parameter, tied.
            shape_ok?;
            if self.tensors[id].shape != shape {
                self.errors.at(
                    tensor.shape_span,
                    format!(
                        "`{path}` is read again with shape {shape:?}; it was read with {:?}",
                        self.tensors[id].shape
                    ),
                );
                return None;
            }
            return Some(id);
        }
        let values = match &tensor.values {
            Values::Inline(numbers) => self.numbers(tensor, numbers, role)?,
            Values::Derived { group, horizon } => {
                match Values::numbers(group, *horizon, self.names) {
                    Ok(numbers) => self.numbers(tensor, &numbers, role)?,
                    Err(error) => {
                        self.errors.push(error);
                        return None;
                    }
                }
            }
            Values::File(_) => self.load(&path, &shape, tensor, role)?,
        };
        shape_ok?;
        if let Some(other) = self
            .tensors
            .iter()
            .find(|other| statics::same_static(&other.path, &path))
        {
            self.errors.at(
                name.span(),
                format!("`{path}` names the same static as `{}`", other.path),
            );
            return None;
        }
        if let Some(item) = statics::generated_item(&path) {
            self.errors.at(
                name.span(),
                format!(
                    "`{path}` would be the static `{item}`, a name the generated module has already"
                ),
            );
            return None;
        }
        if from_file {
            self.from_file.insert(path.clone(), self.tensors.len());
        }
        self.tensors.push(Tensor {
            path,
            shape,
            values,
            counted: !role.table && !matches!(tensor.values, Values::Derived { .. }),
        });
        Some(self.tensors.len() - 1)
    }

    /// A tensor's numbers, checked against its shape (and as angles, where
    /// its role says so).
    fn numbers(
        &mut self,
        tensor: &TensorSyntax,
        numbers: &[Number],
        role: &Role,
    ) -> Option<Vec<f64>> {
        let values = check::values(tensor, numbers, self.dtype, self.errors);
        if role.angle {
            check::angles(numbers, self.errors)?;
        }
        values
    }

    /// A parameter's values from the weight file, by its path: the file's
    /// shape must be the one the spec writes.
    fn load(
        &mut self,
        path: &str,
        shape: &[usize],
        tensor: &TensorSyntax,
        role: &Role,
    ) -> Option<Vec<f64>> {
        let Some(weights) = self.weights.as_mut() else {
            if !self.has_weight_file {
                self.errors.at(
                    tensor.values_span,
                    "`= file` reads the weight file, and the spec names none: add `weights = safetensors { file: \"...\" }`",
                );
            }
            return None;
        };
        let loaded = match weights.load(path, role.table) {
            Ok(loaded) => loaded,
            Err(message) => {
                self.errors.at(tensor.values_span, message);
                return None;
            }
        };
        if loaded.shape != shape {
            self.errors.at(
                tensor.shape_span,
                format!(
                    "tensor `{path}` of `{}` has shape {:?}; the spec says {shape:?}",
                    weights.shown, loaded.shape
                ),
            );
            return None;
        }
        if role.angle
            && let Some(angle) = loaded.values.iter().find(|v| v.abs() >= check::TRIG_MAX)
        {
            self.errors.at(
                tensor.values_span,
                format!(
                    "tensor `{path}` holds the angle {angle}, beyond {}",
                    check::ANGLE_RANGE
                ),
            );
            return None;
        }
        Some(loaded.values)
    }

    /// A setting (`eps: 1e-6`): a number the spec gives that is not stored.
    pub fn setting(&mut self, params: &Params, kind: &Name, name: &str) -> Option<f64> {
        match &params.structure.get(name)?.0 {
            Value::Number(number) => Some(number.value),
            Value::Dim(int) => Some(int.value as f64),
            _ => {
                self.errors.at(
                    params.structure[name].1,
                    format!("`{kind}` takes a number for `{name}`"),
                );
                None
            }
        }
    }

    pub fn structure_dim(
        &mut self,
        params: &Params,
        kind: &Name,
        name: &str,
        bound: Option<usize>,
    ) -> Option<usize> {
        let (value, _) = params.structure.get(name)?;
        if let Value::Dim(dim) = value {
            check::dim(*dim, bound, self.errors)
        } else if let Value::Number(number) = value {
            self.errors.at(number.span, check::NUMBER_OUTSIDE_PARAMETER);
            None
        } else {
            self.errors.at(
                params.structure[name].1,
                format!("`{kind}` takes one dim for `{name}`"),
            );
            None
        }
    }

    pub fn structure_dims(
        &mut self,
        params: &Params,
        kind: &Name,
        name: &str,
        bound: Option<usize>,
        count: Option<usize>,
    ) -> Option<Vec<usize>> {
        if let Value::Dims { dims, span } = &params.structure.get(name)?.0 {
            check::dims(dims, *span, bound, count, self.errors)
        } else {
            self.errors.at(
                params.structure[name].1,
                format!("`{kind}` takes a list of dims for `{name}`"),
            );
            None
        }
    }
}
