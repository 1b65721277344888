//! The front end: a spec's text or tokens become its syntax. `tokens`
//! holds a spec's tokens (an inline spec's, or a spec file's from `lex`);
//! `syntax` parses its items, `value` their entries' values and `expr` the
//! numbers, reading through the `cursor` and resolving the `names` a spec
//! declares; `errors` locates and collects what is wrong; `file` reads a
//! spec file for the lexer; `dtype` rounds numbers to the model's float. Nothing here
//! knows the model a spec describes: that is lowering's (`crate::lower`).

pub mod cursor;
pub mod dtype;
pub mod errors;
pub mod expr;
pub mod file;
pub mod lex;
pub mod names;
pub mod syntax;
pub mod tokens;
pub mod value;

use proc_macro2::TokenStream;

use syntax::Input;

/// The macro's input: the module to emit and where its spec is; first
/// checked, without recursing, for brackets nested too deep to parse.
pub fn input(tokens: TokenStream) -> syn::Result<Input> {
    errors::shallow(&tokens)?;
    syn::parse2::<Input>(tokens)
}
