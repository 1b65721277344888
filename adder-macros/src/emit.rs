//! The code a model becomes: one `static` per parameter, the positional
//! table, and a forward pass unrolled over every model dimension.

use proc_macro2::{Group, Ident, Literal, TokenStream, TokenTree};
use quote::{format_ident, quote};

use crate::check::{OUTPUT_DIGITS, static_name};
use crate::model::{Attention, Embedding, Head, Linear, Model, Tensor, TensorId};
use crate::table;

/// Everything inside the generated module.
pub fn model(model: &Model) -> TokenStream {
    unsuffixed(module_body(model))
}

/// `quote!` writes a `usize` as `4usize`; a reader of `cargo expand` wants
/// `4`. Every such literal in the emitted code is an index or a size, where
/// the type is inferred.
fn unsuffixed(tokens: TokenStream) -> TokenStream {
    tokens
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Literal(literal) => match literal.to_string().strip_suffix("usize") {
                Some(digits) => match digits.parse::<usize>() {
                    Ok(value) => {
                        let mut plain = Literal::usize_unsuffixed(value);
                        plain.set_span(literal.span());
                        TokenTree::Literal(plain)
                    }
                    Err(_) => TokenTree::Literal(literal),
                },
                None => TokenTree::Literal(literal),
            },
            TokenTree::Group(group) => {
                let mut rebuilt = Group::new(group.delimiter(), unsuffixed(group.stream()));
                rebuilt.set_span(group.span());
                TokenTree::Group(rebuilt)
            }
            other => other,
        })
        .collect()
}

