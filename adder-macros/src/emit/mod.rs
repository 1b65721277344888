//! The code a model becomes: one `static` per parameter, the positional
//! tables, and a forward pass unrolled over every model dimension. One file
//! per part: `idents` (the names and literals every part writes with),
//! `roles` (the statics' docs), `linear` (maps and norms), `rope`
//! (positioned queries and keys), `attention` (the attention and the MLP at
//! a position), `forward` (the stages), `step` (the pass that runs them),
//! `interval` and `lanes` (the twins of what follows the attention),
//! `routed` (where heads that read the tokens look by position alone),
//! `api` (the sums), `batch` (sums in lockstep), `dtype` (an `f64`
//! model's code from the `f32` code).

mod api;
mod attention;
mod batch;
mod dtype;
mod forward;
mod idents;
mod interval;
mod lane_attention;
mod lanes;
mod linear;
mod roles;
mod rope;
mod routed;
mod step;

use proc_macro2::{Group, Ident, Literal, TokenStream, TokenTree};
use quote::quote;
use syn::{Attribute, Visibility};

use crate::lower::ir::{Linear, Model, Piece, Positions, Qkv, TensorId};
use crate::lower::model::Lowered;
use crate::lower::table;
use idents::{lit, name, rotation_ident};

#[cfg(test)]
pub use lanes::twin_module as lanes_twin;

/// The generated module: the input's attributes and visibility, the
/// lints the generated code does not keep, and the body.
pub fn module(
    attrs: &[Attribute],
    vis: &Visibility,
    name: &Ident,
    body: &TokenStream,
) -> TokenStream {
    quote! {
        #(#attrs)*
        #[allow(clippy::all, clippy::pedantic, clippy::nursery)]
        #vis mod #name {
            #body
        }
    }
}

