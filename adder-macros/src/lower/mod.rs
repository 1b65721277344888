//! Lowering: a parsed spec becomes the intermediate form of `ir`, which
//! the emitter reads. `model` resolves the spec's items into a model, with
//! `settings` (`config`, `format`, `weights`), `positions`, `slots` (each
//! slot's parametrisations), `linears` (the linear maps') and `params`
//! (each parameter, written inline or read by `weights` from a safetensors
//! file); `check` holds the rules every value goes through and `statics`
//! the names of the generated statics; `table` computes the positional
//! tables from the lowered form.

pub mod check;
pub mod ir;
pub mod linears;
pub mod model;
pub mod params;
pub mod positions;
pub mod settings;
pub mod slots;
pub mod statics;
pub mod table;
pub mod weights;