fn module_body(model: &Model) -> TokenStream {
    let c = &model.config;
    let (embd, heads, block, hidden, vocab) =
        (c.n_embd, c.n_head, c.block_size, c.mlp_hidden, c.vocab);
    let statics = (0..model.tensors.len()).map(|id| parameter(model, id));
    let counted = model.tensors.iter().map(ident);
    let positions = positions(model);
    let scale = f32_lit((1.0 / (c.head_dim() as f64).sqrt()) as f32);
    let derived = derived(model);
    let stages = stages(model);
    let (sin_dim, cos_dim) = (model.positions.sin_dim, model.positions.cos_dim);
    let attention = attention(model);
    let forward_doc =
        format!(" The forward pass over `tokens` (1 to {block} of them, each below {vocab}):");
    let api = api(model);
    quote! {
        #(#statics)*

        /// Every stored number of the model, counted from the parameter
        /// statics above. The positional table is structure, not a parameter.
        pub const PARAM_COUNT: usize =
            (0 #(+ ::core::mem::size_of_val(&#counted))*) / ::core::mem::size_of::<f32>();

        /// The largest operand [`add`] takes: ten digits.
        pub const MAX_OPERAND: u64 = ::adder::tokens::MAX_OPERAND;
        /// Tokens: the digits 0-9; `+` and `=` are token 0.
        pub const VOCAB: usize = #vocab;
        /// Width of the residual stream.
        pub const N_EMBD: usize = #embd;
        /// Attention heads.
        pub const N_HEAD: usize = #heads;
        /// The longest token sequence the model reads.
        pub const BLOCK_SIZE: usize = #block;
        /// Hidden units of the MLP.
        pub const MLP_HIDDEN: usize = #hidden;

        #positions

        /// `1 / sqrt(head_dim)`, the attention's score scale.
        pub const ATTENTION_SCALE: f32 = #scale;

        #derived

        /// What one forward pass computed at the last position.
        pub type Step = ::adder::Step<#embd, #heads, #block, #hidden, #vocab>;
        /// What the 11 forward passes of one addition computed.
        pub type Trace = ::adder::Trace<#embd, #heads, #block, #hidden, #vocab>;

        /// The stages, as function pointers, for `adder::proof::prove`.
        pub const STAGES: ::adder::proof::Stages<#embd, #heads, #block, #hidden, #vocab> =
            ::adder::proof::Stages {
                embed,
                query,
                key,
                value,
                step,
                logits,
                positions: &POSITIONS,
                position_dims: [#sin_dim, #cos_dim],
            };

        #stages

        #[doc = #forward_doc]
        /// the attention, residual stream, MLP and logits at the last position.
        ///
        /// # Panics
        ///
        /// If `tokens` is empty, longer than [`BLOCK_SIZE`], or holds a token
        /// that is not below [`VOCAB`].
        #[must_use]
        pub const fn step(tokens: &[u8]) -> Step {
            let len = tokens.len();
            assert!(len >= 1 && len <= BLOCK_SIZE, "adder: a step reads 1 to BLOCK_SIZE tokens");
            let residual = embed(tokens[len - 1] as usize, len - 1);
            let (attention, mixed) = attend(&query(&residual), tokens);
            let (after_attention, hidden, after_mlp, logits) = finish(&residual, &mixed);
            Step { attention, residual, after_attention, hidden, after_mlp, logits }
        }

        #attention

        #api
    }
}

/// The public entry points: logits, digits, and the sums.
fn api(model: &Model) -> TokenStream {
    let (block, vocab) = (model.config.block_size, model.config.vocab);
    let output_digits = OUTPUT_DIGITS;
    let head_dim = model.config.head_dim();
    let sparse_mixing = (0..model.config.n_head).map(|h| {
        let mix =
            (h * head_dim..(h + 1) * head_dim).map(|d| quote!(mixed[#d] += weight * value[#d];));
        quote! {
            let mut target = 0;
            while target < SPARSE_ATTENTION.count[len][#h] as usize {
                let position = SPARSE_ATTENTION.position[len][#h][target] as usize;
                let weight = SPARSE_ATTENTION.weight[len][#h][target];
                let value = value(&embed(tokens[position] as usize, position));
                #(#mix)*
                target += 1;
            }
        }
    });
    quote! {
        /// The logits of the next token after `tokens`: bit for bit those of
        /// [`step`], computed from the positions the heads read alone where
        /// [`SPARSE_ATTENTION`] applies.
        ///
        /// # Panics
        ///
        /// As [`step`].
        #[must_use]
        pub const fn logits(tokens: &[u8]) -> [f32; #vocab] {
            if !SPARSE_ATTENTION.applies {
                return step(tokens).logits;
            }
            let len = tokens.len();
            assert!(len >= 1 && len <= BLOCK_SIZE, "adder: a step reads 1 to BLOCK_SIZE tokens");
            let residual = embed(tokens[len - 1] as usize, len - 1);
            let mut mixed = [0.0f32; N_EMBD];
            #(#sparse_mixing)*
            finish(&residual, &mixed).3
        }

        /// The greedy digits of `a + b`, least significant first: 11 forward
        /// passes, each appending the argmax of the last.
        ///
        /// # Panics
        ///
        /// If an operand exceeds [`MAX_OPERAND`].
        #[must_use]
        pub const fn digits(a: u64, b: u64) -> [u8; #output_digits] {
            let mut tokens: [u8; #block] = ::adder::tokens::sequence(a, b);
            let mut digits = [0u8; #output_digits];
            let mut k = 0;
            while k < #output_digits {
                let len = ::adder::tokens::PROMPT_LEN + k;
                let digit = ::adder::tokens::argmax(&logits(tokens.split_at(len).0)) as u8;
                digits[k] = digit;
                tokens[len] = digit;
                k += 1;
            }
            digits
        }

        /// What the network computes at each of the 11 steps of `a + b`, as
        /// data: the same forward passes as [`digits`], with their insides.
        ///
        /// # Panics
        ///
        /// If an operand exceeds [`MAX_OPERAND`].
        #[must_use]
        pub const fn trace(a: u64, b: u64) -> Trace {
            let mut tokens: [u8; #block] = ::adder::tokens::sequence(a, b);
            let mut steps = [step(tokens.split_at(::adder::tokens::PROMPT_LEN).0); #output_digits];
            let mut digits = [0u8; #output_digits];
            let mut k = 0;
            while k < #output_digits {
                let len = ::adder::tokens::PROMPT_LEN + k;
                steps[k] = step(tokens.split_at(len).0);
                let digit = ::adder::tokens::argmax(&steps[k].logits) as u8;
                digits[k] = digit;
                tokens[len] = digit;
                k += 1;
            }
            ::adder::Trace { a, b, steps, digits }
        }

        /// `a + b` as this network computes it, or `None` if an operand
        /// exceeds [`MAX_OPERAND`].
        #[must_use]
        pub const fn checked_add(a: u64, b: u64) -> ::core::option::Option<u64> {
            if a > MAX_OPERAND || b > MAX_OPERAND {
                return ::core::option::Option::None;
            }
            ::core::option::Option::Some(::adder::tokens::decode(&digits(a, b)))
        }

        /// `a + b` as this network computes it.
        ///
        /// # Panics
        ///
        /// If an operand exceeds [`MAX_OPERAND`] (9 999 999 999); in a `const`
        /// item that is a compile error. [`checked_add`] returns `None` instead.
        #[must_use]
        pub const fn add(a: u64, b: u64) -> u64 {
            match checked_add(a, b) {
                ::core::option::Option::Some(sum) => sum,
                ::core::option::Option::None => {
                    panic!("adder: an operand exceeds MAX_OPERAND (9_999_999_999, ten digits)")
                }
            }
        }
    }
}

/// The module emitted when the spec has errors: the same public items with
/// `unreachable!()` bodies, so the user sees the spec's errors, no cascade.
pub fn fallback() -> TokenStream {
    quote! {
        pub const PARAM_COUNT: usize = 0;
        pub const MAX_OPERAND: u64 = ::adder::tokens::MAX_OPERAND;
        pub const fn logits(tokens: &[u8]) -> [f32; 10] { let _ = tokens; unreachable!() }
        pub const fn digits(a: u64, b: u64) -> [u8; 11] { let _ = (a, b); unreachable!() }
        pub const fn checked_add(a: u64, b: u64) -> ::core::option::Option<u64> { let _ = (a, b); unreachable!() }
        pub const fn add(a: u64, b: u64) -> u64 { let _ = (a, b); unreachable!() }
    }
}

fn ident(tensor: &Tensor) -> Ident {
    format_ident!("{}", static_name(&tensor.path))
}

/// An `f32` literal that round-trips bit for bit (`Display` prints the
/// shortest decimal that does).
fn f32_lit(value: f32) -> TokenStream {
    let literal = Literal::f32_unsuffixed(value.abs());
    if value.is_sign_negative() {
        quote!(-#literal)
    } else {
        quote!(#literal)
    }
}

fn parameter(model: &Model, id: TensorId) -> TokenStream {
    let tensor = &model.tensors[id];
    let name = ident(tensor);
    let doc = format!(
        " `{}`, shape {:?}: {}.",
        tensor.path,
        tensor.shape,
        role(model, id)
    );
    let mut ty = quote!(f32);
    for d in tensor.shape.iter().rev() {
        ty = quote!([#ty; #d]);
    }
    let value = nested(&tensor.values, &tensor.shape);
    quote! {
        #[doc = #doc]
        #[rustfmt::skip]
        pub static #name: #ty = #value;
    }
}

fn nested(values: &[f32], shape: &[usize]) -> TokenStream {
    match shape.split_first() {
        None => f32_lit(values[0]),
        Some((_, inner)) => {
            let stride: usize = inner.iter().product();
            let items = values
                .chunks(stride.max(1))
                .map(|chunk| nested(chunk, inner));
            quote!([#(#items),*])
        }
    }
}

/// What a parameter is for, in words, for its doc line.
fn role(model: &Model, id: TensorId) -> &'static str {
    let in_linear = |linear: &Linear| linear_tensors(linear).contains(&id);
    let embedding = match model.embedding {
        Embedding::Dense { weight } => vec![weight],
        Embedding::Factorized { a, b, .. } => vec![a, b],
    };
    if embedding.contains(&id) {
        return "token embedding";
    }
    match &model.attention {
        Attention::Separate { q, .. } if in_linear(q) => return "attention query",
        Attention::Separate { k, .. } if in_linear(k) => return "attention key",
        Attention::Separate { v, .. } if in_linear(v) => return "attention value",
        Attention::Fused(qkv) if in_linear(qkv) => return "attention query, key and value",
        _ => {}
    }
    if in_linear(&model.attn_proj) {
        "attention output projection"
    } else if in_linear(&model.mlp_in) {
        "MLP input projection"
    } else if in_linear(&model.mlp_out) {
        "MLP output projection"
    } else {
        "LM head"
    }
}

fn linear_tensors(linear: &Linear) -> Vec<TensorId> {
    match linear {
        Linear::Dense { weight, bias } | Linear::Slim { weight, bias, .. } => {
            std::iter::once(*weight).chain(*bias).collect()
        }
        Linear::Rank1 { u, v, bias } => [*u, *v].into_iter().chain(*bias).collect(),
        Linear::Sparse { entries } => entries.iter().map(|(id, _, _)| *id).collect(),
        Linear::SharedRows { rows, bias, .. } => rows.iter().copied().chain(*bias).collect(),
        Linear::Rotation { angles, scale, .. } => angles.iter().copied().chain([*scale]).collect(),
    }
}

fn positions(model: &Model) -> TokenStream {
    let block = model.config.block_size;
    let p = &model.positions;
    let rows = table::sinusoid(p, block).into_iter().map(|[sin, cos]| {
        let (sin, cos) = (f32_lit(sin), f32_lit(cos));
        quote!([#sin, #cos])
    });
    let doc = format!(
        " The positional table, not a parameter: row `p` holds `a(p) sin(2 pi p / {period})` for dim {sin} \
         and `a(p) cos(..)` for dim {cos}, with the amplitude `a` of the schedule {schedule:?} (from \
         position: amplitude). Computed in `f64` at expansion time, rounded once to `f32`.",
        period = p.period,
        sin = p.sin_dim,
        cos = p.cos_dim,
        schedule = p.amplitude,
    );
    quote! {
        #[doc = #doc]
        #[rustfmt::skip]
        pub static POSITIONS: [[f32; 2]; #block] = [#(#rows),*];
    }
}

/// Matrices derived at compile time from parameters (a rotation's entries
/// from its angles and scale): `const`s computed from the statics.
fn derived(model: &Model) -> TokenStream {
    let mut out = TokenStream::new();
    let linears: Vec<&Linear> = match &model.attention {
        Attention::Separate { q, k, v } => vec![q, k, v],
        Attention::Fused(qkv) => vec![qkv],
    };
    for linear in linears {
        if let Linear::Rotation { angles, scale, .. } = linear {
            let name = rotation_ident(model, *scale);
            let scale = ident(&model.tensors[*scale]);
            let rows = angles.iter().map(|angle| {
                let angle = ident(&model.tensors[*angle]);
                quote! {
                    [-::adder::math::cosf(#angle[0]) * #scale[0], ::adder::math::sinf(#angle[0]) * #scale[0]],
                    [::adder::math::sinf(#angle[0]) * #scale[0], ::adder::math::cosf(#angle[0]) * #scale[0]],
                }
            });
            let count = angles.len() * 2;
            let doc = format!(
                " The rotation matrix of `{}`, derived at compile time from its angles and scale: \
                 per head, `S [[-cos a, sin a], [sin a, cos a]]` on the dims it reads.",
                model.tensors[angles.first().copied().unwrap_or_default()]
                    .path
                    .rsplit_once('.')
                    .map_or("", |(m, _)| m)
            );
            out.extend(quote! {
                #[doc = #doc]
                pub const #name: [[f32; 2]; #count] = [#(#rows)*];
            });
        }
    }
    out
}

fn rotation_ident(model: &Model, scale: TensorId) -> Ident {
    let path = &model.tensors[scale].path;
    let module = path
        .rsplit_once('.')
        .map_or(path.as_str(), |(module, _)| module);
    format_ident!("{}_ROTATION", static_name(module))
}

/// The per-position stages as small `const fn`s, each unrolled.
fn stages(model: &Model) -> TokenStream {
    let c = &model.config;
    let (embd, hidden, vocab) = (c.n_embd, c.mlp_hidden, c.vocab);
    let embedding = embed(model);
    let (query, key, value) = match &model.attention {
        Attention::Separate { q, k, v } => (
            apply(model, q, embd, 0..embd),
            apply(model, k, embd, 0..embd),
            apply(model, v, embd, 0..embd),
        ),
        Attention::Fused(qkv) => (
            apply(model, qkv, embd, 0..embd),
            apply(model, qkv, embd, embd..2 * embd),
            apply(model, qkv, embd, 2 * embd..3 * embd),
        ),
    };
    let attn_proj = apply(model, &model.attn_proj, embd, 0..embd);
    let mlp_in = apply(model, &model.mlp_in, embd, 0..hidden);
    let mlp_out = apply(model, &model.mlp_out, hidden, 0..embd);
    let head = head(model);
    quote! {
        /// Token embedding plus positional table.
        pub const fn embed(token: usize, position: usize) -> [f32; #embd] { #embedding }
        /// The query of the residual stream `x`.
        pub const fn query(x: &[f32; #embd]) -> [f32; #embd] { #query }
        /// The key of the residual stream `x`.
        pub const fn key(x: &[f32; #embd]) -> [f32; #embd] { #key }
        /// The value of the residual stream `x`.
        pub const fn value(x: &[f32; #embd]) -> [f32; #embd] { #value }
        /// The attention's output projection of the heads' outputs `x`.
        pub const fn attn_proj(x: &[f32; #embd]) -> [f32; #embd] { #attn_proj }
        /// The MLP's input projection, before the ReLU.
        pub const fn mlp_in(x: &[f32; #embd]) -> [f32; #hidden] { #mlp_in }
        /// The MLP's output projection of the hidden units `x`.
        pub const fn mlp_out(x: &[f32; #hidden]) -> [f32; #embd] { #mlp_out }
        /// The LM head: logits of the residual stream `x`.
        pub const fn lm_head(x: &[f32; #embd]) -> [f32; #vocab] { #head }
    }
}

fn embed(model: &Model) -> TokenStream {
    let c = &model.config;
    let p = &model.positions;
    let dims = (0..c.n_embd).map(|j| {
        let token = match model.embedding {
            Embedding::Dense { weight } => {
                let w = ident(&model.tensors[weight]);
                quote!(#w[token][#j])
            }
            Embedding::Factorized { a, b, rank } => {
                let (a, b) = (ident(&model.tensors[a]), ident(&model.tensors[b]));
                let terms = (0..rank).map(|r| quote!(#a[token][#r] * #b[#r][#j]));
                quote!(#(#terms)+*)
            }
        };
        if j == p.sin_dim {
            quote!(#token + POSITIONS[position][0])
        } else if j == p.cos_dim {
            quote!(#token + POSITIONS[position][1])
        } else {
            token
        }
    });
    quote!([#(#dims),*])
}

/// `[out_rows]` of a linear map of `x` (an `[f32; input]`), unrolled:
/// structural zeros are the literal `0.0` and cost no arithmetic.
fn apply(
    model: &Model,
    linear: &Linear,
    input: usize,
    rows: std::ops::Range<usize>,
) -> TokenStream {
    let (prelude, outputs) = rows_of(model, linear, input, rows);
    let outputs = outputs
        .into_iter()
        .map(|out| out.unwrap_or_else(|| quote!(0.0)));
    quote! { #prelude [#(#outputs),*] }
}

/// The expressions of rows `rows` of a linear map, `None` for a row that is
/// a structural zero, and the statements they share.
fn rows_of(
    model: &Model,
    linear: &Linear,
    input: usize,
    rows: std::ops::Range<usize>,
) -> (TokenStream, Vec<Option<TokenStream>>) {
    let name = |id: TensorId| ident(&model.tensors[id]);
    let with_bias = |sum: TokenStream, bias: Option<TensorId>, i: usize| match bias {
        Some(bias) => {
            let bias = name(bias);
            quote!(#sum + #bias[#i])
        }
        None => sum,
    };
    match linear {
        Linear::Dense { weight, bias } => {
            let w = name(*weight);
            let out = rows.map(|i| {
                let terms = (0..input).map(|j| quote!(x[#j] * #w[#i][#j]));
                Some(with_bias(quote!(#(#terms)+*), *bias, i))
            });
            (TokenStream::new(), out.collect())
        }
        Linear::Slim {
            reads,
            weight,
            bias,
        } => {
            let w = name(*weight);
            let out = rows.map(|i| {
                let terms = reads
                    .iter()
                    .enumerate()
                    .map(|(k, j)| quote!(x[#j] * #w[#i][#k]));
                Some(with_bias(quote!(#(#terms)+*), *bias, i))
            });
            (TokenStream::new(), out.collect())
        }
        Linear::Rank1 { u, v, bias } => {
            let (u, v) = (name(*u), name(*v));
            let terms = (0..input).map(|j| quote!(x[#j] * #v[0][#j]));
            let prelude = quote!(let projected = #(#terms)+*;);
            let out = rows.map(|i| Some(with_bias(quote!(projected * #u[#i][0]), *bias, i)));
            (prelude, out.collect())
        }
        Linear::Sparse { entries } => {
            let out = rows.map(|i| {
                let terms: Vec<TokenStream> = entries
                    .iter()
                    .filter(|(_, row, _)| *row == i)
                    .map(|(id, _, col)| {
                        let value = name(*id);
                        quote!(x[#col] * #value[0])
                    })
                    .collect();
                (!terms.is_empty()).then(|| quote!(#(#terms)+*))
            });
            (TokenStream::new(), out.collect())
        }
        Linear::SharedRows {
            rows: shared,
            assign,
            bias,
        } => {
            let out = rows.map(|i| {
                let row = name(shared[assign[i]]);
                let terms = (0..input).map(|j| quote!(x[#j] * #row[#j]));
                Some(with_bias(quote!(#(#terms)+*), *bias, i))
            });
            (TokenStream::new(), out.collect())
        }
        Linear::Rotation {
            reads: [r0, r1],
            scale,
            ..
        } => {
            let matrix = rotation_ident(model, *scale);
            let out = rows.map(|i| Some(quote!(x[#r0] * #matrix[#i][0] + x[#r1] * #matrix[#i][1])));
            (TokenStream::new(), out.collect())
        }
    }
}

fn head(model: &Model) -> TokenStream {
    match &model.head {
        Head::Parabolic {
            lin,
            quad,
            dim_w,
            reads,
        } => {
            let name = |id: &TensorId| ident(&model.tensors[*id]);
            let (lin, quad, dim_w) = (name(lin), name(quad), name(dim_w));
            let logits = (0..model.config.vocab).map(|d| {
                let d_lit = f32_lit(d as f32);
                let d2_lit = f32_lit((d * d) as f32);
                quote!(#lin[0] * #d_lit * scalar + #quad[0] * #d2_lit)
            });
            quote! {
                let scalar = x[#reads] * #dim_w[0];
                [#(#logits),*]
            }
        }
        Head::Linear(linear) => apply(model, linear, model.config.n_embd, 0..model.config.vocab),
    }
}

/// The attention at the last position, the residual updates and the MLP:
/// the body of `step` after the keys, values and query are known.
fn attention(model: &Model) -> TokenStream {
    let c = &model.config;
    let (embd, heads, hidden) = (c.n_embd, c.n_head, c.mlp_hidden);
    let head_dim = c.head_dim();
    // Per head: its scores, then softmax and mixing, in three passes over
    // the positions. Keys and values are recomputed per pass rather than
    // stored: a few multiplications buy back 2 x BLOCK_SIZE x N_EMBD floats
    // of stack, and the arithmetic, and so every bit, is the same.
    let dims_of = |h: usize| h * head_dim..(h + 1) * head_dim;
    let scores = (0..heads).map(|h| {
        let score = dims_of(h).map(|d| quote!(query[#d] * key[#d]));
        quote! {
            let score = (#(#score)+*) * ATTENTION_SCALE;
            attention[#h][position] = score;
            if score > max[#h] {
                max[#h] = score;
            }
        }
    });
    let exps = (0..heads).map(|h| {
        quote! {
            let e = ::adder::math::expf(attention[#h][position] - max[#h]);
            attention[#h][position] = e;
            sum[#h] += e;
        }
    });
    let mixes = (0..heads).map(|h| {
        let mix = dims_of(h).map(|d| quote!(mixed[#d] += weight * value[#d];));
        quote! {
            let weight = attention[#h][position] / sum[#h];
            attention[#h][position] = weight;
            #(#mix)*
        }
    });
    let per_head = quote! {
        let mut max = [f32::NEG_INFINITY; N_HEAD];
        let mut position = 0;
        while position < len {
            let token = tokens[position] as usize;
            assert!(token < VOCAB, "adder: token out of vocabulary");
            let key = key(&embed(token, position));
            #(#scores)*
            position += 1;
        }
        let mut sum = [0.0f32; N_HEAD];
        position = 0;
        while position < len {
            #(#exps)*
            position += 1;
        }
        position = 0;
        while position < len {
            let value = value(&embed(tokens[position] as usize, position));
            #(#mixes)*
            position += 1;
        }
    };
    let (_, proj_rows) = rows_of(model, &model.attn_proj, embd, 0..embd);
    let after_attention = proj_rows.iter().enumerate().map(|(i, row)| {
        if row.is_some() {
            quote!(residual[#i] + projected[#i])
        } else {
            quote!(residual[#i])
        }
    });
    let (_, mlp_rows) = rows_of(model, &model.mlp_out, hidden, 0..embd);
    let after_mlp = mlp_rows.iter().enumerate().map(|(i, row)| {
        if row.is_some() {
            quote!(after_attention[#i] + out[#i])
        } else {
            quote!(after_attention[#i])
        }
    });
    let relu = (0..hidden).map(|i| quote!(if pre[#i] > 0.0 { pre[#i] } else { 0.0 }));
    let sparse = sparse_attention(model);
    let vocab = c.vocab;
    quote! {
        /// The attention at the last position of `tokens`, with `query` its
        /// query: each head's weights over the positions, and the heads'
        /// outputs side by side.
        const fn attend(query: &[f32; #embd], tokens: &[u8]) -> ([[f32; BLOCK_SIZE]; N_HEAD], [f32; #embd]) {
            let len = tokens.len();
            let mut attention = [[0.0f32; BLOCK_SIZE]; N_HEAD];
            let mut mixed = [0.0f32; #embd];
            #per_head
            (attention, mixed)
        }

        /// The rest of the block at the last position, from its residual
        /// stream and the heads' outputs: the residual after attention, the
        /// MLP's hidden units, the residual after the MLP, the logits.
        const fn finish(
            residual: &[f32; #embd],
            mixed: &[f32; #embd],
        ) -> ([f32; #embd], [f32; #hidden], [f32; #embd], [f32; #vocab]) {
            let projected = attn_proj(mixed);
            let after_attention = [#(#after_attention),*];
            let pre = mlp_in(&after_attention);
            let hidden = [#(#relu),*];
            let out = mlp_out(&hidden);
            let after_mlp = [#(#after_mlp),*];
            (after_attention, hidden, after_mlp, lm_head(&after_mlp))
        }

        #sparse
    }
}

/// `SPARSE_ATTENTION`: the compile-time table of where each head looks.
fn sparse_attention(model: &Model) -> TokenStream {
    let c = &model.config;
    let heads = c.n_head;
    let block_plus_one = c.block_size + 1;
    let vocab = c.vocab;
    let targets = (0..heads).map(|h| {
        quote! {
            let mut count = 0;
            let mut position = 0;
            while position < len {
                let weight = attention[#h][position];
                if weight != 0.0 {
                    if count == ::adder::sparse::MAX_TARGETS {
                        return ::adder::sparse::SparseAttention::NONE;
                    }
                    table.position[len][#h][count] = position as u16;
                    table.weight[len][#h][count] = weight;
                    count += 1;
                }
                position += 1;
            }
            table.count[len][#h] = count as u8;
        }
    });
    quote! {
        /// Where each head looks, for every sequence length, when that is
        /// the same for every prompt: computed at compile time from the
        /// parameters, by the code of [`step`] itself. It applies when every
        /// key and query is the same for all tokens (checked for each token
        /// at each position, so the weights cannot depend on the prompt),
        /// every value is finite (so the positions of weight 0 add exactly
        /// nothing) and no head has more than
        /// `adder::sparse::MAX_TARGETS` positions of weight above 0. Then
        /// [`logits`] reads only those positions, with the same bits.
        pub const SPARSE_ATTENTION: ::adder::sparse::SparseAttention<N_HEAD, #block_plus_one> =
            sparse_attention();

        /// Computes [`SPARSE_ATTENTION`].
        const fn sparse_attention() -> ::adder::sparse::SparseAttention<N_HEAD, #block_plus_one> {
            let mut table = ::adder::sparse::SparseAttention::NONE;
            let mut position = 0;
            while position < BLOCK_SIZE {
                let first = embed(0, position);
                let (key_0, query_0) = (key(&first), query(&first));
                let mut token = 1;
                while token < #vocab {
                    let x = embed(token, position);
                    if !::adder::sparse::same_bits(&key(&x), &key_0)
                        || !::adder::sparse::same_bits(&query(&x), &query_0)
                        || !::adder::sparse::all_finite(&value(&x))
                    {
                        return ::adder::sparse::SparseAttention::NONE;
                    }
                    token += 1;
                }
                if !::adder::sparse::all_finite(&value(&first)) {
                    return ::adder::sparse::SparseAttention::NONE;
                }
                position += 1;
            }
            let prompt = [0u8; BLOCK_SIZE];
            let mut len = 1;
            while len <= BLOCK_SIZE {
                let (attention, _) = attend(&query(&embed(0, len - 1)), prompt.split_at(len).0);
                #(#targets)*
                len += 1;
            }
            table.applies = true;
            table
        }
    }
}
