//! A cursor over a spec's token trees (`tokens.rs`): what the parser
//! (`syntax.rs`, `value.rs`, `expr.rs`) reads and peeks with; it returns
//! the located error of `errors.rs`.

use std::fmt;

use crate::front::errors::{Error, Result};
use crate::front::names::Names;
use crate::front::tokens::{Delim, Group, Lit, Loc, Name, Str, Tree};

/// The trees inside one group (or a whole spec), read front to back.
#[derive(Clone, Copy)]
pub struct Cursor<'a> {
    trees: &'a [Tree],
    /// Where an error at the end stands: the group's closing bracket.
    end: Loc,
    /// The names the spec has declared so far, which numbers read.
    names: &'a Names,
}

impl<'a> Cursor<'a> {
    pub fn new(trees: &'a [Tree], end: Loc, names: &'a Names) -> Self {
        Cursor { trees, end, names }
    }

    pub fn names(&self) -> &'a Names {
        self.names
    }

    pub fn is_empty(&self) -> bool {
        self.trees.is_empty()
    }

    /// Where the next tree stands, or the end.
    pub fn loc(&self) -> Loc {
        self.trees.first().map_or(self.end, Tree::loc)
    }

    /// An error at the next tree, or at the end.
    pub fn error(&self, message: impl fmt::Display) -> Error {
        Error::new(self.loc(), message)
    }

    fn expected(&self, what: &str) -> Error {
        if self.is_empty() {
            self.error(format!("unexpected end of input, expected {what}"))
        } else {
            self.error(format!("expected {what}"))
        }
    }

    pub fn peek_nth(&self, n: usize) -> Option<&'a Tree> {
        self.trees.get(n)
    }

    pub fn next(&mut self) -> Option<&'a Tree> {
        let (first, rest) = self.trees.split_first()?;
        self.trees = rest;
        Some(first)
    }

    pub fn peek_punct(&self, n: usize, ch: char) -> bool {
        matches!(self.peek_nth(n), Some(Tree::Punct(c, _)) if *c == ch)
    }

    pub fn peek_ident(&self, n: usize) -> bool {
        matches!(self.peek_nth(n), Some(Tree::Ident(_)))
    }

    pub fn peek_keyword(&self, word: &str) -> bool {
        matches!(self.peek_nth(0), Some(Tree::Ident(name)) if *name == word)
    }

    pub fn peek_group(&self, n: usize, delim: Delim) -> bool {
        matches!(self.peek_nth(n), Some(Tree::Group(group)) if group.delim == delim)
    }

    pub fn peek_int(&self, n: usize) -> bool {
        matches!(self.peek_nth(n), Some(Tree::Lit(Lit::Int { .. }, _)))
    }

    /// A name `consts` or `params` declared: the start of a number.
    pub fn peek_declared(&self) -> bool {
        matches!(self.peek_nth(0), Some(Tree::Ident(name)) if self.names.contains(name.as_str()))
    }

    pub fn peek_float(&self) -> bool {
        matches!(self.peek_nth(0), Some(Tree::Lit(Lit::Float { .. }, _)))
    }

    pub fn peek_str(&self) -> bool {
        matches!(self.peek_nth(0), Some(Tree::Lit(Lit::Str(_), _)))
    }

    /// Takes the punctuation `ch`, or says it was expected.
    pub fn punct(&mut self, ch: char) -> Result<Loc> {
        if let Some(Tree::Punct(c, loc)) = self.peek_nth(0)
            && *c == ch
        {
            self.next();
            return Ok(*loc);
        }
        Err(self.expected(&format!("`{ch}`")))
    }

    pub fn ident(&mut self) -> Result<Name> {
        if let Some(Tree::Ident(name)) = self.peek_nth(0) {
            self.next();
            return Ok(name.clone());
        }
        Err(self.expected("identifier"))
    }

    pub fn string(&mut self) -> Result<Str> {
        if let Some(Tree::Lit(Lit::Str(value), loc)) = self.peek_nth(0) {
            self.next();
            return Ok(Str::new(value.clone(), *loc));
        }
        Err(self.expected("a string literal"))
    }

    /// Any literal, for the number parsers.
    pub fn literal(&mut self) -> Option<(&'a Lit, Loc)> {
        if let Some(Tree::Lit(lit, loc)) = self.peek_nth(0) {
            self.next();
            return Some((lit, *loc));
        }
        None
    }

    /// Enters the group of `delim` brackets: its contents, and where it opens.
    pub fn group(&mut self, delim: Delim) -> Result<(Cursor<'a>, Loc)> {
        if let Some(Tree::Group(Group {
            delim: found,
            trees,
            open,
            close,
        })) = self.peek_nth(0)
            && *found == delim
        {
            self.next();
            return Ok((Cursor::new(trees, *close, self.names), *open));
        }
        let what = match delim {
            Delim::Paren => "parentheses",
            Delim::Bracket => "square brackets",
            Delim::Brace => "curly braces",
        };
        Err(self.expected(what))
    }

    /// Error recovery: drops trees up to and including the first for
    /// which `stop` holds.
    pub fn skip_past(&mut self, stop: impl Fn(&Tree) -> bool) {
        while let Some(tree) = self.next() {
            if stop(tree) {
                break;
            }
        }
    }
}
