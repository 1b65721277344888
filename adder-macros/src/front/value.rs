//! The value of a spec's entry: dims, a parameter's shape and values, a
//! sequence, a schedule, named tokens, a setting, a choice or a file name.

use crate::front::cursor::Cursor;
use crate::front::errors::{Error, Result};
use crate::front::expr::{Number, parse_number};
use crate::front::names::Names;
use crate::front::tokens::{Delim, Group, Lit, Loc, Name, Str, Tree};

/// The right-hand side of an entry.
pub enum Value {
    Dim(Int),
    Dims {
        dims: Vec<Int>,
        span: Loc,
    },
    Tensor(Tensor),
    Schedule {
        steps: Vec<(Int, Number)>,
        span: Loc,
    },
    /// `[0, a_lsb, 0]`: ints and names, in order.
    Sequence {
        items: Vec<SequenceItem>,
        span: Loc,
    },
    /// `{ plus: 10, equals: 11 }`
    Names {
        names: Vec<(Name, Int)>,
    },
    /// A setting such as `eps: 1e-6`: a number that is not stored.
    Number(Number),
    /// A choice such as `activation: silu`.
    Word(Name),
    /// A file name.
    Str(Str),
    /// A value that failed to parse (its error is reported): the entry
    /// still counts as given, so it is not also reported missing.
    Invalid,
}

/// A parameter as written: its shape, where its values come from and,
/// for sparse parametrisations, the place it stands at.
pub struct Tensor {
    pub shape: Vec<Int>,
    pub shape_span: Loc,
    pub values: Values,
    pub values_span: Loc,
    pub at: Option<(Int, Int)>,
}

/// Where a parameter's values come from.
pub enum Values {
    /// `= [..]`: stored and counted.
    Inline(Vec<Number>),
    /// `= derived [..]`: computed from params or fixed by the construction,
    /// stored but not counted. Its numbers are parsed by lowering
    /// ([`Values::numbers`]), once the params of the weight file are read.
    Derived {
        group: Group,
        /// How many names were declared where it stands.
        horizon: usize,
    },
    /// `= file` (the parameter's own path) or `= file("name")`: the weight
    /// file's tensor.
    File(Option<Str>),
}

impl Values {
    /// A derived tensor's numbers, read with the params as lowering has
    /// them and the names declared before it.
    pub fn numbers(group: &Group, horizon: usize, names: &Names) -> Result<Vec<Number>> {
        names.within(horizon, || {
            let mut content = Cursor::new(&group.trees, group.close, names);
            parse_comma_separated(&mut content, parse_number)
        })
    }
}

/// One element of a sequence.
pub enum SequenceItem {
    Int(Int),
    Name(Name),
}

/// A non-negative integer literal with its place.
#[derive(Clone, Copy)]
pub struct Int {
    pub value: usize,
    pub span: Loc,
}

/// The value of an entry, after its `name:`.
pub fn parse_value(input: &mut Cursor) -> Result<Value> {
    let product_follows = input.peek_punct(1, '*') || input.peek_punct(1, '/');
    let value = if input.peek_int(0) && !product_follows {
        Value::Dim(parse_int(input)?)
    } else if input.peek_group(0, Delim::Bracket) {
        parse_bracketed(input)?
    } else if input.peek_group(0, Delim::Brace) {
        let (mut content, span) = input.group(Delim::Brace)?;
        if content.peek_ident(0) {
            let names = parse_comma_separated(&mut content, |input| {
                let name = input.ident()?;
                input.punct(':')?;
                Ok((name, parse_int(input)?))
            })?;
            Value::Names { names }
        } else {
            let steps = parse_comma_separated(&mut content, |input| {
                let from = parse_int(input)?;
                input.punct(':')?;
                Ok((from, fixed(parse_number(input)?)?))
            })?;
            Value::Schedule { steps, span }
        }
    } else if input.peek_str() {
        Value::Str(input.string()?)
    } else if input.peek_float()
        || input.peek_int(0)
        || input.peek_declared()
        || input.peek_punct(0, '-')
        || input.peek_group(0, Delim::Paren)
        || (input.peek_ident(0) && (input.peek_group(1, Delim::Paren) || product_follows))
    {
        Value::Number(fixed(parse_number(input)?)?)
    } else if input.peek_ident(0) {
        Value::Word(input.ident()?)
    } else {
        return Err(input.error(
            "expected a dim (`3`), dims (`[1, 2]`), a parameter (`[shape] = [values]`), a schedule (`{ 0: 1.0 }`), a setting (`1e-6`) or a name",
        ));
    };
    Ok(value)
}

