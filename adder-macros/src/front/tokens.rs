//! The spec's tokens, wherever the spec comes from: an inline spec's tokens
//! (each at its span of the macro call) or a spec file's, lexed by `lex.rs`
//! (each at its line and column). The parser reads these, never the
//! compiler's tokens directly, so that a spec file's errors keep their
//! `path:line:column` without switching proc-macro2 to its own lexer, a
//! switch global to the compiler process.

use std::fmt;

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};

/// Where a token stands.
#[derive(Clone, Copy, Debug)]
pub enum Loc {
    /// A token of the macro call: an inline spec's, or the call itself
    /// (for a spec file, an error of the whole file).
    Span(Span),
    /// A spec file's line and column, both from 1.
    At { line: usize, column: usize },
}

impl From<Span> for Loc {
    fn from(span: Span) -> Self {
        Loc::Span(span)
    }
}

/// An identifier (keywords included: `PyTorch` paths may use them).
#[derive(Clone, Debug)]
pub struct Name {
    text: String,
    loc: Loc,
}

impl Name {
    pub fn new(text: impl Into<String>, loc: Loc) -> Self {
        Name {
            text: text.into(),
            loc,
        }
    }

    pub fn span(&self) -> Loc {
        self.loc
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.text == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

/// A string literal's value (a file or tensor name).
#[derive(Clone, Debug)]
pub struct Str {
    value: String,
    loc: Loc,
}

impl Str {
    pub fn new(value: String, loc: Loc) -> Self {
        Str { value, loc }
    }

    pub fn value(&self) -> String {
        self.value.clone()
    }

    pub fn span(&self) -> Loc {
        self.loc
    }
}

/// A literal: numbers keep their decimal digits and suffix.
#[derive(Clone, Debug)]
pub enum Lit {
    Int {
        digits: String,
        suffix: String,
    },
    Float {
        digits: String,
        suffix: String,
    },
    Str(String),
    /// A character, byte or other literal no spec uses.
    Other,
}

/// One token tree of a spec.
#[derive(Clone, Debug)]
pub enum Tree {
    Ident(Name),
    Punct(char, Loc),
    Lit(Lit, Loc),
    Group(Group),
}

impl Tree {
    pub fn loc(&self) -> Loc {
        match self {
            Tree::Ident(name) => name.span(),
            Tree::Punct(_, loc) | Tree::Lit(_, loc) => *loc,
            Tree::Group(group) => group.open,
        }
    }
}

/// Which brackets a group has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delim {
    Paren,
    Bracket,
    Brace,
}

/// A bracketed group, with where it opens and closes.
#[derive(Clone, Debug)]
pub struct Group {
    pub delim: Delim,
    pub trees: Vec<Tree>,
    pub open: Loc,
    pub close: Loc,
}

/// An inline spec's tokens as trees. The caller has checked their depth
/// (`errors::shallow`), so the recursion here is bounded.
pub fn from_stream(stream: TokenStream) -> Vec<Tree> {
    stream
        .into_iter()
        .flat_map(|tree| match tree {
            // An invisible group (a `macro_rules!` fragment) of one token
            // is that token: `$position:literal` stays an integer.
            TokenTree::Group(group)
                if group.delimiter() == Delimiter::None
                    && group.stream().into_iter().count() == 1 =>
            {
                from_stream(group.stream())
            }
            tree => vec![tree_of(tree)],
        })
        .collect()
}

/// One token tree of an inline spec.
fn tree_of(tree: TokenTree) -> Tree {
    match tree {
        TokenTree::Ident(ident) => {
            let text = ident.to_string();
            let text = text.strip_prefix("r#").map_or(text.clone(), str::to_owned);
            Tree::Ident(Name::new(text, ident.span().into()))
        }
        TokenTree::Punct(punct) => Tree::Punct(punct.as_char(), punct.span().into()),
        TokenTree::Literal(literal) => {
            let span = literal.span();
            let lit = match syn::Lit::new(literal) {
                syn::Lit::Int(int) => Lit::Int {
                    digits: int.base10_digits().to_owned(),
                    suffix: int.suffix().to_owned(),
                },
                syn::Lit::Float(float) => Lit::Float {
                    digits: float.base10_digits().to_owned(),
                    suffix: float.suffix().to_owned(),
                },
                syn::Lit::Str(string) => Lit::Str(string.value()),
                _ => Lit::Other,
            };
            Tree::Lit(lit, span.into())
        }
        TokenTree::Group(group) => {
            let delim = match group.delimiter() {
                Delimiter::Bracket => Delim::Bracket,
                Delimiter::Brace => Delim::Brace,
                // An invisible group of more tokens (an `$x:expr`)
                // reads as parentheses: a number stays one number.
                Delimiter::Parenthesis | Delimiter::None => Delim::Paren,
            };
            Tree::Group(Group {
                delim,
                trees: from_stream(group.stream()),
                open: group.span_open().into(),
                close: group.span_close().into(),
            })
        }
    }
}
