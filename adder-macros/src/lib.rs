//! `model!`: compiles a declarative weight spec of a tiny transformer into
//! unrolled, allocation-free, `const`-evaluable Rust.
//!
//! Use it through `adder::model!`: the code it emits calls `adder`'s `const`
//! math and token helpers. The stages, one file each: `syntax` parses,
//! `model` resolves names into the model, `check` holds the rules,
//! `table` computes the positional table, `emit` writes the code.

mod check;
mod emit;
mod errors;
mod model;
mod syntax;
mod table;
#[cfg(test)]
mod tests;

use std::path::PathBuf;

use proc_macro2::{Span, TokenStream};
use quote::quote;

use crate::errors::Errors;
use crate::syntax::{Input, Source};

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

/// The whole expansion, on `proc_macro2` so that tests can call it.
fn expand(input: TokenStream) -> TokenStream {
    let input = match syn::parse2::<Input>(input) {
        Ok(input) => input,
        Err(error) => return error.into_compile_error(),
    };
    let Input {
        attrs,
        vis,
        name,
        source,
    } = input;
    let (body, track) = match compile(&source) {
        Ok((body, track)) => (body, track),
        Err(error) => {
            let fallback = emit::fallback();
            let error = error.into_compile_error();
            (quote!(#error #fallback), TokenStream::new())
        }
    };
    quote! {
        #(#attrs)*
        #[allow(clippy::all, clippy::pedantic, clippy::nursery)]
        #vis mod #name {
            #track
            #body
        }
    }
}

/// Parses, lowers and checks a spec, then emits it; also returns the
/// `include_str!` that makes cargo rebuild when a spec file changes.
fn compile(source: &Source) -> syn::Result<(TokenStream, TokenStream)> {
    match source {
        Source::Inline(tokens) => {
            let model = front_end(tokens.clone()).map_err(Errors::into_error)?;
            Ok((emit::model(&model), TokenStream::new()))
        }
        Source::File(literal) => {
            let path = spec_path(&literal.value());
            let text = std::fs::read_to_string(&path).map_err(|error| {
                syn::Error::new(
                    literal.span(),
                    format!("cannot read spec `{}` (relative to the crate's CARGO_MANIFEST_DIR): {error}", literal.value()),
                )
            })?;
            let shown = literal.value();
            let model = front_end_of_file(&text, &shown, literal.span())?;
            let absolute = path.to_string_lossy().into_owned();
            Ok((
                emit::model(&model),
                quote!(
                    const _: &str = include_str!(#absolute);
                ),
            ))
        }
    }
}

/// Parse, lower, check.
fn front_end(tokens: TokenStream) -> Result<model::Model, Errors> {
    let mut errors = Errors::default();
    let spec = syntax::parse_spec(tokens, &mut errors);
    let model = model::lower(spec, &mut errors);
    match model {
        Some(model) if errors.len() == 0 => Ok(model),
        _ => Err(errors),
    }
}

/// The front end on a spec file's text. Tokens lexed from a string carry no
/// location in a real macro expansion, so the file is lexed by proc-macro2's
/// own lexer, which tracks lines and columns; every error is then reported on
/// the path literal as `path:line:column: message`.
fn front_end_of_file(text: &str, shown: &str, literal: Span) -> syn::Result<model::Model> {
    let located = |error: syn::Error| {
        let at = error.span().start();
        if at.line == 0 {
            format!("{shown}: {error}")
        } else {
            format!("{shown}:{}:{}: {error}", at.line, at.column + 1)
        }
    };
    let result: Result<model::Model, Vec<String>> = {
        let _lexer = FallbackLexer::force();
        match text.parse::<TokenStream>() {
            Err(error) => Err(vec![located(syn::Error::new(error.span(), error))]),
            Ok(tokens) => front_end(tokens)
                .map_err(|errors| errors.into_error().into_iter().map(located).collect()),
        }
    };
    result.map_err(|messages| {
        let mut errors = Errors::default();
        for message in messages {
            errors.at(literal, message);
        }
        errors.into_error()
    })
}

/// While alive, proc-macro2 lexes with its own location-tracking lexer.
struct FallbackLexer;

impl FallbackLexer {
    fn force() -> Self {
        proc_macro2::fallback::force();
        FallbackLexer
    }
}

impl Drop for FallbackLexer {
    fn drop(&mut self) {
        proc_macro2::fallback::unforce();
    }
}

/// A spec path, relative to the calling crate's manifest directory.
fn spec_path(relative: &str) -> PathBuf {
    let base = std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(PathBuf::new, PathBuf::from);
    base.join(relative)
}
