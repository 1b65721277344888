//! A property-based fuzz harness of the whole macro, on stable Rust
//! (proptest): every shipped spec mutated at the text level, token soup
//! from the spec grammar's alphabet, and spec files with CRLF, a BOM, tabs
//! and invalid UTF-8, each expanded inline and from a file.
//!
//! For every input: no panic (and no stack overflow, which would abort the
//! test binary); every error located (inline, on a token of the input; in a
//! file, as `path:` or `path:line:column:`); and every accepted spec emits
//! code that parses as Rust (`syn::parse_file`).
//!
//! `cargo test -p adder-macros fuzz` runs a short pass (256 cases per
//! property, a few seconds); a long one, with the seed proptest prints:
//! `PROPTEST_CASES=20000 cargo test --release -p adder-macros fuzz -- --nocapture`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};

use proc_macro2::{Literal, TokenStream, TokenTree};
use proptest::prelude::*;
use quote::quote;

use crate::expand;

mod lexer;
mod specs;

use lexer::check_lexer;
use specs::specs;

/// What the grammar is made of: the pieces of token soup and of insertions.
const PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    ":",
    ",",
    "=",
    "@",
    ".",
    "-",
    "+",
    "*",
    "/",
    " ",
    "\n",
    "0",
    "1",
    "35",
    "1e-6",
    "-1.0",
    "1e400",
    "NaN",
    "18446744073709551616",
    "config",
    "format",
    "positions",
    "weights",
    "wte",
    "wpe",
    "attn.q",
    "attn.k",
    "attn.v",
    "mlp.c_fc",
    "lm_head",
    "norm",
    "h.1.",
    "dense",
    "rope",
    "learned",
    "tied",
    "rms_norm",
    "low_rank",
    "weight",
    "file",
    "file(\"x\")",
    "at",
    "derived",
    "consts",
    "params",
    "ln(",
    "X",
    "sqrt(",
    "PI",
    "\"s\"",
    "a_lsb",
    "sep",
    "//",
    "/*",
    "'",
];

/// The `compile_error!`s of an expansion, with the line of each.
fn errors(output: &TokenStream) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    let mut trees = output.clone().into_iter().peekable();
    while let Some(tree) = trees.next() {
        match tree {
            TokenTree::Ident(ident) if ident == "compile_error" => {
                let line = ident.span().start().line;
                let _bang = trees.next();
                if let Some(TokenTree::Group(group)) = trees.next() {
                    found.push((group.stream().to_string(), line));
                }
            }
            TokenTree::Group(group) => found.extend(errors(&group.stream())),
            _ => {}
        }
    }
    found
}

/// Counts the inputs expanded and keeps the largest; every 10,000th input
/// prints both (seen with `--nocapture`), for the long run's report.
fn tally(len: usize) {
    static TRIED: AtomicUsize = AtomicUsize::new(0);
    static LARGEST: AtomicUsize = AtomicUsize::new(0);
    let tried = TRIED.fetch_add(1, Ordering::Relaxed) + 1;
    let largest = LARGEST.fetch_max(len, Ordering::Relaxed).max(len);
    if tried.is_multiple_of(10_000) {
        eprintln!("fuzz: {tried} inputs expanded, the largest {largest} bytes");
    }
}

/// The line of the input's first token (see [`check_inline`]).
const FIRST_LINE: usize = 3;

/// Expands `mod fuzz { text }` lexed from text (so every token has a
/// line), and checks the properties.
fn check_inline(text: &str) -> Result<(), TestCaseError> {
    tally(text.len());
    // Two lines first: every token of the input stands on line 3 or later,
    // and a span outside it (the call site) on line 1.
    let input = format!("\n\nmod fuzz {{\n{text}\n}}");
    let Ok(tokens) = input.parse::<TokenStream>() else {
        return Ok(()); // not tokens at all: the compiler would refuse it first
    };
    // The front end alone (parse, lower, check) where the input is a module
    // with a body: what most inputs stop at, and fast. The whole expansion
    // where it accepts, or where the input is not such a module.
    let mut trees = tokens.clone().into_iter();
    if let (
        Some(TokenTree::Ident(_)),
        Some(TokenTree::Ident(name)),
        Some(TokenTree::Group(body)),
        None,
    ) = (trees.next(), trees.next(), trees.next(), trees.next())
    {
        let rejected = catch_unwind(AssertUnwindSafe(|| {
            crate::front::errors::shallow(&body.stream()).and_then(|()| {
                crate::lower::front_end(
                    &crate::front::tokens::from_stream(body.stream()),
                    std::path::Path::new(""),
                    name.span(),
                    body.span_close().into(),
                )
                .map(drop)
                .map_err(crate::front::errors::Errors::into_error)
            })
        }))
        .map_err(|_| TestCaseError::fail(format!("the front end panicked on\n{text}")))?;
        if let Err(error) = rejected {
            for error in error {
                // Whole-spec errors stand on the module's name, as `expand`
                // puts them; a call-site span would have no line.
                let line = error.span().start().line;
                prop_assert!(
                    line >= FIRST_LINE,
                    "an error outside the input: {error}\n{text}"
                );
            }
            return Ok(());
        }
    }
    let output = catch_unwind(AssertUnwindSafe(|| expand(tokens)))
        .map_err(|_| TestCaseError::fail(format!("panicked on\n{text}")))?;
    let found = errors(&output);
    for (message, line) in &found {
        prop_assert!(
            *line >= FIRST_LINE,
            "an error outside the input: {message}\n{text}"
        );
    }
    if found.is_empty() {
        prop_assert!(
            syn::parse_file(&output.to_string()).is_ok(),
            "accepted, but emits code that does not parse:\n{text}"
        );
    }
    Ok(())
}

