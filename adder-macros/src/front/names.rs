//! Names a spec declares before it uses them, as a construction's code does:
//!
//! - `consts { OMEGA: TAU / 19.0 }`: numbers of the construction, in `f64`
//!   as the original's Python floats are. Not stored, not counted.
//! - `params { c: 1000.0 }`: the scalars the original stores as parameters
//!   and derives its weights from at run time. Each is stored as a static
//!   of the model's dtype (`f32` unless its config says `f64`) and counted
//!   once; only `derived` tensors read them, and arithmetic on a parameter
//!   is arithmetic in that dtype, operation by operation, as in the
//!   original's forward pass (`expr.rs`). Lowering sets the dtype
//!   ([`Names::set_dtype`]) before any derived tensor is read.
//! - `params { q: [4, 3] = file("q_proj.weight") }`: a tensor the original
//!   stores, read from the weight file when lowering opens it, each element
//!   `q[i, j]` a param as above. Derived tensors are read after that
//!   (`value.rs` keeps their numbers unparsed until then).

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use crate::front::dtype::Dtype;
use crate::front::errors::{Error, Result};
use crate::front::tokens::{Loc, Name};

/// What a declared name stands for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Const,
    Param,
}

/// One declared name.
pub struct Declared {
    /// The `f64` value of a const; the values of a param, row-major (one
    /// for a scalar), rounded to the dtype once it is set; empty until a
    /// file param is read.
    values: Vec<f64>,
    /// Empty for a scalar.
    shape: Vec<usize>,
    /// The weight file's tensor a file param is read from.
    file: Option<String>,
    loc: Loc,
    /// Where a scalar's value is written (its name's place otherwise).
    value_loc: Loc,
    kind: Kind,
    /// Its place in the order declared.
    index: usize,
    /// Whether a derived tensor read it (params only).
    used: Cell<bool>,
}

/// A param as lowering stores it.
pub struct Param {
    pub name: String,
    pub shape: Vec<usize>,
    /// Empty for a file param whose tensor could not be read.
    pub values: Vec<f64>,
    pub loc: Loc,
    pub used: bool,
    /// The weight file's tensor, for a file param.
    pub file: Option<String>,
}

/// The names declared so far, in the order written. Filled while the spec
/// parses (a name is known from its declaration on), read by every number.
#[derive(Default)]
pub struct Names {
    declared: RefCell<BTreeMap<String, Declared>>,
    order: RefCell<Vec<String>>,
    /// While a derived tensor is read in lowering: how many names were
    /// declared where it stands, the only ones it may read.
    horizon: Cell<Option<usize>>,
    /// The model's float, which params and their arithmetic round to.
    dtype: Cell<Dtype>,
}

/// Words a number already gives a meaning.
const RESERVED: &[&str] = &["PI", "TAU", "sin", "cos", "sqrt", "ln", "exp"];

impl Names {
    /// Declares the scalar `name`, whose value is written at `value_loc`;
    /// an error if it is taken.
    pub fn declare(&self, name: &Name, value: f64, value_loc: Loc, kind: Kind) -> Result<()> {
        self.insert(name, vec![value], value_loc, Vec::new(), None, kind)
    }

    /// Declares the param `name`, of `shape`, read later from the weight
    /// file's tensor `file` ([`Names::fill`]).
    pub fn declare_file(&self, name: &Name, shape: Vec<usize>, file: String) -> Result<()> {
        self.insert(
            name,
            Vec::new(),
            name.span(),
            shape,
            Some(file),
            Kind::Param,
        )
    }

    /// A file param's values, once read, rounded to the dtype as stored.
    pub fn fill(&self, name: &str, values: &[f64]) {
        let dtype = self.dtype.get();
        if let Some(found) = self.declared.borrow_mut().get_mut(name) {
            found.values = values.iter().map(|&v| dtype.round(v)).collect();
        }
    }

    /// The model's float.
    pub fn dtype(&self) -> Dtype {
        self.dtype.get()
    }

