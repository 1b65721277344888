//! The model-wide items of a spec: `config`, `format` and `weights` (and,
//! in `positions.rs`, `positions`). Each is read field by field, every
//! problem reported on its token.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::path::Path;

use crate::front::tokens::Loc;
use crate::front::tokens::Name;

use crate::front::dtype::Dtype;
use crate::front::errors::Errors;
use crate::front::syntax::{Entry as SpecEntry, Int, Item, ItemHead, SequenceItem, Value};
use crate::lower::check;
use crate::lower::ir::{Activation, Config, Format, Piece, Softmax};
use crate::lower::weights::WeightFile;

/// The config's sizes and float, and the MLP's activation.
pub struct Settings {
    pub sizes: Config,
    pub activation: Activation,
}

/// Keeps the one item of a kind that a spec has at most once.
pub fn single(
    items: Vec<Item>,
    what: &str,
    required: bool,
    whole: Loc,
    errors: &mut Errors,
) -> Option<Item> {
    let mut items = items.into_iter();
    let Some(first) = items.next() else {
        if required {
            errors.at(whole, format!("the spec has no `{what}` item"));
        }
        return None;
    };
    for item in items {
        errors.at(head_span(&item), format!("duplicate `{what}` item"));
    }
    Some(first)
}

fn head_span(item: &Item) -> Loc {
    match &item.head {
        ItemHead::Block(name) => name.span(),
        ItemHead::Slot { kind, .. } => kind.span(),
    }
}

/// An item's entries by name, each name once, each among `names`.
pub fn fields(
    entries: Vec<SpecEntry>,
    names: &[&str],
    what: &str,
    errors: &mut Errors,
) -> BTreeMap<String, (Name, Value)> {
    let mut found = BTreeMap::new();
    for entry in entries {
        let name = entry.name.to_string();
        if names.is_empty() {
            errors.at(
                entry.name.span(),
                format!("unknown {what} field `{name}`: this one takes no fields, `{{}}`"),
            );
        } else if !names.contains(&name.as_str()) {
            errors.at(
                entry.name.span(),
                format!(
                    "unknown {what} field `{name}`; expected one of: {}",
                    names.join(", ")
                ),
            );
        } else if let Entry::Vacant(slot) = found.entry(name.clone()) {
            slot.insert((entry.name, entry.value));
        } else {
            errors.at(
                entry.name.span(),
                format!("duplicate {what} field `{name}`"),
            );
        }
    }
    found
}

/// A field that takes one integer.
pub fn int(field: &(Name, Value), errors: &mut Errors) -> Option<Int> {
    match &field.1 {
        Value::Dim(int) => Some(*int),
        Value::Invalid => None,
        Value::Number(number) => {
            errors.at(number.span, check::NUMBER_OUTSIDE_PARAMETER);
            None
        }
        _ => {
            errors.at(field.0.span(), format!("`{}` takes one integer", field.0));
            None
        }
    }
}

/// A field that takes one of `choices`.
pub fn word<'c>(
    field: &(Name, Value),
    choices: &[&'c str],
    errors: &mut Errors,
) -> Option<&'c str> {
    let expected = choices
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match &field.1 {
        Value::Word(word) => {
            let found = choices.iter().find(|c| word == *c).copied();
            if found.is_none() {
                errors.at(
                    word.span(),
                    format!(
                        "unknown `{}` `{word}`; expected one of: {expected}",
                        field.0
                    ),
                );
            }
            found
        }
        Value::Invalid => None,
        _ => {
            errors.at(
                field.0.span(),
                format!("`{}` takes one of: {expected}", field.0),
            );
            None
        }
    }
}

