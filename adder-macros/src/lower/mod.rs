//! Lowering: a parsed spec becomes the intermediate form of `ir`, which
//! the emitter reads. `model` resolves the spec's items into a model, with
//! `resolve` (the slot items, each to its layer and slot), `settings`
//! (`config`, `format`, `weights`), `positions`, `decoder` (the slots, by
//! name, and what each lowers to), `slots` (each slot's
//! parametrisations), `linears` (the linear maps') and `params` (each
//! parameter, written inline or read by `weights` from a safetensors file);
//! `check` holds the rules every value goes through and `statics` the
//! names of the generated statics; `table` computes the positional tables
//! from the lowered form.

pub mod check;
pub mod decoder;
pub mod ir;
pub mod linears;
pub mod model;
pub mod params;
pub mod positions;
pub mod resolve;
pub mod settings;
pub mod slots;
pub mod statics;
pub mod table;
pub mod weights;

use std::path::Path;

use proc_macro2::Span;

use crate::front::errors::Errors;
use crate::front::syntax::{self, Source};
use crate::front::{file, lex, tokens};
use model::Lowered;

/// A spec, from where the macro's input says it is: parsed, lowered and
/// checked. An inline spec's errors stand on its tokens (those of the
/// whole spec on `whole`); a spec file's on its path literal.
pub fn spec(source: &Source, whole: Span) -> syn::Result<Lowered> {
    match source {
        Source::Inline(tokens, end) => {
            let trees = tokens::from_stream(tokens.clone());
            front_end(&trees, &file::spec_path(""), whole, (*end).into())
                .map_err(Errors::into_error)
        }
        Source::File(literal) => {
            let (path, text) = file::read(literal)?;
            let shown = literal.value();
            let base = path.parent().unwrap_or(Path::new(""));
            let mut lowered = front_end_of_file(&text, &shown, base, literal.span())?;
            lowered.spec_file = Some(path);
            Ok(lowered)
        }
    }
}

/// Parse, lower, check a spec's trees; weight files resolve against
/// `base`, errors of the whole spec stand on `whole`, an error at its end
/// on `end`.
pub fn front_end(
    trees: &[tokens::Tree],
    base: &Path,
    whole: Span,
    end: tokens::Loc,
) -> Result<Lowered, Errors> {
    let mut errors = Errors::default();
    let spec = syntax::parse_spec(trees, end, &mut errors);
    let lowered = model::lower(spec, base, whole.into(), &mut errors);
    match lowered {
        Some(lowered) if errors.len() == 0 => Ok(lowered),
        _ => Err(errors),
    }
}

/// The front end on a spec file's text, lexed by our own lexer (`lex.rs`)
/// so that every token keeps its line and column; every error is reported
/// on the path literal as `path:line:column: message`.
fn front_end_of_file(text: &str, shown: &str, base: &Path, literal: Span) -> syn::Result<Lowered> {
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