    /// Sets the model's float and rounds the params declared so far to it,
    /// as the original stores them; the errors name each value that the
    /// dtype cannot hold.
    pub fn set_dtype(&self, dtype: Dtype) -> Vec<Error> {
        self.dtype.set(dtype);
        let mut errors = Vec::new();
        let mut declared = self.declared.borrow_mut();
        for (name, found) in declared.iter_mut() {
            if found.kind != Kind::Param {
                continue;
            }
            for value in &mut found.values {
                let rounded = dtype.round(*value);
                if !rounded.is_finite() {
                    errors.push(Error::new(
                        found.value_loc,
                        format!(
                            "param `{name}` is {value:e}, which {} does not hold",
                            dtype.name()
                        ),
                    ));
                }
                *value = rounded;
            }
        }
        errors
    }

    fn insert(
        &self,
        name: &Name,
        values: Vec<f64>,
        value_loc: Loc,
        shape: Vec<usize>,
        file: Option<String>,
        kind: Kind,
    ) -> Result<()> {
        let key = name.as_str();
        if RESERVED.contains(&key) {
            return Err(Error::new(
                name.span(),
                format!("`{key}` is a built-in name of numbers"),
            ));
        }
        let mut declared = self.declared.borrow_mut();
        if declared.contains_key(key) {
            return Err(Error::new(
                name.span(),
                format!("`{key}` is declared twice"),
            ));
        }
        let index = declared.len();
        declared.insert(
            key.to_owned(),
            Declared {
                values,
                shape,
                file,
                loc: name.span(),
                value_loc,
                kind,
                index,
                used: Cell::new(false),
            },
        );
        self.order.borrow_mut().push(key.to_owned());
        Ok(())
    }

    /// The value and kind of a declared name, at `index` for a tensor
    /// param; marks a param as read. The message says what is wrong with
    /// the index.
    pub fn read(
        &self,
        name: &str,
        index: Option<&[usize]>,
    ) -> Option<std::result::Result<(f64, Kind), String>> {
        let declared = self.declared.borrow();
        let found = declared.get(name).filter(|found| {
            self.horizon
                .get()
                .is_none_or(|horizon| found.index < horizon)
        })?;
        if found.kind == Kind::Param {
            found.used.set(true);
        }
        let flat = match index {
            None if found.shape.iter().product::<usize>() == 1 => Ok(0),
            None => Err(format!(
                "`{name}` is a tensor of shape {:?}: read an element, `{name}[{}]`",
                found.shape,
                vec!["0"; found.shape.len()].join(", ")
            )),
            Some(index) if index.len() != found.shape.len() => Err(format!(
                "`{name}` has shape {:?}: an index of {} numbers",
                found.shape,
                found.shape.len()
            )),
            Some(index) => index
                .iter()
                .zip(&found.shape)
                .try_fold(0, |flat, (&i, &dim)| (i < dim).then_some(flat * dim + i))
                .ok_or_else(|| {
                    format!(
                        "index {index:?} is outside `{name}`'s shape {:?}",
                        found.shape
                    )
                }),
        };
        Some(flat.map(|flat| {
            // A file param whose tensor could not be read (reported) reads 0.
            (found.values.get(flat).copied().unwrap_or(0.0), found.kind)
        }))
    }

    /// How many names are declared so far.
    pub fn len(&self) -> usize {
        self.order.borrow().len()
    }

    /// Runs `read` seeing only the first `horizon` names declared: a
    /// derived tensor read late sees what was declared where it stands.
    pub fn within<T>(&self, horizon: usize, read: impl FnOnce() -> T) -> T {
        let outer = self.horizon.replace(Some(horizon));
        let result = read();
        self.horizon.set(outer);
        result
    }

    /// Marks the param `name`, if it is one, as read by a derived tensor.
    pub fn mark_read(&self, name: &str) {
        if let Some(found) = self.declared.borrow().get(name) {
            found
                .used
                .set(found.kind == Kind::Param || found.used.get());
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.declared.borrow().contains_key(name)
    }

    /// The params in the order declared, as lowering stores them.
    pub fn params(&self) -> Vec<Param> {
        let declared = self.declared.borrow();
        self.order
            .borrow()
            .iter()
            .filter_map(|name| {
                let found = &declared[name];
                (found.kind == Kind::Param).then(|| Param {
                    name: name.clone(),
                    shape: found.shape.clone(),
                    values: found.values.clone(),
                    loc: found.loc,
                    used: found.used.get(),
                    file: found.file.clone(),
                })
            })
            .collect()
    }
}
