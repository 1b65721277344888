//! The spec's syntax: the macro's input and the items of a weight spec.
//!
//! ```text
//! input    := attr* vis "mod" ident ( "=" "path/to/spec" ";" | "{" spec "}" )
//! spec     := item*
//! item     := ident "{" entries "}"                  `config`, `format`
//!           | path "=" ident ( "@" path )? "{" entries "}"
//!                                                  a slot, `positions`, `weights`
//! entries  := ( ident ":" value ),*
//! value    := int                                  structure: a dim
//!           | "[" int,* "]"                        structure: dims
//!           | "[" (int | ident),* "]"              a sequence (a prompt)
//!           | "[" int,* "]" "=" "[" number,* "]" ( "at" "(" int "," int ")" )?
//!                                                  a parameter: shape, values
//!           | "[" int,* "]" "=" "file" ( "(" "name" ")" )?
//!                                                  a parameter read from the weight file
//!           | "{" ( int ":" number ),* "}"         a schedule: from position, value
//!           | "{" ( ident ":" int ),* "}"          named tokens
//!           | number                               a setting (`eps`, `theta`)
//!           | ident                                a choice (`silu`, `lsb`)
//!           | "string"                             a file
//! number   := sums and products of float or int literals, `PI`, `TAU`,
//!             `sin(..)`, `cos(..)`, `sqrt(..)` and parentheses, in `f64`
//! ```
//!
//! (Values parse in `value.rs`, numbers in `expr.rs`.) Parsing recovers at
//! each entry and each item, so one pass reports every
//! syntax error of a spec, each on its token.

use proc_macro2::{Delimiter, Group, Span, TokenStream, TokenTree};
use syn::parse::{Parse, ParseStream, Parser};
use syn::{Attribute, Ident, LitInt, LitStr, Token, Visibility, braced};

use crate::errors::Errors;
pub use crate::expr::Number;
pub use crate::value::{Int, SequenceItem, Tensor, Value};
use crate::value::{parse_int, parse_value};

/// What the macro is called with: the module to emit and where its spec is.
pub struct Input {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub name: Ident,
    pub source: Source,
}

/// Where a spec's text comes from.
pub enum Source {
    /// The spec's tokens, and the span of its closing brace (where an
    /// error at the end of the spec stands).
    Inline(TokenStream, Span),
    /// A path relative to the calling crate's `CARGO_MANIFEST_DIR`.
    File(LitStr),
}

impl Parse for Input {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        input.parse::<Token![mod]>()?;
        let name: Ident = input.parse()?;
        let source = if input.peek(Token![=]) {
            input.parse::<Token![=]>()?;
            let path: LitStr = input.parse()?;
            input.parse::<Token![;]>()?;
            Source::File(path)
        } else {
            let content;
            let brace = braced!(content in input);
            Source::Inline(content.parse()?, brace.span.close())
        };
        if !input.is_empty() {
            return Err(input.error("expected one module per `model!` call"));
        }
        Ok(Input {
            attrs,
            vis,
            name,
            source,
        })
    }
}

/// A parsed spec: its items, in the order written.
pub struct Spec {
    pub items: Vec<Item>,
}

/// One top-level item of a spec.
pub struct Item {
    pub head: ItemHead,
    pub entries: Vec<Entry>,
}

/// What an item declares.
pub enum ItemHead {
    /// `config { .. }`, `format { .. }`
    Block(Ident),
    /// `attn.q = kind @ attn.q_proj { .. }`, `positions = kind { .. }`
    Slot {
        slot: DottedPath,
        kind: Ident,
        module: Option<DottedPath>,
    },
}

/// `a.b.c` (or `transformer.h.0.attn`), kept with the span of its first
/// segment.
pub struct DottedPath {
    pub segments: Vec<String>,
    pub span: Span,
}

impl DottedPath {
    pub fn span(&self) -> Span {
        self.span
    }

    pub fn dotted(&self) -> String {
        self.segments.join(".")
    }
}

/// `name: value` inside an item's braces.
pub struct Entry {
    pub name: Ident,
    pub value: Value,
}

