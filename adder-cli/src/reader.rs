//! Reading a checkpoint's tensors for a spec: each shape checked against
//! its role, every error kept (not only the first), and which tensors were
//! read, so that those no role reads are named too.

use std::collections::BTreeSet;

use crate::checkpoint::Checkpoint;

/// Reads tensors' shapes, keeping which were read and what was wrong.
pub struct Reader<'c> {
    pub checkpoint: &'c Checkpoint,
    pub errors: Vec<String>,
    used: BTreeSet<String>,
}

impl<'c> Reader<'c> {
    /// A reader of `checkpoint`, nothing read yet.
    pub fn new(checkpoint: &'c Checkpoint) -> Self {
        Reader {
            checkpoint,
            errors: Vec::new(),
            used: BTreeSet::new(),
        }
    }

    /// Whether the checkpoint has a tensor `full`.
    pub fn has(&self, full: &str) -> bool {
        self.checkpoint.tensors.contains_key(full)
    }

    /// Dimension `dim` of tensor `full`'s shape, 0 where it has none: a
    /// width to check the tensor against, read without keeping an error.
    pub fn peek(&self, full: &str, dim: usize) -> usize {
        self.checkpoint
            .tensors
            .get(full)
            .and_then(|tensor| tensor.shape.get(dim))
            .copied()
            .unwrap_or(0)
    }

    /// The shape of tensor `full` (zeros where it is not there, or not
    /// `f32` of `rank` dimensions, the error kept).
    pub fn tensor(&mut self, full: &str, rank: usize) -> Vec<usize> {
        let found = match self.checkpoint.shape(full, rank) {
            Ok(shape) => shape.to_vec(),
            Err(e) => {
                self.errors.push(e);
                vec![0; rank]
            }
        };
        self.used.insert(full.to_owned());
        found
    }

    /// The shape of `name.weight`.
    pub fn shape(&mut self, name: &str, rank: usize) -> Vec<usize> {
        self.tensor(&format!("{name}.weight"), rank)
    }

    /// Reads tensor `full`, which as `slot` must have shape `want` (a
    /// width read as 0 elsewhere is an error already kept).
    pub fn expect(&mut self, full: &str, slot: &str, want: &[usize]) {
        let found = self.tensor(full, want.len());
        if found != want && !found.contains(&0) && !want.contains(&0) {
            self.errors.push(format!(
                "{}: tensor `{full}` has shape {found:?}; as `{slot}` it needs {want:?}",
                self.checkpoint.path
            ));
        }
    }

    /// `lm_head.weight`, where there is one: the language ties the head to
    /// the embedding, so it must be `embedding` saved again.
    pub fn tied_head(&mut self, embedding: &str) {
        let head = "lm_head.weight";
        if self.has(head) && !self.checkpoint.same(head, embedding) {
            self.errors.push(format!(
                "{}: tensor `{head}`: an untied output head (not `{embedding}` saved again); the language ties the head to the token embedding",
                self.checkpoint.path
            ));
        }
        self.used.insert(head.to_owned());
    }

    /// Names each tensor no role of `architecture` read.
    pub fn leftover(&mut self, architecture: &str) {
        let path = &self.checkpoint.path;
        for name in self.checkpoint.tensors.keys() {
            if !self.used.contains(name) {
                self.errors.push(format!(
                    "{path}: tensor `{name}` has no role in {architecture}"
                ));
            }
        }
    }
}

/// A number as the spec writes it: `3.0`, `10000.0`, `1e-6`.
pub fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.1}")
    } else {
        format!("{x:e}")
    }
}