pub fn config(item: Item, prompt_len: usize, errors: &mut Errors) -> Option<Settings> {
    let ItemHead::Block(keyword) = &item.head else {
        return None;
    };
    let mut names: Vec<&str> = check::CONFIG_FIELDS.iter().map(|(name, _)| *name).collect();
    names.extend(["activation", "dtype", "softmax"]);
    let mut fields = fields(item.entries, &names, "config", errors);
    let dtype = match fields.remove("dtype") {
        Some(field) => word(&field, &["f32", "f64"], errors).map(|word| match word {
            "f64" => Dtype::F64,
            _ => Dtype::F32,
        }),
        None => Some(Dtype::F32),
    };
    let activation = match fields.remove("activation") {
        Some(field) => {
            let activation = word(&field, &["relu", "gelu", "silu"], errors);
            if activation == Some("gelu")
                && dtype == Some(Dtype::F64)
                && let Value::Word(gelu) = &field.1
            {
                errors.at(
                    gelu.span(),
                    "`gelu` in an f64 model: its erf is f32 code alone; use `relu` or `silu`",
                );
            }
            activation.map(|word| match word {
                "gelu" => Activation::Gelu,
                "silu" => Activation::Silu,
                _ => Activation::Relu,
            })
        }
        None => Some(Activation::Relu),
    };
    let softmax = softmax(fields.remove("softmax"), dtype, errors);
    let mut ints = BTreeMap::new();
    let mut missing = Vec::new();
    for (name, default) in check::CONFIG_FIELDS {
        match fields.get(*name) {
            Some(field) => {
                if let Some(value) = int(field, errors) {
                    ints.insert((*name).to_owned(), value);
                }
            }
            None if default.is_none() => missing.push(format!("`{name}`")),
            None => {}
        }
    }
    if !missing.is_empty() {
        errors.at(
            keyword.span(),
            format!("config is missing {}", missing.join(", ")),
        );
        return None;
    }
    let sizes = check::config(&ints, prompt_len, errors)?;
    Some(Settings {
        sizes: Config {
            dtype: dtype?,
            softmax: softmax?,
            ..sizes
        },
        activation: activation?,
    })
}

/// `softmax: standard` (the default) or `plus_one`, which only an `f64`
/// model takes: the verifier, which reads `f32` models, computes the
/// standard one.
fn softmax(
    field: Option<(Name, Value)>,
    dtype: Option<Dtype>,
    errors: &mut Errors,
) -> Option<Softmax> {
    let Some(field) = field else {
        return Some(Softmax::Standard);
    };
    let softmax = match word(&field, &["standard", "plus_one"], errors)? {
        "plus_one" => Softmax::PlusOne,
        _ => Softmax::Standard,
    };
    if softmax == Softmax::PlusOne
        && dtype == Some(Dtype::F32)
        && let Value::Word(plus_one) = &field.1
    {
        errors.at(
            plus_one.span(),
            "`plus_one` in an f32 model: the verifier computes the standard softmax, and its verdict would not hold; an f64 model takes it",
        );
    }
    Some(softmax)
}

/// What a format declares that the config must agree with: its special
/// tokens, and the `msb` of an answer written most significant digit first.
pub struct Declared {
    pub tokens: Vec<(Name, Int)>,
    pub answer_msb: Option<Loc>,
}

