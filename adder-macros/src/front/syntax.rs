//! The spec's syntax: the macro's input and the items of a weight spec.
//!
//! ```text
//! input    := attr* vis "mod" ident ( "=" "path/to/spec" ";" | "{" spec "}" )
//! spec     := item*
//! item     := ("consts" | "params") "{" (ident ":" number),* "}"
//!                                                  names for later numbers
//!           | "params" "{" (ident ":" "[" int,* "]" "=" "file" ( "(" "name" ")" )?),* "}"
//!                                                  params of the weight file
//!           | ident "{" entries "}"                  `config`, `format`
//!           | path "=" ident ( "@" path )? "{" entries "}"
//!                                                  a slot, `positions`, `weights`
//! entries  := ( ident ":" value ),*
//! value    := int                                  structure: a dim
//!           | "[" int,* "]"                        structure: dims
//!           | "[" (int | ident),* "]"              a sequence (a prompt)
//!           | "[" int,* "]" "=" "derived"? "[" number,* "]" ( "at" "(" int "," int ")" )?
//!                                                  a parameter: shape, values
//!                                                  (derived: not counted)
//!           | "[" int,* "]" "=" "file" ( "(" "name" ")" )?
//!                                                  a parameter read from the weight file
//!           | "{" ( int ":" number ),* "}"         a schedule: from position, value
//!           | "{" ( ident ":" int ),* "}"          named tokens
//!           | number                               a setting (`eps`, `theta`)
//!           | ident                                a choice (`silu`, `lsb`)
//!           | "string"                             a file
//! number   := sums and products of float or int literals, `PI`, `TAU`,
//!             declared names, `sin`, `cos`, `sqrt`, `ln`, `exp` and
//!             parentheses, in `f64` (in `f32` once a param is read)
//! ```
//!
//! (Values parse in `value.rs`, numbers in `expr.rs`.) Parsing recovers at
//! each entry and each item, so one pass reports every
//! syntax error of a spec, each on its token.

use proc_macro2::{Span, TokenStream};
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Ident, LitStr, Token, Visibility, braced};

use crate::front::cursor::Cursor;
use crate::front::errors::Errors;
use crate::front::errors::{Error, Result};
pub use crate::front::expr::Number;
use crate::front::expr::{self, parse_number};
use crate::front::names::{Kind, Names};
pub use crate::front::tokens::Name;
use crate::front::tokens::{Delim, Loc, Str, Tree};
pub use crate::front::value::{Int, SequenceItem, Tensor, Value};
use crate::front::value::{parse_file_name, parse_int, parse_value};

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

/// A parsed spec: its items, in the order written, and the names it
/// declared (`consts`, `params`).
pub struct Spec {
    pub items: Vec<Item>,
    pub names: Names,
}

/// One top-level item of a spec.
pub struct Item {
    pub head: ItemHead,
    pub entries: Vec<Entry>,
}

/// What an item declares.
pub enum ItemHead {
    /// `config { .. }`, `format { .. }`
    Block(Name),
    /// `attn.q = kind @ attn.q_proj { .. }`, `positions = kind { .. }`
    Slot {
        slot: DottedPath,
        kind: Name,
        module: Option<DottedPath>,
    },
}

/// `a.b.c` (or `transformer.h.0.attn`), kept with the place of its first
/// segment.
pub struct DottedPath {
    pub segments: Vec<String>,
    pub span: Loc,
}

impl DottedPath {
    pub fn span(&self) -> Loc {
        self.span
    }

    pub fn dotted(&self) -> String {
        self.segments.join(".")
    }
}

/// `name: value` inside an item's braces.
pub struct Entry {
    pub name: Name,
    pub value: Value,
}

/// Parses a spec's trees, collecting every syntax error into `errors`.
/// An error at the end of the spec (an item cut short) stands on `end`.
pub fn parse_spec(trees: &[Tree], end: Loc, errors: &mut Errors) -> Spec {
    let mut items = Vec::new();
    let names = Names::default();
    let mut input = Cursor::new(trees, end, &names);
    while !input.is_empty() {
        let declares = [("consts", Kind::Const), ("params", Kind::Param)]
            .into_iter()
            .find(|(word, _)| input.peek_keyword(word) && input.peek_group(1, Delim::Brace));
        if let Some((_, kind)) = declares {
            input.next();
            if let Ok((mut content, _)) = input.group(Delim::Brace) {
                declare(&mut content, kind, errors);
            }
            continue;
        }
        match parse_item(&mut input, errors) {
            Ok(item) => items.push(item),
            Err(error) => {
                errors.push(error);
                // Recovery: past the broken item's braces.
                input.skip_past(
                    |tree| matches!(tree, Tree::Group(group) if group.delim == Delim::Brace),
                );
            }
        }
    }
    Spec { items, names }
}

