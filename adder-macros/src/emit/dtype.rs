//! An `f64` model's code: the stages are written once, in `f32`, and an
//! `f64` model's are those tokens with every `f32` an `f64` (types,
//! suffixes, `f32::NEG_INFINITY`) and every `f32` helper of `adder` its
//! `f64` kin (`math::expf` becomes `math::exp`, `math::relu`
//! `float::relu_f64`). Each operation and its order stay the code's, as
//! the twins' rewrites keep them (`interval.rs`, `lanes.rs`). The fast
//! paths, lanes and twins are not emitted for an `f64` model (`mod.rs`).

use proc_macro2::{Group, Ident, Literal, TokenStream, TokenTree};

/// `adder`'s `f32` helpers the stages call, by module and name, and their
/// `f64` kin.
const KIN: &[(&str, &str, &str, &str)] = &[
    ("math", "expf", "math", "exp"),
    ("math", "sqrtf", "math", "sqrt"),
    ("math", "square", "float", "square_f64"),
    ("math", "normed", "float", "normed_f64"),
    ("math", "relu", "float", "relu_f64"),
    ("math", "silu", "float", "silu_f64"),
    ("tokens", "argmax", "float", "argmax_f64"),
];

/// `tokens` written in `f64`. A helper without an `f64` kin stays as it
/// is, and then does not compile: lowering refuses the features that
/// would call one (`gelu`, `rotation`).
pub fn to_f64(tokens: TokenStream) -> TokenStream {
    let mut out: Vec<TokenTree> = Vec::new();
    for tree in tokens {
        let tree = match tree {
            TokenTree::Ident(ident) if ident == "f32" => {
                TokenTree::Ident(Ident::new("f64", ident.span()))
            }
            TokenTree::Ident(ident) => {
                let name = ident.to_string();
                match KIN
                    .iter()
                    .find(|(module, f32_name, ..)| *f32_name == name && follows(&out, module))
                {
                    Some((_, _, module, f64_name)) => {
                        // `module ::` was written already: rename it.
                        let at = out.len() - 3;
                        out[at] = TokenTree::Ident(Ident::new(module, ident.span()));
                        TokenTree::Ident(Ident::new(f64_name, ident.span()))
                    }
                    None => TokenTree::Ident(ident),
                }
            }
            TokenTree::Literal(literal) => {
                let text = literal.to_string();
                match text.strip_suffix("f32") {
                    Some(number) if !text.starts_with('"') => {
                        match format!("{number}f64").parse::<Literal>() {
                            Ok(mut wide) => {
                                wide.set_span(literal.span());
                                TokenTree::Literal(wide)
                            }
                            Err(_) => TokenTree::Literal(literal),
                        }
                    }
                    _ => TokenTree::Literal(literal),
                }
            }
            TokenTree::Group(group) => {
                let mut rebuilt = Group::new(group.delimiter(), to_f64(group.stream()));
                rebuilt.set_span(group.span());
                TokenTree::Group(rebuilt)
            }
            punct @ TokenTree::Punct(_) => punct,
        };
        out.push(tree);
    }
    out.into_iter().collect()
}

/// Whether `written` ends in `adder :: module ::`.
fn follows(written: &[TokenTree], module: &str) -> bool {
    let Some(tail) = written.len().checked_sub(6).map(|at| &written[at..]) else {
        return false;
    };
    let colon = |tree: &TokenTree| matches!(tree, TokenTree::Punct(p) if p.as_char() == ':');
    matches!(&tail[0], TokenTree::Ident(i) if i == "adder")
        && colon(&tail[1])
        && colon(&tail[2])
        && matches!(&tail[3], TokenTree::Ident(i) if i == module)
        && colon(&tail[4])
        && colon(&tail[5])
}