/// The module's body for a lowered spec: the model's code, then the
/// `include_str!` of a spec file and the `include_bytes!` of a weight file,
/// so that cargo rebuilds when they change.
pub fn body(lowered: &Lowered) -> TokenStream {
    let model = model(&lowered.model);
    let spec = lowered.spec_file.as_ref().map(|path| {
        let absolute = path.to_string_lossy().into_owned();
        quote!(
            const _: &str = include_str!(#absolute);
        )
    });
    let weights = lowered.weight_file.as_ref().map(|path| {
        let absolute = path.to_string_lossy().into_owned();
        quote!(
            const _: &[u8] = include_bytes!(#absolute);
        )
    });
    quote!(#model #spec #weights)
}

/// The module's body for a spec with errors: the errors, and the
/// [`fallback`] items.
pub fn failed(error: syn::Error) -> TokenStream {
    let fallback = fallback();
    let error = error.into_compile_error();
    quote!(#error #fallback)
}

/// Everything inside the generated module.
fn model(model: &Model) -> TokenStream {
    let body = unsuffixed(module_body(model));
    if model.is_f32() {
        body
    } else {
        dtype::to_f64(body)
    }
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
    let (n_layer, n_kv_head, head_dim) = (c.n_layer, c.n_kv_head, c.head_dim);
    let roles = roles::roles(model);
    let statics = (0..model.tensors.len()).map(|id| parameter(model, id, roles[id]));
    let counted = (0..model.tensors.len())
        .filter(|&id| model.tensors[id].counted)
        .map(|id| name(model, id));
    let positions = positions(model);
    let qk_dim = c.qk_dim;
    let scale = lit(model, 1.0 / (qk_dim as f64).sqrt());
    let derived = derived(model);
    let format = format(model);
    let (forward, lane_attention) = forward::forward(model);
    // An `f32` model's verifier reads its twins; an `f64` model's, the
    // verifier of fixed attention, where it has a twin.
    let kernel = if model.is_f32() {
        interval::kernel(model)
    } else {
        interval::fixed_kernel(model)
    };
    let api = api::api(model, lane_attention);
    let sparse = api::sparse_attention(model);
    let routed = routed::routed(model);
    let architecture = model.describe();
    // `f32` is the default; the rewrite makes this `f64` in an `f64` model.
    let float = (!model.is_f32()).then(|| quote!(, f32));
    let prove = if model.is_position_addressed() {
        quote!(::adder::proof::prove(&STAGES))
    } else {
        quote! {
            ::core::result::Result::Err(::adder::proof::Refutation::Premise {
                premise: ::adder::proof::Premise::PositionAddressed,
                step: 0,
                position: 0,
            })
        }
    };
    let stages = model.is_position_addressed().then(|| {
        let Positions::Sinusoid {
            sin_dim, cos_dim, ..
        } = model.positions
        else {
            unreachable!("a position-addressed model adds a sinusoid table")
        };
        quote! {
            /// The stages, as function pointers, for `adder::proof::prove`.
            pub const STAGES: ::adder::proof::Stages<#embd, #heads, #block, #hidden, #vocab> =
                ::adder::proof::Stages {
                    embed,
                    query,
                    key,
                    value,
                    step,
                    logits,
                    lane_logits,
                    positions: &POSITIONS,
                    position_dims: [#sin_dim, #cos_dim],
                    format: &FORMAT,
                };
        }
    });
    quote! {
        #(#statics)*

        /// Every stored number of the model, counted from the parameter
        /// statics above. Positional tables are structure, not parameters.
        pub const PARAM_COUNT: usize =
            (0 #(+ ::core::mem::size_of_val(&#counted))*) / ::core::mem::size_of::<f32>();

        /// The largest operand [`add`] takes: ten digits.
        pub const MAX_OPERAND: u64 = ::adder::tokens::MAX_OPERAND;
        /// Tokens: the digits 0-9 are tokens 0-9; the format names the rest.
        pub const VOCAB: usize = #vocab;
        /// Width of the residual stream.
        pub const N_EMBD: usize = #embd;
        /// Layers.
        pub const N_LAYER: usize = #n_layer;
        /// Attention (query) heads.
        pub const N_HEAD: usize = #heads;
        /// Key and value heads, each shared by `N_HEAD / N_KV_HEAD` query heads.
        pub const N_KV_HEAD: usize = #n_kv_head;
        /// Width of one head.
        pub const HEAD_DIM: usize = #head_dim;
        /// The longest token sequence the model reads.
        pub const BLOCK_SIZE: usize = #block;
        /// Hidden units of the MLP.
        pub const MLP_HIDDEN: usize = #hidden;

        #format

        #positions

        /// Width of one head's query and key (`HEAD_DIM` unless the spec sets
        /// `qk_dim`: then each head's query and key end in zeros).
        pub const QK_DIM: usize = #qk_dim;

        /// `1 / sqrt(qk_dim)`, the attention's score scale.
        pub const ATTENTION_SCALE: f32 = #scale;

        #derived

        /// What one forward pass computed at the last position.
        pub type Step = ::adder::Step<#embd, #heads, #block, #hidden, #vocab #float>;
        /// What the 11 forward passes of one addition computed.
        pub type Trace = ::adder::Trace<#embd, #heads, #block, #hidden, #vocab #float>;

        /// The architecture, in a line.
        pub const ARCHITECTURE: &str = #architecture;

        #stages

        /// What `adder::proof::prove` says of this model: a proof over all
        /// 10^20 operand pairs, a wrong sum, or the premise that fails.
        ///
        /// # Errors
        ///
        /// The refutation, as [`::adder::proof::prove`] gives it.
        pub fn prove() -> ::core::result::Result<::adder::proof::Proof, ::adder::proof::Refutation> {
            #prove
        }

        #forward

        #kernel

        #sparse

        #routed

        #api
    }
}

/// `FORMAT` and `PROMPT_LEN`: how the model is asked for a sum.
fn format(model: &Model) -> TokenStream {
    let pieces = model.format.prompt.iter().map(|piece| match piece {
        Piece::Token { name, token } => {
            let token = Literal::u8_unsuffixed(*token as u8);
            quote!(::adder::tokens::Piece::Token { name: #name, token: #token })
        }
        Piece::A { msb_first } => quote!(::adder::tokens::Piece::A { msb_first: #msb_first }),
        Piece::B { msb_first } => quote!(::adder::tokens::Piece::B { msb_first: #msb_first }),
    });
    let msb = model.format.answer_msb_first;
    let doc = format!(
        " The prompt the model was trained on; the sum's 11 digits follow it, {} significant first.",
        if msb { "most" } else { "least" }
    );
    quote! {
        #[doc = #doc]
        pub const FORMAT: ::adder::tokens::Format = ::adder::tokens::Format {
            prompt: &[#(#pieces),*],
            answer_msb_first: #msb,
        };
        /// Tokens of the prompt.
        pub const PROMPT_LEN: usize = FORMAT.prompt_len();
    }
}

/// The module emitted when the spec has errors: the same public items with
/// `unreachable!()` bodies, so the user sees the spec's errors, no cascade.
fn fallback() -> TokenStream {
    quote! {
        pub const PARAM_COUNT: usize = 0;
        pub const MAX_OPERAND: u64 = ::adder::tokens::MAX_OPERAND;
        pub const fn logits(tokens: &[u8]) -> [f32; 10] { let _ = tokens; unreachable!() }
        pub const fn digits(a: u64, b: u64) -> [u8; 11] { let _ = (a, b); unreachable!() }
        pub const fn checked_add(a: u64, b: u64) -> ::core::option::Option<u64> { let _ = (a, b); unreachable!() }
        pub const fn add(a: u64, b: u64) -> u64 { let _ = (a, b); unreachable!() }
    }
}

/// A parameter's static: its path's name, its shape as nested arrays.
fn parameter(model: &Model, id: TensorId, role: &str) -> TokenStream {
    let tensor = &model.tensors[id];
    let name = name(model, id);
    let doc = if tensor.shape.is_empty() {
        format!(
            " `{}`: a param, which `derived` tensors are computed from (in `{}`, at expansion time).",
            tensor.path,
            model.config.dtype.name()
        )
    } else if tensor.counted {
        format!(" `{}`, shape {:?}: {role}.", tensor.path, tensor.shape)
    } else {
        format!(
            " `{}`, shape {:?}: {role}; derived from params or fixed by the construction, not counted.",
            tensor.path, tensor.shape
        )
    };
    let mut ty = quote!(f32);
    for d in tensor.shape.iter().rev() {
        ty = quote!([#ty; #d]);
    }
    let value = nested(model, &tensor.values, &tensor.shape);
    quote! {
        #[doc = #doc]
        #[rustfmt::skip]
        pub static #name: #ty = #value;
    }
}

fn nested(model: &Model, values: &[f64], shape: &[usize]) -> TokenStream {
    match shape.split_first() {
        None => lit(model, values[0]),
        Some((_, inner)) => {
            let stride: usize = inner.iter().product();
            let items = values
                .chunks(stride.max(1))
                .map(|chunk| nested(model, chunk, inner));
            quote!([#(#items),*])
        }
    }
}

/// The positional table: the sinusoid added to the residual stream, or the
/// rotations of queries and keys. (A learned table is a parameter static.)
fn positions(model: &Model) -> TokenStream {
    let block = model.config.block_size;
    match &model.positions {
        Positions::Learned(_) | Positions::None => TokenStream::new(),
        Positions::Sinusoid {
            sin_dim,
            cos_dim,
            period,
            amplitude,
        } => {
            let rows = table::sinusoid(*period, amplitude, block, model.config.dtype)
                .into_iter()
                .map(|[sin, cos]| {
                    let (sin, cos) = (lit(model, sin), lit(model, cos));
                    quote!([#sin, #cos])
                });
            let doc = format!(
                " The positional table, not a parameter: row `p` holds `a(p) sin(2 pi p / {period})` for dim {sin_dim} \
                 and `a(p) cos(..)` for dim {cos_dim}, with the amplitude `a` of the schedule {amplitude:?} (from \
                 position: amplitude). Computed in `f64` at expansion time, rounded once to `{}`.",
                model.config.dtype.name()
            );
            quote! {
                #[doc = #doc]
                #[rustfmt::skip]
                pub static POSITIONS: [[f32; 2]; #block] = [#(#rows),*];
            }
        }
        Positions::Rope(rope) => {
            let pairs = rope.frequencies.len();
            let rows = table::rope(rope, block, model.config.dtype)
                .into_iter()
                .map(|row| {
                    let row = row.into_iter().map(|[cos, sin]| {
                        let (cos, sin) = (lit(model, cos), lit(model, sin));
                        quote!([#cos, #sin])
                    });
                    quote!([#(#row),*])
                });
            let doc = format!(
                " The rotary table, not a parameter: `ROPE[p][i]` is `[cos, sin]` of `p` times the \
                 frequency of pair `i`, {:?} ({:?} pairs). Computed in `f64` at expansion time, \
                 rounded once to `{}`.",
                rope.frequencies,
                rope.style,
                model.config.dtype.name()
            );
            quote! {
                #[doc = #doc]
                #[rustfmt::skip]
                pub static ROPE: [[[f32; 2]; #pairs]; #block] = [#(#rows),*];
            }
        }
    }
}

/// Matrices derived at compile time from parameters (a rotation's entries
/// from its angles and scale): `const`s computed from the statics.
fn derived(model: &Model) -> TokenStream {
    let mut out = TokenStream::new();
    let linears: Vec<&Linear> = model
        .layers
        .iter()
        .flat_map(|layer| match &layer.attention.qkv {
            Qkv::Separate { q, k, v } => vec![q, k, v],
            Qkv::Fused(qkv) => vec![qkv],
        })
        .collect();
    for linear in linears {
        let linear = match linear {
            Linear::Headed { inner, .. } => inner,
            other => other,
        };
        if let Linear::Rotation { angles, scale, .. } = linear {
            let matrix = rotation_ident(model, *scale);
            let scale = name(model, *scale);
            let rows = angles.iter().map(|angle| {
                let angle = name(model, *angle);
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
                pub const #matrix: [[f32; 2]; #count] = [#(#rows)*];
            });
        }
    }
    out
}
