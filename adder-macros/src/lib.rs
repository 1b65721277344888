//! `model!`: compiles a declarative weight spec of a tiny transformer into
//! unrolled, allocation-free, `const`-evaluable Rust.
//!
//! Use it through `adder::model!`: the code it emits calls `adder`'s `const`
//! math and token helpers. The stages, one file each: `tokens` holds a
//! spec's tokens (an inline spec's, or a file's from `lex`); `syntax` (with
//! `value` and `expr`, over the `cursor`) parses; `lower` (with `settings`, `slots` and `params`)
//! resolves names into the intermediate form of `ir`, reading `weights`
//! files; `check` holds the rules; `table` computes the positional tables;
//! `emit` writes the code.

mod emit;
mod front;
mod lower;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use proc_macro2::{Span, TokenStream};
use quote::quote;

use crate::front::errors::{self, Errors};
use crate::front::syntax::{self, Input, Source};
use crate::front::{lex, tokens};

/// The largest spec file read: 1 MiB.
const MAX_SPEC_BYTES: u64 = 1 << 20;

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
    if let Err(error) = errors::shallow(&input) {
        return error.into_compile_error();
    }
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
    let (body, track) = match compile(&source, name.span()) {
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
            #body
            #track
        }
    }
}

/// Parses, lowers and checks a spec, then emits it; also returns the
/// `include_str!` that makes cargo rebuild when a spec file changes.
fn compile(source: &Source, whole: Span) -> syn::Result<(TokenStream, TokenStream)> {
    match source {
        Source::Inline(tokens, end) => {
            let trees = tokens::from_stream(tokens.clone());
            let lowered = front_end(&trees, &spec_path(""), whole, (*end).into())
                .map_err(Errors::into_error)?;
            let track = track_weights(&lowered);
            Ok((emit::model(&lowered.model), track))
        }
        Source::File(literal) => {
            let path = spec_path(&literal.value());
            let size = std::fs::metadata(&path).map_or(0, |metadata| metadata.len());
            if size > MAX_SPEC_BYTES {
                return Err(syn::Error::new(
                    literal.span(),
                    format!(
                        "spec `{}` is {size} bytes; a spec file may hold {MAX_SPEC_BYTES} (large weights belong in a weight file)",
                        literal.value()
                    ),
                ));
            }
            let bytes = std::fs::read(&path).map_err(|error| {
                syn::Error::new(
                    literal.span(),
                    format!("cannot read spec `{}` (relative to the crate's CARGO_MANIFEST_DIR): {error}", literal.value()),
                )
            })?;
            let text = String::from_utf8(bytes).map_err(|error| {
                // Where the first byte that is not UTF-8 stands.
                let valid =
                    String::from_utf8_lossy(&error.as_bytes()[..error.utf8_error().valid_up_to()]);
                let line = valid.matches('\n').count() + 1;
                let column = valid
                    .rsplit('\n')
                    .next()
                    .map_or(0, |last| last.chars().count())
                    + 1;
                syn::Error::new(
                    literal.span(),
                    format!(
                        "{}:{line}:{column}: the spec is not UTF-8 text",
                        literal.value()
                    ),
                )
            })?;
            let shown = literal.value();
            let base = path.parent().unwrap_or(Path::new(""));
            let lowered = front_end_of_file(&text, &shown, base, literal.span())?;
            let absolute = path.to_string_lossy().into_owned();
            let weights = track_weights(&lowered);
            Ok((
                emit::model(&lowered.model),
                quote!(
                    const _: &str = include_str!(#absolute);
                    #weights
                ),
            ))
        }
    }
}

/// `include_bytes!` of the weight file, so that cargo rebuilds when it
/// changes.
fn track_weights(lowered: &lower::model::Lowered) -> TokenStream {
    lowered
        .weight_file
        .as_ref()
        .map_or_else(TokenStream::new, |path| {
            let absolute = path.to_string_lossy().into_owned();
            quote!(
                const _: &[u8] = include_bytes!(#absolute);
            )
        })
}

/// Parse, lower, check a spec's trees; weight files resolve against
/// `base`, errors of the whole spec stand on `whole`, an error at its end
/// on `end`.
fn front_end(
    trees: &[tokens::Tree],
    base: &Path,
    whole: Span,
    end: tokens::Loc,
) -> Result<lower::model::Lowered, Errors> {
    let mut errors = Errors::default();
    let spec = syntax::parse_spec(trees, end, &mut errors);
    let lowered = lower::model::lower(spec, base, whole.into(), &mut errors);
    match lowered {
        Some(lowered) if errors.len() == 0 => Ok(lowered),
        _ => Err(errors),
    }
}

/// The front end on a spec file's text, lexed by our own lexer (`lex.rs`)
/// so that every token keeps its line and column; every error is reported
/// on the path literal as `path:line:column: message`.
fn front_end_of_file(
    text: &str,
    shown: &str,
    base: &Path,
    literal: Span,
) -> syn::Result<lower::model::Lowered> {
    let trees = lex::lex(text).map_err(|found| {
        let mut errors = Errors::default();
        for error in found {
            errors.push(error);
        }
        errors.into_file_error(shown, literal)
    })?;
    // The end of the file: the line after its last.
    let end = tokens::Loc::At {
        line: text.lines().count() + 1,
        column: 1,
    };
    // Errors of the whole file stand on the call: `path: message`.
    front_end(&trees, base, Span::call_site(), end)
        .map_err(|errors| errors.into_file_error(shown, literal))
}

/// A spec path, relative to the calling crate's manifest directory.
fn spec_path(relative: &str) -> PathBuf {
    let base = std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(PathBuf::new, PathBuf::from);
    base.join(relative)
}
