//! Tests of the expansion as plain Rust, on `proc_macro2`; in files of
//! their own, the lanes twin's rewrite (`lanes`), the expansion snapshots
//! (`snapshots`), the weight-file errors (`weight_files`), the model's
//! float (`dtype`) and the proptest
//! fuzz harness with the lexer's differential test (`fuzz`).

use std::panic::{AssertUnwindSafe, catch_unwind};

use proc_macro2::{Group, Literal, Punct, Spacing, TokenStream, TokenTree};
use quote::quote;

use crate::expand;

const ADDER58: &str = include_str!("../../../adder/specs/adder58.spec");

fn spec_tokens() -> TokenStream {
    ADDER58.parse().expect("the adder58 spec lexes")
}

/// Expands `mod fuzz { spec }`; panics are caught and reported as `Err`.
fn expand_spec(spec: &TokenStream) -> Result<TokenStream, String> {
    let input = quote!(mod fuzz { #spec });
    catch_unwind(AssertUnwindSafe(|| expand(input))).map_err(|panic| {
        panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default()
    })
}

/// The `compile_error!` messages of an expansion.
fn messages(output: &TokenStream) -> Vec<String> {
    let mut found = Vec::new();
    let mut trees = output.clone().into_iter().peekable();
    while let Some(tree) = trees.next() {
        match tree {
            TokenTree::Ident(ident) if ident == "compile_error" => {
                let _bang = trees.next();
                if let Some(TokenTree::Group(group)) = trees.next() {
                    found.push(group.stream().to_string());
                }
            }
            TokenTree::Group(group) => found.extend(messages(&group.stream())),
            _ => {}
        }
    }
    found
}

/// What a mutation does to the token it hits.
#[derive(Clone, Copy, Debug)]
enum Mutation {
    Drop,
    SwapWithNext,
    Duplicate,
    Number(&'static str),
    Punct(char),
}

const NUMBERS: [&str; 8] = [
    "0",
    "7",
    "3.5",
    "-1.0",
    "1e39",
    "99999999999999999999999",
    "64",
    "1e-45",
];
const PUNCTS: [char; 4] = [',', ':', '=', '@'];

/// Applies `mutation` to the `target`-th token (pre-order, groups counted).
fn mutate(stream: TokenStream, target: &mut usize, mutation: Mutation) -> TokenStream {
    let trees: Vec<TokenTree> = stream.into_iter().collect();
    let mut out = Vec::with_capacity(trees.len() + 1);
    let mut i = 0;
    while i < trees.len() {
        let tree = trees[i].clone();
        let hit = *target == 0;
        *target = target.wrapping_sub(1);
        if hit {
            match mutation {
                Mutation::Drop => {}
                Mutation::SwapWithNext if i + 1 < trees.len() => {
                    out.push(trees[i + 1].clone());
                    out.push(tree);
                    i += 1;
                }
                Mutation::SwapWithNext => out.push(tree),
                Mutation::Duplicate => {
                    out.push(tree.clone());
                    out.push(tree);
                }
                Mutation::Number(text) => {
                    out.extend(text.parse::<TokenStream>().expect("a number lexes"));
                }
                Mutation::Punct(c) => out.push(TokenTree::Punct(Punct::new(c, Spacing::Alone))),
            }
        } else if let TokenTree::Group(group) = tree {
            let inner = mutate(group.stream(), target, mutation);
            let mut rebuilt = Group::new(group.delimiter(), inner);
            rebuilt.set_span(group.span());
            out.push(TokenTree::Group(rebuilt));
        } else {
            out.push(tree);
        }
        i += 1;
    }
    out.into_iter().collect()
}

fn count(stream: &TokenStream) -> usize {
    stream
        .clone()
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Group(group) => 1 + count(&group.stream()),
            _ => 1,
        })
        .sum()
}

/// The macro never panics: every mutation of a real spec ends in compile
/// errors or in code that parses, never in a panic.
#[test]
fn thousands_of_mutated_specs_never_panic() {
    let spec = spec_tokens();
    let tokens = count(&spec);
    let mut mutations = vec![Mutation::Drop, Mutation::SwapWithNext, Mutation::Duplicate];
    mutations.extend(NUMBERS.map(Mutation::Number));
    mutations.extend(PUNCTS.map(Mutation::Punct));
    let (mut tried, mut rejected) = (0, 0);
    for target in 0..tokens {
        for mutation in &mutations {
            let mutated = mutate(spec.clone(), &mut target.clone(), *mutation);
            let output = expand_spec(&mutated).unwrap_or_else(|panic| {
                panic!("token {target}, {mutation:?}: the macro panicked: {panic}\n{mutated}")
            });
            tried += 1;
            if messages(&output).is_empty() {
                syn::parse2::<syn::File>(output).unwrap_or_else(|error| {
                    panic!("token {target}, {mutation:?}: no error, but the output does not parse: {error}")
                });
            } else {
                rejected += 1;
            }
        }
    }
    // Chained mutations, from a fixed-seed generator.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound as u64) as usize
    };
    for _ in 0..6_000 {
        let mut mutated = spec.clone();
        for _ in 0..=next(4) {
            let mutation = mutations[next(mutations.len())];
            mutated = mutate(mutated, &mut next(tokens), mutation);
        }
        let output = expand_spec(&mutated)
            .unwrap_or_else(|panic| panic!("the macro panicked: {panic}\n{mutated}"));
        tried += 1;
        if messages(&output).is_empty() {
            assert!(syn::parse2::<syn::File>(output).is_ok(), "{mutated}");
        } else {
            rejected += 1;
        }
    }
    assert!(tried > 10_000, "{tried}");
    // Most mutations break a spec; some (a value changed) leave it valid.
    assert!(
        rejected > tried / 2 && rejected < tried,
        "{rejected} of {tried} rejected"
    );
}

