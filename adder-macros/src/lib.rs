//! `model!`: compiles a declarative weight spec of a tiny transformer into
//! unrolled, allocation-free, `const`-evaluable Rust.
//!
//! Use it through `adder::model!`: the code it emits calls `adder`'s `const`
//! math and token helpers. The pipeline, a folder per stage, each importing
//! only the stages before it: `front` lexes a spec file (or takes an inline
//! spec's tokens) and parses the spec; `lower` resolves its names into the
//! intermediate form of `lower::ir`, every value through the rules of
//! `lower::check`; `emit` writes the code. `expand` below is the whole of it.

mod emit;
mod front;
mod lower;
#[cfg(test)]
mod tests;

use proc_macro2::TokenStream;

use crate::front::syntax::Input;

/// Compiles a weight spec into a module.
///
/// ```text
/// adder::model! {
///     /// Docs of the module.
///     pub mod adder58 = "specs/adder58.spec";
/// }
/// adder::model! {
///     pub mod mine {
///         config { vocab: 10, n_embd: 4, n_head: 2, block_size: 35, mlp_hidden: 4 }
///         positions = sinusoid { sin: 1, cos: 2, period: 11, amplitude: { 0: 100.0, 22: 1.0 } }
///         wte = factorized { A: [10, 1] = [..], B: [1, 4] = [1.0, 0.0, 0.0, 0.0] }
///         ..
///     }
/// }
/// ```
///
/// A spec path is relative to the calling crate's `CARGO_MANIFEST_DIR`. The
/// spec language is described in the README of the `adder` crate.
#[proc_macro]
pub fn model(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    expand(input.into()).into()
}

/// The whole expansion, on `proc_macro2` so that tests can call it: the
/// front end reads the input, lowering turns its spec into the model (every
/// error of the spec reported at once), the emitter writes the module.
fn expand(input: TokenStream) -> TokenStream {
    let Input {
        attrs,
        vis,
        name,
        source,
    } = match front::input(input) {
        Ok(input) => input,
        Err(error) => return error.into_compile_error(),
    };
    let body = match lower::spec(&source, name.span()) {
        Ok(lowered) => emit::body(&lowered),
        Err(error) => emit::failed(error),
    };
    emit::module(&attrs, &vis, &name, &body)
}
