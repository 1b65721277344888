//! A spec file: found relative to the calling crate's manifest directory,
//! read whole (at most [`MAX_SPEC_BYTES`]), and checked to be UTF-8 text,
//! each failure an error on the path literal. Its text goes to the lexer
//! (`lex.rs`).

use std::path::PathBuf;

use syn::LitStr;

/// The largest spec file read: 1 MiB.
const MAX_SPEC_BYTES: u64 = 1 << 20;

/// The spec file a path literal names: where it is, and its text.
pub fn read(literal: &LitStr) -> syn::Result<(PathBuf, String)> {
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
            format!(
                "cannot read spec `{}` (relative to the crate's CARGO_MANIFEST_DIR): {error}",
                literal.value()
            ),
        )
    })?;
    let text = String::from_utf8(bytes).map_err(|error| {
        // Where the first byte that is not UTF-8 stands.
        let valid = String::from_utf8_lossy(&error.as_bytes()[..error.utf8_error().valid_up_to()]);
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
    Ok((path, text))
}

/// A spec path, relative to the calling crate's manifest directory.
pub fn spec_path(relative: &str) -> PathBuf {
    let base = std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(PathBuf::new, PathBuf::from);
    base.join(relative)
}
