//! The twins of a one-layer model's stages after the attention: the same
//! tokens with `f32` read as `adder::interval::I` (intervals) and as
//! `adder::affine::A` (affine forms), so that `adder::bounds` can enclose
//! every `f32` the real code computes there for a set of attention
//! outputs. The twins are made from the emitted code itself, not written
//! again: each operation and its order are the code's.

use proc_macro2::{Group, Ident, Literal, TokenStream, TokenTree};
use quote::{format_ident, quote};

use super::idents::stage;

use crate::lower::ir::{Activation, Model};

/// `pub mod interval { .. }` and `pub mod affine { .. }`: the twins of
/// `stages`, each with `logits`, from the residual stream and the heads'
/// outputs to the logits, and in deeper models `rest_l`, layer `l`'s
/// residual stream after its MLP.
pub fn twin_module(model: &Model, stages: TokenStream) -> TokenStream {
    let c = &model.config;
    let (embd, q_width, vocab) = (c.n_embd, c.n_head * c.head_dim, c.vocab);
    let last = model.layers.len() - 1;
    let block = stage(model, "block", last);
    let mlp_block = stage(model, "mlp_block", last);
    let rests = |ty: &str| {
        let ty = Ident::new(ty, proc_macro2::Span::call_site());
        let rests = (0..last).map(|l| {
            let (rest, block) = (format_ident!("rest_{l}"), stage(model, "block", l));
            let doc = format!(
                " Layer {l}'s residual stream after its MLP, from its input and its heads' outputs."
            );
            quote! {
                #[doc = #doc]
                pub fn #rest(residual: &[#ty; #embd], mixed: &[#ty; #q_width]) -> [#ty; #embd] {
                    #block(residual, mixed).2
                }
            }
        });
        quote!(#(#rests)*)
    };
    let (interval_rests, affine_rests) = (rests("I"), rests("A"));
    let affine = twin(stages.clone(), "A", "affine");
    let twin = twin(stages, "I", "interval");
    quote! {
        /// The stages after the attention (in a deeper model, every stage
        /// but the attention) over intervals ([`::adder::interval::I`]),
        /// token for token the `f32` code above: what `adder::bounds`
        /// encloses the logits with.
        #[allow(clippy::all, clippy::pedantic, clippy::nursery, unused_parens)]
        pub mod interval {
            #[allow(unused_imports)]
            use super::*;
            use ::adder::interval::I;

            #twin

            #interval_rests

            /// The logits, from the residual stream at the last position
            /// and the heads' outputs there.
            pub fn logits(residual: &[I; #embd], mixed: &[I; #q_width]) -> [I; #vocab] {
                let (_, _, after_mlp) = #block(residual, mixed);
                lm_head(&after_mlp)
            }

            /// The logits, from the residual stream after the attention.
            pub fn from_attention(after_attention: &[I; #embd]) -> [I; #vocab] {
                lm_head(&#mlp_block(*after_attention).2)
            }
        }

        /// The same stages over affine forms ([`::adder::affine::A`]), token
        /// for token the `f32` code above: what `adder::bounds` bounds the
        /// logits' differences with.
        #[allow(clippy::all, clippy::pedantic, clippy::nursery, unused_parens)]
        pub mod affine {
            #[allow(unused_imports)]
            use super::*;
            use ::adder::affine::A;

            #affine

            #affine_rests

            /// The logits, from the residual stream at the last position
            /// and the heads' outputs there.
            pub fn logits(residual: &[A; #embd], mixed: &[A; #q_width]) -> [A; #vocab] {
                let (_, _, after_mlp) = #block(residual, mixed);
                lm_head(&after_mlp)
            }

            /// The residual stream after the attention, from the residual
            /// stream at the last position and the heads' outputs there.
            pub fn attention_out(residual: &[A; #embd], mixed: &[A; #q_width]) -> [A; #embd] {
                #block(residual, mixed).0
            }

            /// The logits, from the residual stream after the attention.
            pub fn from_attention(after_attention: &[A; #embd]) -> [A; #vocab] {
                lm_head(&#mlp_block(*after_attention).2)
            }
        }
    }
}

/// The rewrite: `const fn` becomes `pub fn` (operators on intervals are
/// not `const`), `f32` becomes `ty` (`I`), a float literal `ty::point(..)`,
/// and `adder::math` `adder::<math>` (`interval`), whose functions enclose
/// the math's.
fn twin(tokens: TokenStream, ty: &str, math: &str) -> TokenStream {
    let ty = Ident::new(ty, proc_macro2::Span::call_site());
    let mut out: Vec<TokenTree> = Vec::new();
    let mut trees = tokens.into_iter().peekable();
    while let Some(tree) = trees.next() {
        match tree {
            TokenTree::Ident(ident) if ident == "const" => {
                let before_fn =
                    matches!(trees.peek(), Some(TokenTree::Ident(next)) if next == "fn");
                let after_pub = matches!(out.last(), Some(TokenTree::Ident(last)) if last == "pub");
                if before_fn && !after_pub {
                    out.push(TokenTree::Ident(Ident::new("pub", ident.span())));
                } else if !before_fn {
                    out.push(TokenTree::Ident(ident));
                }
            }
            TokenTree::Ident(ident) if ident == "f32" => {
                out.push(TokenTree::Ident(Ident::new(&ty.to_string(), ident.span())));
            }
            TokenTree::Ident(ident) if ident == "math" => {
                out.push(TokenTree::Ident(Ident::new(math, ident.span())));
            }
            TokenTree::Literal(literal) if is_float(&literal) => {
                out.extend(quote!(#ty::point(#literal)));
            }
            TokenTree::Group(group) => {
                let mut rebuilt = Group::new(
                    group.delimiter(),
                    twin(group.stream(), &ty.to_string(), math),
                );
                rebuilt.set_span(group.span());
                out.push(TokenTree::Group(rebuilt));
            }
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}

/// A float literal (`1.0`, `1e-6`), not an integer (`4usize`).
fn is_float(literal: &Literal) -> bool {
    matches!(syn::Lit::new(literal.clone()), syn::Lit::Float(_))
}

/// `pub const KERNEL` and `pub fn bounds`: what `adder::bounds::verify`
/// reads of the model, and the call.
pub fn kernel(model: &Model) -> TokenStream {
    let c = &model.config;
    let (embd, q_width, kv_width, vocab) = (
        c.n_embd,
        c.n_head * c.head_dim,
        c.n_kv_head * c.head_dim,
        c.vocab,
    );
    let s = |base: &str, l: usize| stage(model, base, l);
    let (query_at, key_at, value_at) = (s("query_at", 0), s("key_at", 0), s("value_at", 0));
    let deep = (1..model.layers.len()).map(|l| {
        let below = format_ident!("rest_{}", l - 1);
        let (query_at, key_at, value_at) = (s("query_at", l), s("key_at", l), s("value_at", l));
        quote! {
            ::adder::bounds::Deep {
                below: interval::#below,
                below_forms: affine::#below,
                query_at: interval::#query_at,
                key_at: interval::#key_at,
                value_at: interval::#value_at,
                query_forms: affine::#query_at,
                key_forms: affine::#key_at,
                value_forms: affine::#value_at,
            }
        }
    });
    quote! {
        /// What `adder::bounds::verify` reads of this model: its real
        /// stages up to the attention, the interval twin after it.
        pub const KERNEL: ::adder::bounds::Kernel<#embd, #q_width, #kv_width, #vocab> =
            ::adder::bounds::Kernel {
                format: &FORMAT,
                n_head: N_HEAD,
                n_kv_head: N_KV_HEAD,
                head_dim: HEAD_DIM,
                scale: ATTENTION_SCALE,
                embed,
                query_at: #query_at,
                key_at: #key_at,
                value_at: #value_at,
                deep: &[#(#deep),*],
                logits: interval::logits,
                affine: affine::logits,
                attention_forms: affine::attention_out,
                stream_forms: affine::from_attention,
                stream_bounds: interval::from_attention,
                step_logits: logits,
                checked_add,
            };

        /// What `adder::bounds` says of this model over all 10^20 pairs.
        pub fn bounds() -> ::adder::bounds::Outcome {
            ::adder::bounds::verify(&KERNEL)
        }

        /// The verifier's bounds of the logits after `tokens`, the
        /// positions `free` holding any digit
        /// (`adder::bounds::logits_of`).
        pub fn bounds_of(
            tokens: &[u8],
            free: &[usize],
        ) -> ::core::option::Option<[::adder::interval::I; #vocab]> {
            ::core::option::Option::Some(::adder::bounds::logits_of(&KERNEL, tokens, free))
        }

        /// The verifier's bound of the logit of `want` minus the best
        /// other after `tokens`, the positions `free` holding any digit,
        /// as its search computes it (`adder::bounds::margin_of`).
        pub fn margin_of(
            tokens: &[u8],
            free: &[usize],
            want: u8,
        ) -> ::core::option::Option<::adder::interval::I> {
            ::core::option::Option::Some(::adder::bounds::margin_of(&KERNEL, tokens, free, want))
        }
    }
}

/// Whether an `f64` model's stages after the attention have an interval
/// twin: one layer, no norms, `ReLU` (what [`::adder::interval64`] encloses).
pub fn has_f64_twin(model: &Model) -> bool {
    !model.is_f32()
        && model.layers.len() == 1
        && model.final_norm.is_none()
        && model
            .layers
            .iter()
            .all(|layer| layer.mlp.norm.is_none() && layer.mlp.activation == Activation::Relu)
}

/// An `f64` model's `pub mod interval`: its stages after the attention over
/// [`::adder::interval64::I64`], with `logits` as the `f32` twin's. Written
/// in `f32` like every stage (`I64::point(1.0f32)`), and made `f64` with
/// them.
pub fn f64_twin_module(model: &Model, stages: TokenStream) -> TokenStream {
    let c = &model.config;
    let (embd, q_width, vocab) = (c.n_embd, c.n_head * c.head_dim, c.vocab);
    let block = stage(model, "block", 0);
    let forms = twin(stages.clone(), "A64", "affine64");
    let twin = twin(stages, "I64", "interval64");
    quote! {
        /// The same stages over `f64` affine forms
        /// ([`::adder::affine64::A64`]): what `adder::fixed` bounds the
        /// logits' differences with.
        #[allow(clippy::all, clippy::pedantic, clippy::nursery, unused_parens, dead_code)]
        pub mod affine {
            #[allow(unused_imports)]
            use super::*;
            use ::adder::affine64::A64;

            #forms

            /// The logits, from the residual stream at the last position
            /// and the heads' outputs there.
            pub fn logits(residual: &[A64; #embd], mixed: &[A64; #q_width]) -> [A64; #vocab] {
                let (_, _, after_mlp) = #block(residual, mixed);
                lm_head(&after_mlp)
            }
        }

        /// The stages after the attention over `f64` intervals
        /// ([`::adder::interval64::I64`]), token for token the code above:
        /// what `adder::fixed` encloses the logits with.
        #[allow(clippy::all, clippy::pedantic, clippy::nursery, unused_parens, dead_code)]
        pub mod interval {
            #[allow(unused_imports)]
            use super::*;
            use ::adder::interval64::I64;

            #twin

            /// The logits, from the residual stream at the last position
            /// and the heads' outputs there.
            pub fn logits(residual: &[I64; #embd], mixed: &[I64; #q_width]) -> [I64; #vocab] {
                let (_, _, after_mlp) = #block(residual, mixed);
                lm_head(&after_mlp)
            }
        }
    }
}

/// An `f64` model's `pub const FIXED` and `pub fn bounds`: what
/// `adder::fixed::verify` reads of it, and the call; or, without a twin, a
/// `bounds` that says why not.
pub fn fixed_kernel(model: &Model) -> TokenStream {
    if !has_f64_twin(model) {
        return quote! {
            /// What the verifier says of this model: it does not take it.
            pub fn bounds() -> ::adder::bounds::Outcome {
                ::adder::bounds::Outcome::Unsupported(
                    "an f64 model of more than one layer, or with a norm or an activation \
                     other than ReLU: the f64 verifier has no twin for it",
                )
            }
        };
    }
    let c = &model.config;
    let (embd, heads, block, vocab) = (c.n_embd, c.n_head, c.block_size, c.vocab);
    let (q_width, kv_width) = (c.n_head * c.head_dim, c.n_kv_head * c.head_dim);
    let (key_value, query_at) = (stage(model, "key_value", 0), stage(model, "query_at", 0));
    quote! {
        /// What `adder::fixed::verify` reads of this model: its real
        /// stages up to the attention, the interval twin after it.
        pub const FIXED: ::adder::fixed::Fixed<#embd, #heads, #block, #q_width, #kv_width, #vocab> =
            ::adder::fixed::Fixed {
                format: &FORMAT,
                n_kv_head: N_KV_HEAD,
                head_dim: HEAD_DIM,
                embed,
                key_value: #key_value,
                query_at: #query_at,
                attention: |tokens| step(tokens).attention,
                step_logits: |tokens| step(tokens).logits,
                logits: interval::logits,
                forms: affine::logits,
                checked_add,
            };

        /// What `adder::fixed` says of this model over all 10^20 pairs.
        pub fn bounds() -> ::adder::bounds::Outcome {
            ::adder::fixed::verify(&FIXED)
        }
    }
}