/// Expands the bytes as a spec file, and checks the properties.
fn check_file(bytes: &[u8]) -> Result<(), TestCaseError> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    tally(bytes.len());
    let path = std::env::temp_dir().join(format!(
        "adder-fuzz-{}-{}.spec",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&path, bytes).expect("a temporary file");
    let shown = path.display().to_string();
    let literal = Literal::string(&shown);
    let output = catch_unwind(AssertUnwindSafe(|| expand(quote!(mod fuzz = #literal;))));
    std::fs::remove_file(&path).expect("the temporary file");
    let output = output.map_err(|_| TestCaseError::fail("panicked on a file"))?;
    let found = errors(&output);
    for (message, _) in &found {
        prop_assert!(
            message.starts_with(&format!("\"{shown}:")),
            "a file error without its path: {message}"
        );
    }
    if found.is_empty() {
        prop_assert!(syn::parse_file(&output.to_string()).is_ok());
    }
    Ok(())
}

/// One edit of a text: delete, duplicate, or insert a piece.
#[derive(Clone, Debug)]
enum Edit {
    Delete(usize, usize),
    Duplicate(usize, usize),
    Insert(usize, &'static str),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 1..40usize).prop_map(|(at, len)| Edit::Delete(at, len)),
        (any::<usize>(), 1..80usize).prop_map(|(at, len)| Edit::Duplicate(at, len)),
        (any::<usize>(), proptest::sample::select(PIECES)).prop_map(|(at, p)| Edit::Insert(at, p)),
    ]
}

/// Applies edits at char boundaries.
fn apply(text: &str, edits: &[Edit]) -> String {
    let mut text = text.to_owned();
    for edit in edits {
        let boundary = |at: usize, text: &str| {
            let mut at = at % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        match *edit {
            Edit::Delete(at, len) => {
                let start = boundary(at, &text);
                let end = boundary(start + len, &text).max(start);
                text.replace_range(start..end, "");
            }
            Edit::Duplicate(at, len) => {
                let start = boundary(at, &text);
                let end = boundary(start + len, &text).max(start);
                let copy = text[start..end].to_owned();
                text.insert_str(end, &copy);
            }
            Edit::Insert(at, piece) => {
                let at = boundary(at, &text);
                text.insert_str(at, piece);
            }
        }
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn fuzz_mutated_specs(which in any::<usize>(), edits in proptest::collection::vec(edit(), 1..6)) {
        let specs = specs();
        let text = apply(&specs[which % specs.len()], &edits);
        check_inline(&text)?;
        check_file(text.as_bytes())?;
        check_lexer(&text)?;
    }

    #[test]
    fn fuzz_token_soup(pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..200)) {
        let text = pieces.join(" ");
        check_inline(&text)?;
        check_file(text.as_bytes())?;
        check_lexer(&text)?;
    }

    #[test]
    fn fuzz_file_bytes(which in any::<usize>(), crlf in any::<bool>(), bom in any::<bool>(), tabs in any::<bool>(), junk in proptest::option::of((any::<usize>(), any::<u8>()))) {
        let specs = specs();
        let mut text = specs[which % specs.len()].clone();
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        if tabs {
            text = text.replace("    ", "\t");
        }
        let mut bytes = if bom { "\u{feff}".as_bytes().to_vec() } else { Vec::new() };
        bytes.extend(text.as_bytes());
        if let Some((at, byte)) = junk {
            let at = at % bytes.len();
            bytes.insert(at, byte | 0x80);
        }
        check_file(&bytes)?;
    }
}

/// A span outside the input stands before its first line: the location
/// check can fail.
#[test]
fn a_span_outside_the_input_is_caught() {
    assert!(proc_macro2::Span::call_site().start().line < FIRST_LINE);
}

/// Every shipped spec, untouched, is accepted both ways.
#[test]
fn every_shipped_spec_is_accepted() {
    for text in specs() {
        let input = format!("mod fuzz {{\n{text}\n}}");
        let output = expand(input.parse().expect("a spec lexes"));
        assert!(errors(&output).is_empty(), "{:?}", errors(&output));
    }
}