/// `format { tokens: { sep: 0 }, prompt: [sep, a_lsb, sep, sep, b_lsb, sep], answer: lsb }`
pub fn format(item: Item, errors: &mut Errors) -> Option<(Format, Declared)> {
    let ItemHead::Block(keyword) = &item.head else {
        return None;
    };
    let before = errors.len();
    let mut fields = fields(
        item.entries,
        &["tokens", "prompt", "answer"],
        "format",
        errors,
    );
    let mut tokens: BTreeMap<String, usize> = BTreeMap::new();
    let mut declared = Vec::new();
    if let Some((name, value)) = fields.remove("tokens") {
        match value {
            Value::Names { names, .. } => {
                for (token, id) in names {
                    if tokens.insert(token.to_string(), id.value).is_some() {
                        errors.at(token.span(), format!("duplicate token name `{token}`"));
                    }
                    declared.push((token, id));
                }
            }
            _ => errors.at(
                name.span(),
                "`tokens` takes names of special tokens, `{ plus: 10, equals: 11 }`",
            ),
        }
    }
    let answer_msb = answer(fields.remove("answer"), keyword.span(), errors);
    let Some((name, value)) = fields.remove("prompt") else {
        errors.at(keyword.span(), "format is missing `prompt`");
        return None;
    };
    let Value::Sequence { items, span } = value else {
        errors.at(
            name.span(),
            "`prompt` takes a sequence such as `[a_msb, plus, b_msb, equals]`",
        );
        return None;
    };
    let mut prompt = Vec::new();
    for item in items {
        let piece = match item {
            SequenceItem::Int(int) => {
                errors.at(
                    int.span,
                    "name the token: declare it in `tokens: { name: id }` and write its name",
                );
                continue;
            }
            SequenceItem::Name(name) => match name.to_string().as_str() {
                "a_msb" => Piece::A { msb_first: true },
                "a_lsb" => Piece::A { msb_first: false },
                "b_msb" => Piece::B { msb_first: true },
                "b_lsb" => Piece::B { msb_first: false },
                other => {
                    let Some(token) = tokens.get(other) else {
                        errors.at(name.span(), format!("unknown token `{other}`: expected `a_msb`, `a_lsb`, `b_msb`, `b_lsb` or a name of `tokens`"));
                        continue;
                    };
                    Piece::Token {
                        name: other.to_owned(),
                        token: *token,
                    }
                }
            },
        };
        prompt.push(piece);
    }
    let count = |a: bool| {
        prompt
            .iter()
            .filter(|p| {
                matches!(p, Piece::A { .. }) == a && matches!(p, Piece::A { .. } | Piece::B { .. })
            })
            .count()
    };
    if count(true) != 1 || count(false) != 1 {
        errors.at(
            span,
            "the prompt holds each operand once: one of `a_msb`/`a_lsb` and one of `b_msb`/`b_lsb`",
        );
    }
    let format = Format {
        prompt,
        answer_msb_first: answer_msb.is_some(),
    };
    let declared = Declared {
        tokens: declared,
        answer_msb,
    };
    (errors.len() == before).then_some((format, declared))
}

/// `answer: lsb` or `msb`: where `msb`, its place, for the error that an
/// `f32` model cannot take it.
fn answer(field: Option<(Name, Value)>, format: Loc, errors: &mut Errors) -> Option<Loc> {
    let Some(field) = field else {
        errors.at(
            format,
            "format is missing `answer` (`lsb` or `msb`: the sum's digits come least or most significant first)",
        );
        return None;
    };
    if let (Some("msb"), Value::Word(msb)) = (word(&field, &["lsb", "msb"], errors), &field.1) {
        Some(msb.span())
    } else {
        None
    }
}

/// Special tokens must be tokens of the vocabulary; an answer most
/// significant digit first, an `f64` model's (the verifier, which reads
/// `f32` models, runs its induction from the least significant digit).
pub fn check_declared(declared: &Declared, config: &Config, errors: &mut Errors) {
    if let Some(msb) = declared.answer_msb
        && config.dtype == Dtype::F32
    {
        errors.at(
            msb,
            "`answer: msb` in an f32 model: the verifier reads the answer least significant digit first, and its verdict would not hold; an f64 model takes it",
        );
    }
    let vocab = config.vocab;
    for (name, token) in &declared.tokens {
        if token.value >= vocab {
            errors.at(
                token.span,
                format!(
                    "token `{name}` is {}, outside the vocab of {vocab}",
                    token.value
                ),
            );
        }
    }
}

/// `weights = safetensors { file: "name.safetensors" }`, relative to
/// `base`, for a model of `dtype`.
pub fn weights(item: Item, base: &Path, dtype: Dtype, errors: &mut Errors) -> Option<WeightFile> {
    let ItemHead::Slot { kind, .. } = &item.head else {
        return None;
    };
    if kind != "safetensors" {
        errors.at(
            kind.span(),
            format!("unknown weight format `{kind}`; expected `safetensors`"),
        );
        return None;
    }
    let fields = fields(item.entries, &["file"], "weights", errors);
    let Some((name, value)) = fields.get("file") else {
        errors.at(
            kind.span(),
            "`safetensors` needs `file: \"name.safetensors\"`",
        );
        return None;
    };
    let Value::Str(literal) = value else {
        errors.at(name.span(), "`file` takes a string, the weight file's path");
        return None;
    };
    let shown = literal.value();
    match WeightFile::open(shown.clone(), base.join(&shown), literal.span(), dtype) {
        Ok(file) => Some(file),
        Err(message) => {
            errors.at(literal.span(), message);
            None
        }
    }
}