/// Parses a spec, collecting every syntax error into `errors`.
/// An error at the end of the spec (an item cut short) stands on `end`.
pub fn parse_spec(tokens: TokenStream, end: Span, errors: &mut Errors) -> Spec {
    let mut items = Vec::new();
    let recorded = errors.len();
    // Parsed inside a group whose delimiters stand at `end`, so that syn
    // puts "unexpected end of input" there, not on the macro's call site.
    let mut group = Group::new(Delimiter::Brace, tokens);
    group.set_span(end);
    let parser = |input: ParseStream| -> syn::Result<()> {
        let content;
        braced!(content in input);
        while !content.is_empty() {
            match parse_item(&content, errors) {
                Ok(item) => items.push(item),
                Err(error) => {
                    errors.push(error);
                    skip_past_group(&content);
                }
            }
        }
        Ok(())
    };
    // syn reports tokens that a failed inner parse left behind as one more
    // error at the end; that one only repeats an error already recorded.
    if let Err(error) = parser.parse2(TokenStream::from(TokenTree::Group(group)))
        && errors.len() == recorded
    {
        errors.push(error);
    }
    Spec { items }
}

fn parse_item(input: ParseStream, errors: &mut Errors) -> syn::Result<Item> {
    let head = if input.peek(Ident) && input.peek2(syn::token::Brace) {
        ItemHead::Block(input.parse()?)
    } else if input.peek(Ident) {
        let slot = parse_dotted(input)?;
        input.parse::<Token![=]>()?;
        let kind: Ident = input.parse()?;
        let module = if input.peek(Token![@]) {
            input.parse::<Token![@]>()?;
            Some(parse_dotted(input)?)
        } else {
            None
        };
        ItemHead::Slot { slot, kind, module }
    } else {
        return Err(input
            .error("expected `config { .. }`, `positions = ..` or a slot such as `attn.q = ..`"));
    };
    let content;
    braced!(content in input);
    let entries = parse_entries(&content, errors);
    Ok(Item { head, entries })
}

fn parse_dotted(input: ParseStream) -> syn::Result<DottedPath> {
    let span = input.span();
    let mut segments = vec![input.call(Ident::parse_any_ident)?.to_string()];
    while input.peek(Token![.]) {
        input.parse::<Token![.]>()?;
        // PyTorch numbers the layers of a `ModuleList`: `h.0.attn`.
        if input.peek(LitInt) {
            segments.push(parse_int(input)?.value.to_string());
        } else {
            segments.push(input.call(Ident::parse_any_ident)?.to_string());
        }
    }
    Ok(DottedPath { segments, span })
}

/// Lets slot and module paths use any identifier, keywords included
/// (`type`, `mod`), as `PyTorch` names can.
trait ParseAnyIdent {
    fn parse_any_ident(input: ParseStream) -> syn::Result<Ident>;
}

impl ParseAnyIdent for Ident {
    fn parse_any_ident(input: ParseStream) -> syn::Result<Ident> {
        syn::ext::IdentExt::parse_any(input)
    }
}

fn parse_entries(input: ParseStream, errors: &mut Errors) -> Vec<Entry> {
    let mut entries = Vec::new();
    while !input.is_empty() {
        let name = input.fork().call(Ident::parse_any_ident).ok();
        match parse_entry(input) {
            Ok(entry) => {
                entries.push(entry);
                if input.is_empty() {
                    break;
                }
                if let Err(error) = input.parse::<Token![,]>() {
                    errors.push(error);
                    skip_past_comma(input);
                }
            }
            Err(error) => {
                errors.push(error);
                if let Some(name) = name {
                    entries.push(Entry {
                        name,
                        value: Value::Invalid,
                    });
                }
                skip_past_comma(input);
            }
        }
    }
    entries
}

fn parse_entry(input: ParseStream) -> syn::Result<Entry> {
    let name = input.call(Ident::parse_any_ident)?;
    input.parse::<Token![:]>()?;
    let value = parse_value(input)?;
    Ok(Entry { name, value })
}

/// Error recovery at the top level: drops tokens up to and including the next
/// brace group (the end of the broken item).
fn skip_past_group(input: ParseStream) {
    let _ = input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((tree, next)) = rest.token_tree() {
            rest = next;
            if let TokenTree::Group(group) = tree
                && group.delimiter() == Delimiter::Brace
            {
                break;
            }
        }
        Ok(((), rest))
    });
}

/// Error recovery inside braces: drops tokens up to and including the next
/// comma (the end of the broken entry).
fn skip_past_comma(input: ParseStream) {
    let _ = input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((tree, next)) = rest.token_tree() {
            rest = next;
            if let TokenTree::Punct(punct) = tree
                && punct.as_char() == ','
            {
                break;
            }
        }
        Ok(((), rest))
    });
}
