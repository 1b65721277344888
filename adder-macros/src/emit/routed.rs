//! `ROUTED_ATTENTION`: for a one-layer model whose keys and queries read
//! the tokens (norms, rotations) yet whose heads look where the position
//! alone says, up to `f32` (the weights off the peak underflow to exactly
//! 0), the compile-time table of where each head looks, decided by the
//! model's own code for every token at every position; and `routed_logits`,
//! the pass that reads those positions' values alone. Hosted targets only:
//! on bare metal, where flash counts, the steps run the full attention.

use proc_macro2::TokenStream;
use quote::quote;

use super::idents::stage;
use crate::lower::ir::{Model, OUTPUT_DIGITS};

/// Whether a model gets the routed table: `f32`, one layer, and not the
/// seed's family (whose `SPARSE_ATTENTION` decides the same by bits).
pub fn applies(model: &Model) -> bool {
    model.is_f32() && model.layers.len() == 1 && !model.is_position_addressed()
}

/// The table, its decision and the pass that reads it; for the other
/// models, the table that never applies.
pub fn routed(model: &Model) -> TokenStream {
    let lengths = model.config.block_size + 1;
    if !applies(model) {
        return quote! {
            /// Where each head looks when the position alone decides it
            /// though the keys read the tokens: not decided for this model
            /// (see `SPARSE_ATTENTION`, or more than one layer).
            pub const ROUTED_ATTENTION: ::adder::sparse::Routed<N_HEAD, #lengths> =
                ::adder::sparse::Routed::NONE;
        };
    }
    let decision = decision(model);
    let pass = pass(model);
    quote! {
        #decision
        #pass
    }
}

