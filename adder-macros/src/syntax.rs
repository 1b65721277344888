//! The spec's syntax: the macro's input and the items of a weight spec.
//!
//! ```text
//! input    := attr* vis "mod" ident ( "=" "path/to/spec" ";" | "{" spec "}" )
//! spec     := item*
//! item     := "config" "{" entries "}"
//!           | "positions" "=" ident "{" entries "}"
//!           | slot "=" ident ( "@" path )? "{" entries "}"
//! entries  := ( ident ":" value ),*
//! value    := int                                  structure: a dim
//!           | "[" int,* "]"                        structure: dims
//!           | "[" int,* "]" "=" "[" number,* "]" ( "at" "(" int "," int ")" )?
//!                                                  a parameter: shape, values
//!           | "{" ( int ":" number ),* "}"         a schedule: from position, value
//! number   := sums and products of float or int literals, `PI`, `TAU`,
//!             `sin(..)`, `cos(..)`, `sqrt(..)` and parentheses, in `f64`
//! ```
//!
//! Parsing recovers at each entry and each item, so one pass reports every
//! syntax error of a spec, each on its token.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use syn::parse::{Parse, ParseStream, Parser};
use syn::{
    Attribute, Ident, LitFloat, LitInt, LitStr, Token, Visibility, braced, bracketed, parenthesized,
};

use crate::errors::Errors;

mod kw {
    syn::custom_keyword!(config);
    syn::custom_keyword!(positions);
    syn::custom_keyword!(at);
}

/// What the macro is called with: the module to emit and where its spec is.
pub struct Input {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub name: Ident,
    pub source: Source,
}

