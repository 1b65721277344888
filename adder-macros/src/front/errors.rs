//! Errors: one located message, and those collected across the stages,
//! reported together. Every stage reports through these, so they stand
//! below the cursor and the parsers that return them.

use std::fmt;

use proc_macro2::{Span, TokenStream, TokenTree};

use crate::front::tokens::Loc;

/// A located error message.
#[derive(Debug)]
pub struct Error {
    pub loc: Loc,
    pub message: String,
}

impl Error {
    pub fn new(loc: impl Into<Loc>, message: impl fmt::Display) -> Self {
        Error {
            loc: loc.into(),
            message: message.to_string(),
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// Every error found so far: the macro reports them all at once, each on the
/// token at fault, instead of stopping at the first.
#[derive(Default)]
pub struct Errors {
    errors: Vec<Error>,
}

impl Errors {
    pub fn push(&mut self, error: Error) {
        self.errors.push(error);
    }

    pub fn at(&mut self, loc: impl Into<Loc>, message: impl std::fmt::Display) {
        self.errors.push(Error::new(loc, message));
    }

    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// An inline spec's errors combined into one, each on its own span.
    pub fn into_error(self) -> syn::Error {
        self.combine(|error| match error.loc {
            Loc::Span(span) => syn::Error::new(span, error.message),
            // Not made for an inline spec; still reported, on the call.
            Loc::At { .. } => syn::Error::new(Span::call_site(), error.message),
        })
    }

    /// A spec file's errors combined into one, each on the path literal
    /// as `path:line:column: message` (`path: message` for the whole file).
    pub fn into_file_error(self, shown: &str, literal: Span) -> syn::Error {
        self.combine(|error| {
            let message = match error.loc {
                Loc::At { line, column } => format!("{shown}:{line}:{column}: {}", error.message),
                Loc::Span(_) => format!("{shown}: {}", error.message),
            };
            syn::Error::new(literal, message)
        })
    }

    fn combine(self, each: impl Fn(Error) -> syn::Error) -> syn::Error {
        let mut errors = self.errors.into_iter().map(each);
        let mut combined = errors
            .next()
            .unwrap_or_else(|| syn::Error::new(Span::call_site(), "invalid spec"));
        for error in errors {
            combined.combine(error);
        }
        combined
    }
}

/// How deep brackets, braces and parentheses may nest in a spec. `syn`
/// recurses once a level when it reads tokens, so a deep enough input
/// would overflow the compiler's stack; a spec needs a handful of levels.
pub const MAX_NESTING: usize = 128;

/// Checks, without recursing, that no group nests deeper than
/// [`MAX_NESTING`]; the error stands on the group that does.
pub fn shallow(tokens: &TokenStream) -> syn::Result<()> {
    let mut stack = vec![tokens.clone().into_iter()];
    while let Some(level) = stack.last_mut() {
        match level.next() {
            Some(TokenTree::Group(group)) => {
                if stack.len() > MAX_NESTING {
                    return Err(syn::Error::new(
                        group.span(),
                        format!("brackets nested deeper than {MAX_NESTING} levels"),
                    ));
                }
                stack.push(group.stream().into_iter());
            }
            Some(_) => {}
            None => {
                stack.pop();
            }
        }
    }
    Ok(())
}
