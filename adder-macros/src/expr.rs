//! Numbers in a spec: sums, products and quotients of literals, `PI`,
//! `TAU`, `sin`, `cos` and `sqrt`, evaluated in `f64` and rounded once
//! where they are stored.

use proc_macro2::Span;
use syn::parse::ParseStream;
use syn::{Ident, LitFloat, LitInt, Token, parenthesized};

/// A number, evaluated in `f64`, with the span of its first token.
#[derive(Clone, Copy)]
pub struct Number {
    pub value: f64,
    pub span: Span,
}

/// How deep a number may nest (parentheses, function arguments, signs):
/// the parser recurses once a level, and a limit keeps that recursion far
/// from the compiler's stack, whatever the input.
pub const MAX_DEPTH: usize = 64;

/// A number: `expr := term (("+" | "-") term)*`.
pub fn parse_number(input: ParseStream) -> syn::Result<Number> {
    parse_expr(input, 0)
}

fn parse_expr(input: ParseStream, depth: usize) -> syn::Result<Number> {
    let span = input.span();
    if depth > MAX_DEPTH {
        return Err(syn::Error::new(
            span,
            format!("a number nested deeper than {MAX_DEPTH} levels (parentheses, calls, signs)"),
        ));
    }
    let mut value = parse_term(input, depth)?;
    loop {
        if input.peek(Token![+]) {
            input.parse::<Token![+]>()?;
            value += parse_term(input, depth)?;
        } else if input.peek(Token![-]) {
            input.parse::<Token![-]>()?;
            value -= parse_term(input, depth)?;
        } else {
            return Ok(Number { value, span });
        }
    }
}

/// `term := factor (("*" | "/") factor)*`
fn parse_term(input: ParseStream, depth: usize) -> syn::Result<f64> {
    let mut value = parse_factor(input, depth)?;
    loop {
        if input.peek(Token![*]) {
            input.parse::<Token![*]>()?;
            value *= parse_factor(input, depth)?;
        } else if input.peek(Token![/]) {
            input.parse::<Token![/]>()?;
            value /= parse_factor(input, depth)?;
        } else {
            return Ok(value);
        }
    }
}

/// `factor := "-" factor | float | int | PI | TAU | fn "(" expr ")" | "(" expr ")"`
fn parse_factor(input: ParseStream, depth: usize) -> syn::Result<f64> {
    if input.peek(Token![-]) {
        let minus = input.parse::<Token![-]>()?;
        if depth >= MAX_DEPTH {
            return Err(syn::Error::new(
                minus.span,
                format!(
                    "a number nested deeper than {MAX_DEPTH} levels (parentheses, calls, signs)"
                ),
            ));
        }
        return Ok(-parse_factor(input, depth + 1)?);
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
        let inner = parse_expr(&content, depth + 1)?;
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
            let argument = parse_expr(&content, depth + 1)?.value;
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