/// `[dims]`, `[dims] = [values]`, `[dims] = file` or a sequence.
fn parse_bracketed(input: &mut Cursor) -> Result<Value> {
    let (mut content, span) = input.group(Delim::Bracket)?;
    let items = parse_comma_separated(&mut content, |input| {
        if input.peek_ident(0) {
            Ok(SequenceItem::Name(input.ident()?))
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
        if input.peek_punct(0, '=') {
            return Err(Error::new(span, "a shape holds integers only"));
        }
        return Ok(Value::Sequence { items, span });
    }
    if !input.peek_punct(0, '=') {
        return Ok(Value::Dims { dims, span });
    }
    input.punct('=')?;
    let values_span = input.loc();
    let values = if input.peek_keyword("file") {
        input.next();
        Values::File(parse_file_name(input)?)
    } else if input.peek_keyword("derived") {
        input.next();
        match input.next() {
            Some(Tree::Group(group)) if group.delim == Delim::Bracket => {
                mark_read(&group.trees, input.names());
                Values::Derived {
                    group: group.clone(),
                    horizon: input.names().len(),
                }
            }
            _ => return Err(Error::new(values_span, "expected `derived [values]`")),
        }
    } else {
        let (mut content, _) = input.group(Delim::Bracket)?;
        let numbers = parse_comma_separated(&mut content, parse_number)?;
        if let Some(param) = numbers.iter().find_map(|n| n.param.as_ref()) {
            return Err(Error::new(
                param.span(),
                format!(
                    "`{param}` is a parameter: a tensor computed from parameters is `derived` (`= derived [..]`), and only they are counted"
                ),
            ));
        }
        Values::Inline(numbers)
    };
    let at = if input.peek_keyword("at") {
        input.next();
        let (mut content, _) = input.group(Delim::Paren)?;
        let row = parse_int(&mut content)?;
        content.punct(',')?;
        let col = parse_int(&mut content)?;
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
        at,
    }))
}

/// Marks the params a derived tensor names as read, now, as if it were
/// parsed here: a param it does not name is reported unread whether or not
/// lowering gets to it. (The trees nest at most `MAX_DEPTH` deep, checked
/// before parsing.)
fn mark_read(trees: &[Tree], names: &Names) {
    for tree in trees {
        match tree {
            Tree::Ident(name) => names.mark_read(name.as_str()),
            Tree::Group(group) => mark_read(&group.trees, names),
            Tree::Punct(..) | Tree::Lit(..) => {}
        }
    }
}

/// After `file`: `("tensor.name")`, or nothing (the parameter's own path).
pub fn parse_file_name(input: &mut Cursor) -> Result<Option<Str>> {
    if !input.peek_group(0, Delim::Paren) {
        return Ok(None);
    }
    let (mut content, _) = input.group(Delim::Paren)?;
    let name = content.string()?;
    if !content.is_empty() {
        return Err(content.error("expected `file(\"tensor.name\")`"));
    }
    Ok(Some(name))
}

/// A setting or a schedule's value: a fixed number of the construction.
fn fixed(number: Number) -> Result<Number> {
    match &number.param {
        Some(param) => Err(Error::new(
            param.span(),
            format!(
                "`{param}` is a parameter; a setting is a fixed number (declare it in `consts {{ .. }}`)"
            ),
        )),
        None => Ok(number),
    }
}

pub fn parse_comma_separated<'a, T>(
    input: &mut Cursor<'a>,
    parse: impl Fn(&mut Cursor<'a>) -> Result<T>,
) -> Result<Vec<T>> {
    let mut out = Vec::new();
    while !input.is_empty() {
        out.push(parse(input)?);
        if input.is_empty() {
            break;
        }
        input.punct(',')?;
    }
    Ok(out)
}

pub fn parse_int(input: &mut Cursor) -> Result<Int> {
    let loc = input.loc();
    let Some(Tree::Lit(Lit::Int { digits, suffix }, _)) = input.peek_nth(0) else {
        return Err(input.error("expected a non-negative integer (a dim, size or position)"));
    };
    input.next();
    if !suffix.is_empty() {
        return Err(Error::new(loc, "expected an integer without a suffix"));
    }
    let value = digits
        .parse::<usize>()
        .map_err(|_| Error::new(loc, "number too large to fit in target type"))?;
    Ok(Int { value, span: loc })
}