#[test]
fn the_unmutated_spec_compiles_to_58_parameters() {
    let output = expand_spec(&spec_tokens()).unwrap();
    assert!(messages(&output).is_empty(), "{:?}", messages(&output));
    let file: syn::File = syn::parse2(output).unwrap();
    let syn::Item::Mod(module) = &file.items[0] else {
        panic!("expected a module")
    };
    let statics: Vec<String> = module
        .content
        .as_ref()
        .unwrap()
        .1
        .iter()
        .filter_map(|item| match item {
            syn::Item::Static(item) => Some(item.ident.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(
        statics,
        [
            "WTE_A",
            "WTE_B",
            "ATTN_Q_PROJ_ANGLE_H0",
            "ATTN_Q_PROJ_ANGLE_H1",
            "ATTN_Q_PROJ_SCALE",
            "ATTN_K_PROJ_WEIGHT",
            "ATTN_V_PROJ_U",
            "ATTN_V_PROJ_V",
            "ATTN_C_PROJ_VAL0",
            "ATTN_C_PROJ_VAL1",
            "MLP_ROW0",
            "MLP_ROW1",
            "MLP_FC_BIAS",
            "MLP_C_PROJ_U",
            "MLP_C_PROJ_V",
            "LM_HEAD_LIN",
            "LM_HEAD_QUAD",
            "LM_HEAD_DIM_W",
            "POSITIONS",
            // Structure, filled at compile time from the statics above.
            "KV_KEYS",
            "KV_VALUES",
            "EMBEDDING_TABLE",
            "VALUE_TABLE",
        ]
    );
}

/// Errors in a spec file are reported on the path literal, with the file's
/// own line and column, all at once.
#[test]
fn file_errors_carry_path_line_and_column() {
    let bad = ADDER58
        .replace("n_head: 2,", "n_head: 3,")
        .replace("dim_w: [1]", "dim_v: [1]");
    let path = std::env::temp_dir().join(format!("adder-bad-{}.spec", std::process::id()));
    std::fs::write(&path, &bad).unwrap();
    let literal = Literal::string(path.to_str().unwrap());
    let output = expand(quote!(mod from_file = #literal;));
    std::fs::remove_file(&path).unwrap();
    let messages = messages(&output);
    let line_of = |needle: &str| bad.lines().position(|line| line.contains(needle)).unwrap() + 1;
    let shown = path.display().to_string();
    assert_eq!(
        messages,
        [
            format!(
                "{:?}",
                format!(
                    "{shown}:{}:13: n_embd (4) must be divisible by n_head (3), or give `head_dim`",
                    line_of("n_head")
                )
            ),
            format!(
                "{:?}",
                format!(
                    "{shown}:{}:5: unknown parameter `dim_v` for `parabolic`; expected one of: lin, quad, dim_w, reads",
                    line_of("dim_v")
                )
            ),
            format!(
                "{:?}",
                format!(
                    "{shown}:{}:11: `parabolic` is missing parameter `dim_w`: [1]",
                    line_of("lm_head =")
                )
            ),
        ]
    );
    // The public items are still there, so no cascade of unresolved names.
    let text = output.to_string();
    assert!(text.contains("pub const fn add") && text.contains("unreachable"));
}

/// A file spec tells cargo to rebuild when the file changes.
#[test]
fn file_specs_are_tracked_by_include_str() {
    let path = std::env::temp_dir().join(format!("adder-good-{}.spec", std::process::id()));
    std::fs::write(&path, ADDER58).unwrap();
    let literal = Literal::string(path.to_str().unwrap());
    let output = expand(quote!(pub mod from_file = #literal;));
    std::fs::remove_file(&path).unwrap();
    assert!(messages(&output).is_empty(), "{:?}", messages(&output));
    assert!(
        output
            .to_string()
            .contains(&format!("include_str ! ({literal})"))
    );
}

#[test]
fn structural_zeros_cost_no_code() {
    let text = expand_spec(&spec_tokens()).unwrap().to_string();
    // The sparse out-projection writes dims 1 and 3 only; the residual
    // update adds nothing to dims 0 and 2.
    assert!(text.contains("residual [1] + projected [1]"));
    assert!(!text.contains("residual [0] + projected"));
    // The slim key reads dims 1 and 2 only.
    assert!(!text.contains("x [0] * ATTN_K_PROJ_WEIGHT"));
    assert!(text.contains("x [1] * ATTN_K_PROJ_WEIGHT [0] [0]"));
}

#[test]
fn an_input_that_is_not_a_module_is_an_error() {
    for input in [
        quote!(),
        quote!(
            fn f() {}
        ),
        quote!(mod a = 3;),
        quote!(
            mod a {}
            mod b {}
        ),
    ] {
        let output = expand(input.clone());
        assert_eq!(messages(&output).len(), 1, "{input}");
    }
}

mod dtype;
mod fuzz;
mod lanes;
mod snapshots;
mod weight_files;

/// Nesting a number ever deeper is an error on the token past the limit,
/// not a crash: the parser's recursion is bounded, in inline specs and in
/// files alike.
#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    for depth in [65, 3_000, 100_000] {
        for (open, close) in [("(", ")"), ("sqrt(", ")"), ("-", "")] {
            let number = format!("{}1.0{}", open.repeat(depth), close.repeat(depth));
            let spec = ADDER58.replace("lin: [1] = [2.0]", &format!("lin: [1] = [{number}]"));
            // Inline: the tokens as the compiler would pass them.
            let tokens: TokenStream = spec.parse().expect("the spec lexes");
            let output = expand_spec(&tokens).expect("no panic");
            let inline = messages(&output);
            assert!(
                inline.iter().any(|m| m.contains("nested deeper than")),
                "{depth} x {open}: {inline:?}"
            );
            // A file.
            let path = std::env::temp_dir().join(format!("adder-deep-{}.spec", std::process::id()));
            std::fs::write(&path, &spec).unwrap();
            let literal = Literal::string(path.to_str().unwrap());
            let output = expand(quote!(mod from_file = #literal;));
            std::fs::remove_file(&path).unwrap();
            let in_file = messages(&output);
            assert!(
                in_file.iter().any(|m| m.contains("nested deeper than")),
                "file, {depth} x {open}: {in_file:?}"
            );
        }
    }
}

/// A spec file that is not UTF-8 gets the line and column of its first
/// bad byte.
#[test]
fn a_file_that_is_not_utf8_is_located() {
    let path = std::env::temp_dir().join(format!("adder-bytes-{}.spec", std::process::id()));
    std::fs::write(&path, b"config {\n  \xff\n}").unwrap();
    let literal = Literal::string(path.to_str().unwrap());
    let output = expand(quote!(mod from_file = #literal;));
    std::fs::remove_file(&path).unwrap();
    let shown = path.display().to_string();
    assert_eq!(
        messages(&output),
        [format!(
            "{:?}",
            format!("{shown}:2:3: the spec is not UTF-8 text")
        )]
    );
}
