//! The front end: a spec's text or tokens become its syntax. `tokens`
//! holds a spec's tokens (an inline spec's, or a spec file's from `lex`);
//! `syntax` parses its items, `value` their entries' values and `expr` the
//! numbers, reading through the `cursor` and resolving the `names` a spec
//! declares; `errors` locates and collects what is wrong. Nothing here
//! knows the model a spec describes: that is lowering's (`crate::lower`).

pub mod cursor;
pub mod errors;
pub mod expr;
pub mod lex;
pub mod names;
pub mod syntax;
pub mod tokens;
pub mod value;
