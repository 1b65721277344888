//! The value of a spec's entry: dims, a parameter's shape and values, a
//! sequence, a schedule, named tokens, a setting, a choice or a file name.

use proc_macro2::Span;
use syn::parse::ParseStream;
use syn::{Ident, LitFloat, LitInt, LitStr, Token, braced, bracketed, parenthesized};

use crate::expr::{Number, parse_number};

mod kw {
    syn::custom_keyword!(at);
    syn::custom_keyword!(file);
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
    /// `[0, a_lsb, 0]`: ints and names, in order.
    Sequence {
        items: Vec<SequenceItem>,
        span: Span,
    },
    /// `{ plus: 10, equals: 11 }`
    Names {
        names: Vec<(Ident, Int)>,
    },
    /// A setting such as `eps: 1e-6`: a number that is not stored.
    Number(Number),
    /// A choice such as `activation: silu`.
    Word(Ident),
    /// A file name.
    Str(LitStr),
    /// A value that failed to parse (its error is reported): the entry
    /// still counts as given, so it is not also reported missing.
    Invalid,
}

/// A parameter as written: its shape, its values and, for sparse
/// parametrisations, the place it stands at.
pub struct Tensor {
    pub shape: Vec<Int>,
    pub shape_span: Span,
    /// `None` for `= file`: read from the spec's weight file.
    pub values: Option<Vec<Number>>,
    pub values_span: Span,
    /// `= file("name")`: the weight file's tensor of that name, rather
    /// than the one the parameter's path names.
    pub file_name: Option<LitStr>,
    pub at: Option<(Int, Int)>,
}

/// One element of a sequence.
pub enum SequenceItem {
    Int(Int),
    Name(Ident),
}

/// A non-negative integer literal with its span.
#[derive(Clone, Copy)]
pub struct Int {
    pub value: usize,
    pub span: Span,
}

/// The value of an entry, after its `name:`.
pub fn parse_value(input: ParseStream) -> syn::Result<Value> {
    let value = if input.peek(LitInt) && !(input.peek2(Token![*]) || input.peek2(Token![/])) {
        Value::Dim(parse_int(input)?)
    } else if input.peek(syn::token::Bracket) {
        parse_bracketed(input)?
    } else if input.peek(syn::token::Brace) {
        let span = input.span();
        let content;
        braced!(content in input);
        if content.peek(Ident) {
            let names = parse_comma_separated(&content, |input| {
                let name = syn::ext::IdentExt::parse_any(input)?;
                input.parse::<Token![:]>()?;
                Ok((name, parse_int(input)?))
            })?;
            Value::Names { names }
        } else {
            let steps = parse_comma_separated(&content, |input| {
                let from = parse_int(input)?;
                input.parse::<Token![:]>()?;
                Ok((from, parse_number(input)?))
            })?;
            Value::Schedule { steps, span }
        }
    } else if input.peek(LitStr) {
        Value::Str(input.parse()?)
    } else if input.peek(LitFloat)
        || input.peek(LitInt)
        || input.peek(Token![-])
        || input.peek(syn::token::Paren)
        || (input.peek(Ident)
            && (input.peek2(syn::token::Paren) || input.peek2(Token![*]) || input.peek2(Token![/])))
    {
        Value::Number(parse_number(input)?)
    } else if input.peek(Ident) {
        Value::Word(input.parse()?)
    } else {
        return Err(input.error(
            "expected a dim (`3`), dims (`[1, 2]`), a parameter (`[shape] = [values]`), a schedule (`{ 0: 1.0 }`), a setting (`1e-6`) or a name",
        ));
    };
    Ok(value)
}

/// `[dims]`, `[dims] = [values]`, `[dims] = file` or a sequence.
fn parse_bracketed(input: ParseStream) -> syn::Result<Value> {
    let span = input.span();
    let content;
    bracketed!(content in input);
    let items = parse_comma_separated(&content, |input| {
        if input.peek(Ident) {
            Ok(SequenceItem::Name(input.parse()?))
        } else {
            parse_int(input).map(SequenceItem::Int)
        }
    })?;
    let dims: Vec<Int> = items
        .iter()
        .filter_map(|item| match item {
            SequenceItem::Int(int) => Some(*int),
            SequenceItem::Name(_) => None,
        })
        .collect();
    if dims.len() < items.len() {
        if input.peek(Token![=]) {
            return Err(syn::Error::new(span, "a shape holds integers only"));
        }
        return Ok(Value::Sequence { items, span });
    }
    if !input.peek(Token![=]) {
        return Ok(Value::Dims { dims, span });
    }
    input.parse::<Token![=]>()?;
    let values_span = input.span();
    let mut file_name = None;
    let values = if input.peek(kw::file) {
        input.parse::<kw::file>()?;
        if input.peek(syn::token::Paren) {
            let content;
            parenthesized!(content in input);
            file_name = Some(content.parse::<LitStr>()?);
            if !content.is_empty() {
                return Err(content.error("expected `file(\"tensor.name\")`"));
            }
        }
        None
    } else {
        let content;
        bracketed!(content in input);
        Some(parse_comma_separated(&content, parse_number)?)
    };
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
    Ok(Value::Tensor(Tensor {
        shape: dims,
        shape_span: span,
        values,
        values_span,
        file_name,
        at,
    }))
}

pub fn parse_comma_separated<T>(
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

pub fn parse_int(input: ParseStream) -> syn::Result<Int> {
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
