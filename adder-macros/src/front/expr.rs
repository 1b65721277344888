//! Numbers in a spec: sums, products and quotients of literals, `PI`,
//! `TAU`, the functions `sin`, `cos`, `sqrt`, `ln` and `exp`, and the names
//! the spec declared (`names.rs`; a tensor param's element as `q[1, 2]`).
//! They evaluate as the original's code does: in `f64` (Python's floats),
//! rounded once where stored, except that an operation on a parameter is
//! an operation in the model's dtype (a `PyTorch` tensor's, `f32` unless
//! the config says `f64`): its other operand is rounded to the dtype, and
//! so is its result.

use crate::front::cursor::Cursor;
use crate::front::dtype::Dtype;
use crate::front::errors::{Error, Result};
use crate::front::names::Kind;
use crate::front::tokens::{Delim, Lit, Loc, Name};

/// A number, with the place of its first token.
#[derive(Clone)]
pub struct Number {
    /// In `f64`; a value of the model's dtype where it reads a parameter.
    pub value: f64,
    pub span: Loc,
    /// The first parameter it reads: then it was computed in the dtype.
    pub param: Option<Name>,
}

/// A param's value: finite; rounded to the model's dtype once lowering
/// knows it ([`crate::front::names::Names::set_dtype`]).
pub fn param(number: &Number) -> Result<f64> {
    if number.value.is_finite() {
        Ok(number.value)
    } else {
        Err(Error::new(number.span, "a param must be finite"))
    }
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

/// A value while it is computed: `f64`, or the model's dtype once a
/// parameter is read.
struct Value {
    value: f64,
    param: Option<Name>,
}

impl Value {
    fn exact(value: f64) -> Self {
        Value { value, param: None }
    }

    /// `self op other`, in `dtype` if either reads a parameter. An `f32`
    /// operation is the `f64` one on the operands rounded to `f32`, rounded
    /// to `f32`: exact for `+ - * /` and `sqrt`, whose `f64` results round
    /// correctly twice over.
    fn binary(self, other: Value, dtype: Dtype, op: impl Fn(f64, f64) -> f64) -> Value {
        match self.param.or(other.param) {
            None => Value::exact(op(self.value, other.value)),
            param => Value {
                value: dtype.round(op(dtype.round(self.value), dtype.round(other.value))),
                param,
            },
        }
    }

    fn unary(self, dtype: Dtype, op: impl Fn(f64) -> f64) -> Value {
        match self.param {
            None => Value::exact(op(self.value)),
            param => Value {
                value: dtype.round(op(self.value)),
                param,
            },
        }
    }
}

/// A number: `expr := term (("+" | "-") term)*`.
pub fn parse_number(input: &mut Cursor) -> Result<Number> {
    let span = input.loc();
    let value = parse_expr(input, 0)?;
    Ok(Number {
        value: value.value,
        span,
        param: value.param,
    })
}

fn parse_expr(input: &mut Cursor, depth: usize) -> Result<Value> {
    if depth > MAX_DEPTH {
        return Err(too_deep(input.loc()));
    }
    let mut value = parse_term(input, depth)?;
    loop {
        if input.peek_punct(0, '+') {
            input.next();
            value = value.binary(parse_term(input, depth)?, input.names().dtype(), |a, b| {
                a + b
            });
        } else if input.peek_punct(0, '-') {
            input.next();
            value = value.binary(parse_term(input, depth)?, input.names().dtype(), |a, b| {
                a - b
            });
        } else {
            return Ok(value);
        }
    }
}

/// `term := factor (("*" | "/") factor)*`
fn parse_term(input: &mut Cursor, depth: usize) -> Result<Value> {
    let mut value = parse_factor(input, depth)?;
    loop {
        if input.peek_punct(0, '*') {
            input.next();
            value = value.binary(
                parse_factor(input, depth)?,
                input.names().dtype(),
                |a, b| a * b,
            );
        } else if input.peek_punct(0, '/') {
            input.next();
            value = value.binary(
                parse_factor(input, depth)?,
                input.names().dtype(),
                |a, b| a / b,
            );
        } else {
            return Ok(value);
        }
    }
}

/// The contents of `( expr )`, all of them.
fn parenthesized(input: &mut Cursor, depth: usize) -> Result<Value> {
    let (mut content, _) = input.group(Delim::Paren)?;
    let inner = parse_expr(&mut content, depth + 1)?;
    if !content.is_empty() {
        return Err(content.error("expected `)`"));
    }
    Ok(inner)
}

/// `factor := "-" factor | float | int | name | fn "(" expr ")" | "(" expr ")"`
fn parse_factor(input: &mut Cursor, depth: usize) -> Result<Value> {
    if input.peek_punct(0, '-') {
        let minus = input.punct('-')?;
        if depth >= MAX_DEPTH {
            return Err(too_deep(minus));
        }
        let inner = parse_factor(input, depth + 1)?;
        return Ok(Value {
            value: -inner.value,
            param: inner.param,
        });
    }
    if let Some((lit, loc)) = input.literal() {
        return match lit {
            Lit::Int { digits, suffix } | Lit::Float { digits, suffix } => {
                check_float_suffix(suffix, loc)?;
                digits
                    .parse::<f64>()
                    .map(Value::exact)
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
            let function: fn(f64) -> f64 = match ident.as_str() {
                "sin" => f64::sin,
                "cos" => f64::cos,
                "sqrt" => f64::sqrt,
                "ln" => f64::ln,
                "exp" => f64::exp,
                _ => {
                    return Err(Error::new(
                        ident.span(),
                        "unknown function; expected `sin`, `cos`, `sqrt`, `ln` or `exp`",
                    ));
                }
            };
            return Ok(argument.unary(input.names().dtype(), function));
        }
        return match ident.as_str() {
            "PI" => Ok(Value::exact(std::f64::consts::PI)),
            "TAU" => Ok(Value::exact(std::f64::consts::TAU)),
            name => match input.names().read(name, index(input)?.as_deref()) {
                Some(Ok((value, Kind::Const))) => Ok(Value::exact(value)),
                Some(Ok((value, Kind::Param))) => Ok(Value {
                    value,
                    param: Some(ident),
                }),
                Some(Err(message)) => Err(Error::new(ident.span(), message)),
                None => Err(Error::new(
                    ident.span(),
                    format!(
                        "unknown name `{name}`: a number names `PI`, `TAU`, or what `consts {{ .. }}` or `params {{ .. }}` declare before it"
                    ),
                )),
            },
        };
    }
    Err(input.error("expected a number: a literal, a name, or `+ - * /` of them"))
}

/// A tensor param's index, `[i, j]`, after its name.
fn index(input: &mut Cursor) -> Result<Option<Vec<usize>>> {
    if !input.peek_group(0, Delim::Bracket) {
        return Ok(None);
    }
    let (mut content, _) = input.group(Delim::Bracket)?;
    let mut index = Vec::new();
    while !content.is_empty() {
        let expected = "expected an index: integers without a suffix, `[1, 2]`";
        match content.literal() {
            Some((Lit::Int { digits, suffix }, loc)) if suffix.is_empty() => {
                index.push(digits.parse().map_err(|_| Error::new(loc, expected))?);
            }
            Some((_, loc)) => return Err(Error::new(loc, expected)),
            None => return Err(content.error(expected)),
        }
        if !content.is_empty() {
            content.punct(',')?;
        }
    }
    Ok(Some(index))
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