/// `ROUTED_ATTENTION` and the `const fn` that decides it.
fn decision(model: &Model) -> TokenStream {
    let config = &model.config;
    let (hd, kv_width) = (config.head_dim, config.n_kv_head * config.head_dim);
    let group = config.n_head / config.n_kv_head;
    let lengths = config.block_size + 1;
    let (key_value, query_at) = (stage(model, "key_value", 0), stage(model, "query_at", 0));
    let decide = (0..config.n_head).map(|head| {
        let kv_head = head / group;
        // The score as `attend` sums it: left to right, then scaled.
        let terms = (0..hd).map(|d| {
            let (q, k) = (head * hd + d, kv_head * hd + d);
            quote!(query[#q] * key[#k])
        });
        quote! {{
            let mut lo = [0.0f32; BLOCK_SIZE];
            let mut hi = [0.0f32; BLOCK_SIZE];
            let mut best = 0;
            let mut position = 0;
            while position < len {
                let mut token = 0;
                while token < VOCAB {
                    let key = &keys[position][token];
                    let score = (#(#terms)+*) * ATTENTION_SCALE;
                    if token == 0 || score < lo[position] {
                        lo[position] = score;
                    }
                    if token == 0 || score > hi[position] {
                        hi[position] = score;
                    }
                    token += 1;
                }
                if lo[position] > lo[best] {
                    best = position;
                }
                position += 1;
            }
            position = 0;
            while position < len {
                // `fl(s - max)` is at most `fl(hi - lo[best])`: rounding
                // keeps the order.
                if position != best && !(hi[position] - lo[best] <= ::adder::sparse::UNDERFLOW) {
                    decided = false;
                }
                position += 1;
            }
            if route[#head] == u16::MAX {
                route[#head] = best as u16;
            } else if route[#head] != best as u16 {
                decided = false;
            }
        }}
    });
    quote! {
        /// Where each head looks at each sequence length of an addition's
        /// steps, when the position alone decides it: computed at compile
        /// time by this model's own key, query and score code, over every
        /// token at every position and every query token (see
        /// `adder::sparse::Routed`). Where it applies, [`logits`] reads
        /// the routed positions' values alone (hosted targets), with the
        /// bits of [`step`]: weight 1 there and exactly 0 elsewhere.
        pub const ROUTED_ATTENTION: ::adder::sparse::Routed<N_HEAD, #lengths> = routed_attention();

        /// Computes [`ROUTED_ATTENTION`].
        // The decision reads every key of every token at every position.
        #[allow(clippy::large_stack_arrays)]
        const fn routed_attention() -> ::adder::sparse::Routed<N_HEAD, #lengths> {
            let mut table = ::adder::sparse::Routed::NONE;
            if ::adder::math::expf(0.0) != 1.0 {
                return table;
            }
            let mut keys = [[[0.0f32; #kv_width]; VOCAB]; BLOCK_SIZE];
            let mut position = 0;
            while position < BLOCK_SIZE {
                let mut token = 0;
                while token < VOCAB {
                    let (key, value) = #key_value(token, position);
                    // A weight of 0 on a value that is not finite is not 0.
                    if !::adder::sparse::all_finite(&key) || !::adder::sparse::all_finite(&value) {
                        return table;
                    }
                    keys[position][token] = key;
                    token += 1;
                }
                position += 1;
            }
            table.every_step = true;
            let mut len = PROMPT_LEN;
            while len < PROMPT_LEN + #OUTPUT_DIGITS {
                let mut decided = true;
                let mut route = [u16::MAX; N_HEAD];
                let mut token = 0;
                while token < VOCAB && decided {
                    let query = #query_at(&embed(token, len - 1), len - 1);
                    if !::adder::sparse::all_finite(&query) {
                        decided = false;
                    }
                    #(#decide)*
                    token += 1;
                }
                table.applies[len] = decided;
                table.position[len] = route;
                table.every_step &= decided;
                len += 1;
            }
            table
        }
    }
}

/// `ROUTED_VALUES` and `routed_logits`, the pass that reads them.
fn pass(model: &Model) -> TokenStream {
    let config = &model.config;
    let (hd, vocab) = (config.head_dim, config.vocab);
    let (q_width, kv_width) = (config.n_head * hd, config.n_kv_head * hd);
    let group = config.n_head / config.n_kv_head;
    let (value_at, block_fn) = (stage(model, "value_at", 0), stage(model, "block", 0));
    let mixing = (0..config.n_head).map(|head| {
        let kv_head = head / group;
        let mix = (0..hd).map(|d| {
            let (m, v) = (head * hd + d, kv_head * hd + d);
            quote!(mixed[#m] += value[#v];)
        });
        quote! {
            let position = ROUTED_ATTENTION.position[len][#head] as usize;
            let value = &ROUTED_VALUES[position][tokens[position] as usize];
            #(#mix)*
        }
    });
    quote! {
        /// `value(&embed(token, position))` of every token at every
        /// position, computed at compile time: the routed pass reads the
        /// values its heads take here.
        #[cfg(not(target_os = "none"))]
        pub static ROUTED_VALUES: [[[f32; #kv_width]; #vocab]; BLOCK_SIZE] = routed_values();

        /// Computes [`ROUTED_VALUES`].
        #[cfg(not(target_os = "none"))]
        const fn routed_values() -> [[[f32; #kv_width]; #vocab]; BLOCK_SIZE] {
            let mut table = [[[0.0f32; #kv_width]; #vocab]; BLOCK_SIZE];
            let mut position = 0;
            while position < BLOCK_SIZE {
                let mut token = 0;
                while token < #vocab {
                    table[position][token] = #value_at(&embed(token, position));
                    token += 1;
                }
                position += 1;
            }
            table
        }

        /// The logits after the first `len` of `tokens` where
        /// [`ROUTED_ATTENTION`] applies at `len`: each head's output is its
        /// routed position's value (`0.0 + value`, as the full softmax's
        /// weighted sum gives it), the rest of the step as [`step_at`].
        /// The tokens must be below [`VOCAB`] (checked by the callers).
        #[cfg(not(target_os = "none"))]
        #[inline(always)]
        const fn routed_logits(tokens: &[u8], len: usize) -> [f32; #vocab] {
            let residual = embed(tokens[len - 1] as usize, len - 1);
            let mut mixed = [0.0f32; #q_width];
            #(#mixing)*
            lm_head(&#block_fn(&residual, &mixed).2)
        }
    }
}

/// The statement in `lane_digits` that runs every lane's 11 steps in
/// lockstep by the routed pass, where it applies at every step (hosted
/// targets).
pub fn lockstep(model: &Model) -> TokenStream {
    let block = model.config.block_size;
    let lanes = quote!(::adder::LANES);
    quote! {
        #[cfg(not(target_os = "none"))]
        if ROUTED_ATTENTION.every_step {
            let mut tokens = [[0u8; #block]; #lanes];
            let mut lane = 0;
            while lane < #lanes {
                tokens[lane] = FORMAT.sequence(a[lane], b[lane]);
                lane += 1;
            }
            let mut k = 0;
            while k < #OUTPUT_DIGITS {
                let len = PROMPT_LEN + k;
                let written = ::adder::lanes::argmax(&lane_routed_logits(&tokens, len));
                let mut lane = 0;
                while lane < #lanes {
                    digits[lane][k] = written[lane];
                    tokens[lane][len] = written[lane];
                    lane += 1;
                }
                k += 1;
            }
            return digits;
        }
    }
}

/// `lane_routed_logits`, the routed pass in lanes, for the models whose
/// lanes twin runs their steps (`lane_attention`).
pub fn lane_pass(model: &Model) -> TokenStream {
    let config = &model.config;
    let (hd, vocab) = (config.head_dim, config.vocab);
    let q_width = config.n_head * hd;
    let group = config.n_head / config.n_kv_head;
    let lane_mixing = (0..config.n_head).map(|head| {
        let kv_head = head / group;
        let mix = (0..hd).map(|d| {
            let (m, v) = (head * hd + d, kv_head * hd + d);
            quote!(mixed[#m] = ::adder::lanes::add(mixed[#m], value[#v]);)
        });
        quote! {
            let position = ROUTED_ATTENTION.position[len][#head] as usize;
            let value = ::adder::lanes::gather(&ROUTED_VALUES[position], tokens, position);
            #(#mix)*
        }
    });
    let block = config.block_size;
    quote! {
        /// [`routed_logits`] of [`adder::LANES`] sequences side by side,
        /// each lane's bits (the same operations in the same order, the
        /// stages after the attention by their lanes twin). The tokens
        /// must be below [`VOCAB`] (checked by the callers).
        #[cfg(not(target_os = "none"))]
        #[inline(always)]
        const fn lane_routed_logits(
            tokens: &[[u8; #block]; ::adder::LANES],
            len: usize,
        ) -> [::adder::lanes::Lanes; #vocab] {
            let residual = lane_embed(tokens, len - 1);
            let mut mixed = [[0.0f32; ::adder::LANES]; #q_width];
            #(#lane_mixing)*
            lanes::lm_head(&lanes::block(&residual, &mixed).2)
        }
    }
}
