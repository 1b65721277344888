//! Names a spec declares before it uses them, as a construction's code does:
//!
//! - `consts { OMEGA: TAU / 19.0 }`: numbers of the construction, in `f64`
//!   as the original's Python floats are. Not stored, not counted.
//! - `params { c: 1000.0 }`: the scalars the original stores as parameters
//!   and derives its weights from at run time. Each is stored as an `f32`
//!   static and counted once; only `derived` tensors read them, and
//!   arithmetic on a parameter is `f32` arithmetic, operation by operation,
//!   as in the original's forward pass (`expr.rs`).

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

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
    /// The `f64` value of a const; the `f32` value (widened) of a param.
    pub value: f64,
    pub loc: Loc,
    pub kind: Kind,
    /// Whether a derived tensor read it (params only).
    used: Cell<bool>,
}

/// The names declared so far, in the order written. Filled while the spec
/// parses (a name is known from its declaration on), read by every number.
#[derive(Default)]
pub struct Names {
    declared: RefCell<BTreeMap<String, Declared>>,
    order: RefCell<Vec<String>>,
}

/// Words a number already gives a meaning.
const RESERVED: &[&str] = &["PI", "TAU", "sin", "cos", "sqrt", "ln", "exp"];

impl Names {
    /// Declares `name`; an error if it is taken.
    pub fn declare(&self, name: &Name, value: f64, kind: Kind) -> Result<()> {
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
        declared.insert(
            key.to_owned(),
            Declared {
                value,
                loc: name.span(),
                kind,
                used: Cell::new(false),
            },
        );
        self.order.borrow_mut().push(key.to_owned());
        Ok(())
    }

    /// The value and kind of a declared name; marks a param as read.
    pub fn read(&self, name: &str) -> Option<(f64, Kind)> {
        let declared = self.declared.borrow();
        let found = declared.get(name)?;
        if found.kind == Kind::Param {
            found.used.set(true);
        }
        Some((found.value, found.kind))
    }

    pub fn contains(&self, name: &str) -> bool {
        self.declared.borrow().contains_key(name)
    }

    /// The params in the order declared: name, `f32` value, place, and
    /// whether anything read it.
    pub fn params(&self) -> Vec<(String, f32, Loc, bool)> {
        let declared = self.declared.borrow();
        self.order
            .borrow()
            .iter()
            .filter_map(|name| {
                let found = &declared[name];
                #[allow(clippy::cast_possible_truncation)] // stored as f32 already
                let value = found.value as f32;
                (found.kind == Kind::Param)
                    .then(|| (name.clone(), value, found.loc, found.used.get()))
            })
            .collect()
    }
}