/// `consts { NAME: number, .. }` or `params { name: number, .. }`: each
/// name is known from here on. A param is stored in the model's dtype.
fn declare(input: &mut Cursor, kind: Kind, errors: &mut Errors) {
    let is_comma = |tree: &Tree| matches!(tree, Tree::Punct(',', _));
    while !input.is_empty() {
        let declared = (|| {
            let name = input.ident()?;
            input.punct(':')?;
            if kind == Kind::Param && input.peek_group(0, Delim::Bracket) {
                let (shape, file) = parse_file_param(input)?;
                let file = file.map_or_else(|| name.to_string(), |file| file.value());
                return input.names().declare_file(&name, shape, file);
            }
            let number = parse_number(input)?;
            if let Some(param) = &number.param {
                return Err(Error::new(
                    param.span(),
                    format!(
                        "`{param}` is a parameter; a declared number is computed from literals and consts"
                    ),
                ));
            }
            let value = match kind {
                Kind::Const => number.value,
                Kind::Param => expr::param(&number)?,
            };
            input.names().declare(&name, value, number.span, kind)
        })();
        match declared {
            Ok(()) if input.is_empty() => break,
            Ok(()) => {
                if let Err(error) = input.punct(',') {
                    errors.push(error);
                    input.skip_past(is_comma);
                }
            }
            Err(error) => {
                errors.push(error);
                input.skip_past(is_comma);
            }
        }
    }
}

/// The most numbers one param holds: a 64 x 64 matrix, the widest a
/// model here has.
const MAX_PARAM_SIZE: usize = 64 * 64;

/// A param's `[dims] = file` or `[dims] = file("tensor.name")`: its shape
/// (`[]` for a scalar) and the weight file's tensor, where named.
fn parse_file_param(input: &mut Cursor) -> Result<(Vec<usize>, Option<Str>)> {
    let (mut content, open) = input.group(Delim::Bracket)?;
    let mut shape = Vec::new();
    while !content.is_empty() {
        shape.push(parse_int(&mut content)?.value);
        if !content.is_empty() {
            content.punct(',')?;
        }
    }
    let size = shape
        .iter()
        .try_fold(1usize, |size, &dim| size.checked_mul(dim));
    if size.is_none_or(|size| size == 0 || size > MAX_PARAM_SIZE) {
        return Err(Error::new(
            open,
            format!("a param holds from 1 to {MAX_PARAM_SIZE} numbers"),
        ));
    }
    input.punct('=')?;
    if !input.peek_keyword("file") {
        return Err(input.error(
            "expected `file` or `file(\"tensor.name\")`: a param with a shape is read from the weight file",
        ));
    }
    input.next();
    Ok((shape, parse_file_name(input)?))
}

fn parse_item(input: &mut Cursor, errors: &mut Errors) -> Result<Item> {
    let head = if input.peek_ident(0) && input.peek_group(1, Delim::Brace) {
        ItemHead::Block(input.ident()?)
    } else if input.peek_ident(0) {
        let slot = parse_dotted(input)?;
        input.punct('=')?;
        let kind = input.ident()?;
        let module = if input.peek_punct(0, '@') {
            input.next();
            Some(parse_dotted(input)?)
        } else {
            None
        };
        ItemHead::Slot { slot, kind, module }
    } else {
        return Err(input
            .error("expected `config { .. }`, `positions = ..` or a slot such as `attn.q = ..`"));
    };
    let (mut content, _) = input.group(Delim::Brace)?;
    let entries = parse_entries(&mut content, errors);
    Ok(Item { head, entries })
}

fn parse_dotted(input: &mut Cursor) -> Result<DottedPath> {
    let span = input.loc();
    let mut segments = vec![input.ident()?.to_string()];
    while input.peek_punct(0, '.') {
        input.next();
        // PyTorch numbers the layers of a `ModuleList`: `h.0.attn`.
        if input.peek_int(0) {
            segments.push(parse_int(input)?.value.to_string());
        } else {
            segments.push(input.ident()?.to_string());
        }
    }
    Ok(DottedPath { segments, span })
}

fn parse_entries(input: &mut Cursor, errors: &mut Errors) -> Vec<Entry> {
    let is_comma = |tree: &Tree| matches!(tree, Tree::Punct(',', _));
    let mut entries = Vec::new();
    while !input.is_empty() {
        let name = {
            let mut fork = *input;
            fork.ident().ok()
        };
        match parse_entry(input) {
            Ok(entry) => {
                entries.push(entry);
                if input.is_empty() {
                    break;
                }
                if let Err(error) = input.punct(',') {
                    errors.push(error);
                    input.skip_past(is_comma);
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
                input.skip_past(is_comma);
            }
        }
    }
    entries
}

fn parse_entry(input: &mut Cursor) -> Result<Entry> {
    let name = input.ident()?;
    input.punct(':')?;
    let value = parse_value(input)?;
    Ok(Entry { name, value })
}