/// Where a spec's text comes from.
pub enum Source {
    Inline(TokenStream),
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
            braced!(content in input);
            Source::Inline(content.parse()?)
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
    /// `config { .. }`
    Config(Span),
    /// `positions = kind { .. }`
    Positions { kind: Ident },
    /// `attn.q = kind @ attn.q_proj { .. }`
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

/// The right-hand side of an entry.
pub enum Value {
    Dim(Int),
    Dims {
        dims: Vec<Int>,
        span: Span,
    },
    Tensor(Tensor),
    Schedule {
        steps: Vec<(Int, Number)>,
        span: Span,
    },
    /// A value that failed to parse (its error is reported): the entry
    /// still counts as given, so it is not also reported missing.
    Invalid,
}

/// A parameter as written: its shape, its values and, for sparse
/// parametrisations, the place it stands at.
pub struct Tensor {
    pub shape: Vec<Int>,
    pub shape_span: Span,
    pub values: Vec<Number>,
    pub values_span: Span,
    pub at: Option<(Int, Int)>,
}

/// A non-negative integer literal with its span.
#[derive(Clone, Copy)]
pub struct Int {
    pub value: usize,
    pub span: Span,
}

/// A number, evaluated in `f64`, with the span of its first token.
#[derive(Clone, Copy)]
pub struct Number {
    pub value: f64,
    pub span: Span,
}

/// Parses a spec, collecting every syntax error into `errors`.
pub fn parse_spec(tokens: TokenStream, errors: &mut Errors) -> Spec {
    let mut items = Vec::new();
    let recorded = errors.len();
    let parser = |input: ParseStream| -> syn::Result<()> {
        while !input.is_empty() {
            match parse_item(input, errors) {
                Ok(item) => items.push(item),
                Err(error) => {
                    errors.push(error);
                    skip_past_group(input);
                }
            }
        }
        Ok(())
    };
    // syn reports tokens that a failed inner parse left behind as one more
    // error at the end; that one only repeats an error already recorded.
    if let Err(error) = parser.parse2(tokens)
        && errors.len() == recorded
    {
        errors.push(error);
    }
    Spec { items }
}

fn parse_item(input: ParseStream, errors: &mut Errors) -> syn::Result<Item> {
    let head = if input.peek(kw::config) {
        let keyword: kw::config = input.parse()?;
        ItemHead::Config(keyword.span)
    } else if input.peek(kw::positions) {
        input.parse::<kw::positions>()?;
        input.parse::<Token![=]>()?;
        ItemHead::Positions {
            kind: input.parse()?,
        }
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
        return Err(
            input.error("expected `config`, `positions = ..` or a slot such as `attn.q = ..`")
        );
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
    let value = if input.peek(LitInt) {
        Value::Dim(parse_int(input)?)
    } else if input.peek(syn::token::Bracket) {
        let span = input.span();
        let content;
        bracketed!(content in input);
        let dims = parse_comma_separated(&content, parse_int)?;
        if input.peek(Token![=]) {
            input.parse::<Token![=]>()?;
            let values_span = input.span();
            let content;
            bracketed!(content in input);
            let values = parse_comma_separated(&content, parse_number)?;
            let at = if input.peek(kw::at) {
                input.parse::<kw::at>()?;
                let content;
                parenthesized!(content in input);
                let row = parse_int(&content)?;
                content.parse::<Token![,]>()?;
                let col = parse_int(&content)?;
                if !content.is_empty() {
                    return Err(content.error("expected `(row, column)`"));
                }
                Some((row, col))
            } else {
                None
            };
            Value::Tensor(Tensor {
                shape: dims,
                shape_span: span,
                values,
                values_span,
                at,
            })
        } else {
            Value::Dims { dims, span }
        }
    } else if input.peek(syn::token::Brace) {
        let span = input.span();
        let content;
        braced!(content in input);
        let steps = parse_comma_separated(&content, |input| {
            let from = parse_int(input)?;
            input.parse::<Token![:]>()?;
            Ok((from, parse_number(input)?))
        })?;
        Value::Schedule { steps, span }
    } else if input.peek(LitFloat) || input.peek(Token![-]) {
        return Err(input.error(
            "a number outside a parameter: every stored number must be a parameter, \
             `name: [shape] = [values]`; structure takes dims (non-negative integers)",
        ));
    } else {
        return Err(input.error(
            "expected a dim (`3`), dims (`[1, 2]`), a parameter (`[shape] = [values]`) or a schedule (`{ 0: 1.0 }`)",
        ));
    };
    Ok(Entry { name, value })
}

fn parse_comma_separated<T>(
    input: ParseStream,
    parse: impl Fn(ParseStream) -> syn::Result<T>,
) -> syn::Result<Vec<T>> {
    let mut out = Vec::new();
    while !input.is_empty() {
        out.push(parse(input)?);
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok(out)
}

fn parse_int(input: ParseStream) -> syn::Result<Int> {
    let lit: LitInt = input.parse().map_err(|error| {
        syn::Error::new(
            error.span(),
            "expected a non-negative integer (a dim, size or position)",
        )
    })?;
    if !lit.suffix().is_empty() {
        return Err(syn::Error::new(
            lit.span(),
            "expected an integer without a suffix",
        ));
    }
    let value = lit.base10_parse::<usize>()?;
    Ok(Int {
        value,
        span: lit.span(),
    })
}

/// `expr := term (("+" | "-") term)*`
fn parse_number(input: ParseStream) -> syn::Result<Number> {
    let span = input.span();
    let mut value = parse_term(input)?;
    loop {
        if input.peek(Token![+]) {
            input.parse::<Token![+]>()?;
            value += parse_term(input)?;
        } else if input.peek(Token![-]) {
            input.parse::<Token![-]>()?;
            value -= parse_term(input)?;
        } else {
            return Ok(Number { value, span });
        }
    }
}

/// `term := factor (("*" | "/") factor)*`
fn parse_term(input: ParseStream) -> syn::Result<f64> {
    let mut value = parse_factor(input)?;
    loop {
        if input.peek(Token![*]) {
            input.parse::<Token![*]>()?;
            value *= parse_factor(input)?;
        } else if input.peek(Token![/]) {
            input.parse::<Token![/]>()?;
            value /= parse_factor(input)?;
        } else {
            return Ok(value);
        }
    }
}

/// `factor := "-" factor | float | int | PI | TAU | fn "(" expr ")" | "(" expr ")"`
fn parse_factor(input: ParseStream) -> syn::Result<f64> {
    if input.peek(Token![-]) {
        input.parse::<Token![-]>()?;
        return Ok(-parse_factor(input)?);
    }
    if input.peek(LitFloat) {
        let lit: LitFloat = input.parse()?;
        check_float_suffix(lit.suffix(), lit.span())?;
        return lit.base10_parse::<f64>();
    }
    if input.peek(LitInt) {
        let lit: LitInt = input.parse()?;
        check_float_suffix(lit.suffix(), lit.span())?;
        return lit
            .base10_digits()
            .parse::<f64>()
            .map_err(|_| syn::Error::new(lit.span(), "expected a number"));
    }
    if input.peek(syn::token::Paren) {
        let content;
        parenthesized!(content in input);
        let inner = parse_number(&content)?;
        if !content.is_empty() {
            return Err(content.error("expected `)`"));
        }
        return Ok(inner.value);
    }
    if input.peek(Ident) {
        let ident: Ident = input.parse()?;
        let name = ident.to_string();
        if input.peek(syn::token::Paren) {
            let content;
            parenthesized!(content in input);
            let argument = parse_number(&content)?.value;
            if !content.is_empty() {
                return Err(content.error("expected `)`"));
            }
            return match name.as_str() {
                "sin" => Ok(argument.sin()),
                "cos" => Ok(argument.cos()),
                "sqrt" => Ok(argument.sqrt()),
                _ => Err(syn::Error::new(
                    ident.span(),
                    "unknown function; expected `sin`, `cos` or `sqrt`",
                )),
            };
        }
        return match name.as_str() {
            "PI" => Ok(std::f64::consts::PI),
            "TAU" => Ok(std::f64::consts::TAU),
            _ => Err(syn::Error::new(
                ident.span(),
                "expected a number; the only named constants are `PI` and `TAU`",
            )),
        };
    }
    Err(input.error("expected a number: a literal, `PI`, `TAU`, or `+ - * /` of them"))
}

fn check_float_suffix(suffix: &str, span: Span) -> syn::Result<()> {
    match suffix {
        "" | "f32" | "f64" => Ok(()),
        _ => Err(syn::Error::new(
            span,
            "expected a number without a suffix, or with `f32`",
        )),
    }
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
