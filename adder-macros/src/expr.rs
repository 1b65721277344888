//! Numbers in a spec: sums, products and quotients of literals, `PI`,
//! `TAU`, `sin`, `cos` and `sqrt`, evaluated in `f64` and rounded once
//! where they are stored.

use crate::cursor::{Cursor, Error, Result};
use crate::tokens::{Delim, Lit, Loc};

/// A number, evaluated in `f64`, with the place of its first token.
#[derive(Clone, Copy)]
pub struct Number {
    pub value: f64,
    pub span: Loc,
}

/// How deep a number may nest (parentheses, function arguments, signs):
/// the parser recurses once a level, and a limit keeps that recursion far
/// from the compiler's stack, whatever the input.
pub const MAX_DEPTH: usize = 64;

fn too_deep(loc: Loc) -> Error {
    Error::new(
        loc,
        format!("a number nested deeper than {MAX_DEPTH} levels (parentheses, calls, signs)"),
    )
}

/// A number: `expr := term (("+" | "-") term)*`.
pub fn parse_number(input: &mut Cursor) -> Result<Number> {
    parse_expr(input, 0)
}

fn parse_expr(input: &mut Cursor, depth: usize) -> Result<Number> {
    let span = input.loc();
    if depth > MAX_DEPTH {
        return Err(too_deep(span));
    }
    let mut value = parse_term(input, depth)?;
    loop {
        if input.peek_punct(0, '+') {
            input.next();
            value += parse_term(input, depth)?;
        } else if input.peek_punct(0, '-') {
            input.next();
            value -= parse_term(input, depth)?;
        } else {
            return Ok(Number { value, span });
        }
    }
}

/// `term := factor (("*" | "/") factor)*`
fn parse_term(input: &mut Cursor, depth: usize) -> Result<f64> {
    let mut value = parse_factor(input, depth)?;
    loop {
        if input.peek_punct(0, '*') {
            input.next();
            value *= parse_factor(input, depth)?;
        } else if input.peek_punct(0, '/') {
            input.next();
            value /= parse_factor(input, depth)?;
        } else {
            return Ok(value);
        }
    }
}

/// The contents of `( expr )`, all of them.
fn parenthesized(input: &mut Cursor, depth: usize) -> Result<f64> {
    let (mut content, _) = input.group(Delim::Paren)?;
    let inner = parse_expr(&mut content, depth + 1)?;
    if !content.is_empty() {
        return Err(content.error("expected `)`"));
    }
    Ok(inner.value)
}

/// `factor := "-" factor | float | int | PI | TAU | fn "(" expr ")" | "(" expr ")"`
fn parse_factor(input: &mut Cursor, depth: usize) -> Result<f64> {
    if input.peek_punct(0, '-') {
        let minus = input.punct('-')?;
        if depth >= MAX_DEPTH {
            return Err(too_deep(minus));
        }
        return Ok(-parse_factor(input, depth + 1)?);
    }
    if let Some((lit, loc)) = input.literal() {
        return match lit {
            Lit::Int { digits, suffix } | Lit::Float { digits, suffix } => {
                check_float_suffix(suffix, loc)?;
                digits
                    .parse::<f64>()
                    .map_err(|_| Error::new(loc, "expected a number"))
            }
            Lit::Str(_) | Lit::Other => Err(Error::new(loc, "expected a number")),
        };
    }
    if input.peek_group(0, Delim::Paren) {
        return parenthesized(input, depth);
    }
    if input.peek_ident(0) {
        let ident = input.ident()?;
        if input.peek_group(0, Delim::Paren) {
            let argument = parenthesized(input, depth)?;
            return match ident.as_str() {
                "sin" => Ok(argument.sin()),
                "cos" => Ok(argument.cos()),
                "sqrt" => Ok(argument.sqrt()),
                _ => Err(Error::new(
                    ident.span(),
                    "unknown function; expected `sin`, `cos` or `sqrt`",
                )),
            };
        }
        return match ident.as_str() {
            "PI" => Ok(std::f64::consts::PI),
            "TAU" => Ok(std::f64::consts::TAU),
            _ => Err(Error::new(
                ident.span(),
                "expected a number; the only named constants are `PI` and `TAU`",
            )),
        };
    }
    Err(input.error("expected a number: a literal, `PI`, `TAU`, or `+ - * /` of them"))
}

fn check_float_suffix(suffix: &str, loc: Loc) -> Result<()> {
    match suffix {
        "" | "f32" | "f64" => Ok(()),
        _ => Err(Error::new(
            loc,
            "expected a number without a suffix, or with `f32`",
        )),
    }
}
