//! `step`: the forward pass over a token sequence, which runs the stages
//! of `forward.rs` position by position, layer by layer, and reads the
//! logits at the last position; for one layer, `step_at` too, which the
//! sums run across the steps of an addition; for more, `cached_digits`,
//! the sums' steps with every layer's keys and values kept across them.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::idents::{answer_slot, stage};
use crate::lower::ir::Model;

/// `step`: layers before the last run at every position, the last at the
/// last position only; for one layer, `step_at` too, the pass at the last
/// position from the keys and values of all.
pub fn step(model: &Model) -> TokenStream {
    let c = &model.config;
    let (block, vocab) = (c.block_size, c.vocab);
    let kv_width = c.n_kv_head * c.head_dim;
    let last = model.layers.len() - 1;
    let s = |base: &str, l: usize| stage(model, base, l);
    let (query_at, attend, block_fn) = (s("query_at", last), s("attend", last), s("block", last));
    let doc =
        format!(" The forward pass over `tokens` (1 to {block} of them, each below {vocab}):");
    let (body, step_at) = if last == 0 {
        let body = quote! {
            let mut keys = [[0.0f32; #kv_width]; BLOCK_SIZE];
            let mut values = [[0.0f32; #kv_width]; BLOCK_SIZE];
            keys_values(tokens, &mut keys, &mut values);
            step_at(tokens[len - 1], &keys, &values, len)
        };
        let step_at = quote! {
            /// [`step`] at the last of `len` positions, from its token and
            /// the keys and values of the positions (its own included):
            /// each position's key and value depend on its token and place
            /// alone, so [`digits`] computes each once for all 11 steps.
            ///
            /// # Panics
            ///
            /// If `len` is 0 or above [`BLOCK_SIZE`], or `token` is not
            /// below [`VOCAB`].
            #[must_use]
            pub const fn step_at(
                token: u8,
                keys: &[[f32; #kv_width]; BLOCK_SIZE],
                values: &[[f32; #kv_width]; BLOCK_SIZE],
                len: usize,
            ) -> Step {
                let residual = embed(token as usize, len - 1);
                let (attention, mixed) = #attend(&#query_at(&residual, len - 1), keys, values, len);
                let (after_attention, hidden, after_mlp) = #block_fn(&residual, &mixed);
                let logits = lm_head(&after_mlp);
                Step { attention, residual, after_attention, hidden, after_mlp, logits }
            }
        };
        (body, step_at)
    } else {
        let earlier = (0..last).map(|l| {
            let (query_at, attend, block_fn) = (s("query_at", l), s("attend", l), s("block", l));
            let keys_values = s("keys_values", l);
            let read = if l == 0 {
                quote!(#keys_values(tokens, &mut keys, &mut values))
            } else {
                quote!(#keys_values(&xs, len, &mut keys, &mut values))
            };
            quote! {
                #read;
                let mut next = [[0.0f32; N_EMBD]; BLOCK_SIZE];
                let mut position = 0;
                while position < len {
                    let (_, mixed) = #attend(&#query_at(&xs[position], position), &keys, &values, position + 1);
                    next[position] = #block_fn(&xs[position], &mixed).2;
                    position += 1;
                }
                xs = next;
            }
        });
        let keys_values = s("keys_values", last);
        let body = quote! {
            let mut keys = [[0.0f32; #kv_width]; BLOCK_SIZE];
            let mut values = [[0.0f32; #kv_width]; BLOCK_SIZE];
            let mut xs = [[0.0f32; N_EMBD]; BLOCK_SIZE];
            let mut position = 0;
            while position < len {
                let token = tokens[position] as usize;
                assert!(token < VOCAB, "adder: token out of vocabulary");
                xs[position] = embed(token, position);
                position += 1;
            }
            #(#earlier)*
            let residual = xs[len - 1];
            #keys_values(&xs, len, &mut keys, &mut values);
            let (attention, mixed) = #attend(&#query_at(&residual, len - 1), &keys, &values, len);
            let (after_attention, hidden, after_mlp) = #block_fn(&residual, &mixed);
            let logits = lm_head(&after_mlp);
            Step { attention, residual, after_attention, hidden, after_mlp, logits }
        };
        (body, TokenStream::new())
    };
    quote! {
        #[doc = #doc]
        /// the attention, residual stream, MLP and logits at the last position
        /// (of the last layer).
        ///
        /// # Panics
        ///
        /// If `tokens` is empty, longer than [`BLOCK_SIZE`], or holds a token
        /// that is not below [`VOCAB`].
        #[must_use]
        pub const fn step(tokens: &[u8]) -> Step {
            let len = tokens.len();
            assert!(len >= 1 && len <= BLOCK_SIZE, "adder: a step reads 1 to BLOCK_SIZE tokens");
            #body
        }

        #step_at
    }
}

/// `unrolled_digits` of a model of more than one layer, on hosted targets:
/// each position runs once through every layer, its keys and values kept
/// for the positions after it (in a causal stack a position's layer-`l`
/// key depends on the positions up to it alone), where [`step`] runs every
/// position through every layer again at each step. The same stage
/// functions, on the same inputs, as [`step`]: the same bits.
pub fn cached_digits(model: &Model) -> TokenStream {
    let slot = answer_slot(model, &quote!(k));
    let c = &model.config;
    let (block, output_digits) = (c.block_size, crate::lower::ir::OUTPUT_DIGITS);
    let kv_width = c.n_kv_head * c.head_dim;
    let last = model.layers.len() - 1;
    let s = |base: &str, l: usize| stage(model, base, l);
    let cache = |l: usize| (format_ident!("keys_{l}"), format_ident!("values_{l}"));
    let caches = (0..=last).map(|l| {
        let (keys, values) = cache(l);
        quote! {
            let mut #keys = [[0.0f32; #kv_width]; BLOCK_SIZE];
            let mut #values = [[0.0f32; #kv_width]; BLOCK_SIZE];
        }
    });
    let earlier = (0..last).map(|l| {
        let (keys, values) = cache(l);
        let (key_at, value_at) = (s("key_at", l), s("value_at", l));
        let (query_at, attend, block_fn) = (s("query_at", l), s("attend", l), s("block", l));
        quote! {
            #keys[position] = #key_at(&x, position);
            #values[position] = #value_at(&x);
            let (_, mixed) = #attend(&#query_at(&x, position), &#keys, &#values, position + 1);
            let x = #block_fn(&x, &mixed).2;
        }
    });
    let (keys, values) = cache(last);
    let (key_at, value_at) = (s("key_at", last), s("value_at", last));
    let (query_at, attend, block_fn) = (s("query_at", last), s("attend", last), s("block", last));
    quote! {
        /// [`digits`] with every layer's keys and values computed once per
        /// position for all 11 steps, on hosted targets: the same stage
        /// functions on the same inputs as [`step`], so the same bits.
        #[cfg(not(target_os = "none"))]
        const fn unrolled_digits(
            tokens: &mut [u8; #block],
            digits: &mut [u8; #output_digits],
        ) -> bool {
            #(#caches)*
            let mut position = 0;
            while position < BLOCK_SIZE {
                let token = tokens[position] as usize;
                assert!(token < VOCAB, "adder: token out of vocabulary");
                let x = embed(token, position);
                #(#earlier)*
                #keys[position] = #key_at(&x, position);
                #values[position] = #value_at(&x);
                if position + 1 >= PROMPT_LEN {
                    let (_, mixed) = #attend(&#query_at(&x, position), &#keys, &#values, position + 1);
                    let logits = lm_head(&#block_fn(&x, &mixed).2);
                    let k = position + 1 - PROMPT_LEN;
                    let digit = ::adder::tokens::argmax(&logits) as u8;
                    digits[#slot] = digit;
                    if k + 1 == #output_digits {
                        return true;
                    }
                    tokens[position + 1] = digit;
                }
                position += 1;
            }
            false
        }

        /// On bare metal the steps run in [`digits`]'s loop, which keeps
        /// nothing across steps.
        #[cfg(target_os = "none")]
        const fn unrolled_digits(_: &mut [u8; #block], _: &mut [u8; #output_digits]) -> bool {
            false
        }
    }
}
