//! The lexer of spec files against proc-macro2's, in the fuzz pass and on
//! every shipped spec.

use proc_macro2::TokenStream;
use proptest::prelude::*;

use super::specs::specs;
use crate::front::tokens::{Lit, Loc, Tree};

/// A tree, flattened, as `kind text @line:column`; numbers by value.
fn flatten(trees: &[Tree], out: &mut Vec<String>) {
    let at = |loc: Loc| match loc {
        Loc::At { line, column } => format!("@{line}:{column}"),
        Loc::Span(span) => format!("@{}:{}", span.start().line, span.start().column + 1),
    };
    for tree in trees {
        match tree {
            Tree::Ident(name) => out.push(format!("ident {name} {}", at(name.span()))),
            Tree::Punct(c, loc) => out.push(format!("punct {c} {}", at(*loc))),
            Tree::Lit(lit, loc) => {
                let text = match lit {
                    Lit::Int { digits, suffix } => format!("int {digits} {suffix}"),
                    Lit::Float { digits, suffix } => {
                        format!("float {:?} {suffix}", digits.parse::<f64>())
                    }
                    Lit::Str(value) => format!("str {value:?}"),
                    Lit::Other => "other".to_owned(),
                };
                out.push(format!("{text} {}", at(*loc)));
            }
            Tree::Group(group) => {
                out.push(format!("open {:?} {}", group.delim, at(group.open)));
                flatten(&group.trees, out);
                out.push(format!("close {}", at(group.close)));
            }
        }
    }
}

/// Our spec-file lexer against proc-macro2's (which tracks lines and
/// columns outside a macro): the same trees at the same places, and the
/// same texts refused. Texts with what a spec never holds, and the two
/// lex differently on purpose, are skipped: doc comments (proc-macro2
/// makes them attributes, ours skips them), quotes (char literals and
/// lifetimes), and non-ASCII (rustc's identifiers are XID, ours alphabetic).
pub(super) fn check_lexer(text: &str) -> Result<(), TestCaseError> {
    let skipped = ["///", "//!", "/**", "/*!", "'"];
    if skipped.iter().any(|s| text.contains(s)) || !text.is_ascii() {
        return Ok(());
    }
    let ours = crate::front::lex::lex(text);
    let theirs = text.parse::<TokenStream>();
    match (ours, theirs) {
        (Ok(ours), Ok(theirs)) => {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            flatten(&ours, &mut a);
            flatten(&crate::front::tokens::from_stream(theirs), &mut b);
            prop_assert_eq!(a, b, "lexed differently:\n{}", text);
        }
        (Err(_), Err(_)) => {}
        (ours, theirs) => prop_assert!(
            false,
            "one lexer refused, the other not (ours {:?}, proc-macro2 {:?}):\n{}",
            ours.err(),
            theirs.err(),
            text
        ),
    }
    Ok(())
}

/// Every shipped spec and tricky texts lex as proc-macro2 lexes them.
#[test]
fn the_lexer_agrees_with_proc_macro2() {
    let tricky = [
        "h.0.attn.q = dense { w: [2] = [1., 2.5e-3] }",
        "x: 0x1F, y: 0b101, z: 0o17, w: 1_000, f: 1e5, g: 1E+5, h: 2.0f32, i: 3f64",
        "s: \"a\\n\\\"b\\u{41}\\x41\", r: r#\"raw \" \"#, t: r\"x\"",
        "/* a /* nested */ comment */ a // line\r\nb\tc",
        "1..2 1.a r#type",
        "a: 00, b: 007, c: 0_0, d: 00.5",
        "a ` b \\ c",
        "\"unterminated",
        "/* unterminated",
        "{ ( ] }",
        ")",
    ];
    for text in specs().iter().map(String::as_str).chain(tricky) {
        check_lexer(text).unwrap();
    }
}
