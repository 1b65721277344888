//! The lanes of a model whose attention reads the tokens: [`adder::LANES`]
//! additions in lockstep through the whole step, each lane's keys and
//! values kept across the 11 steps, in every layer, as `digits` keeps them
//! (in a causal stack a position's layer-`l` key and value depend on the
//! positions up to it alone). The stages are the lanes twin of the model's
//! own (`lanes.rs`, the query, key and value at a position included); the
//! attention is written here in lanes, the same operations in the same
//! order as `attention.rs`'s, with `adder::lanes::expf_nonpositive`, which
//! has `expf`'s bits on the softmax's `score - max <= 0`. Hosted targets only (the code is there on bare metal, never
//! called): there the lanes' keys and values would take kilobytes of stack.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::idents::stage;
use crate::lower::ir::{Model, OUTPUT_DIGITS};

/// Whether a model's lanes run the attention in lanes: attention that reads
/// the tokens (the position-addressed models have their tables).
pub fn applies(model: &Model) -> bool {
    model.is_f32() && !model.is_position_addressed()
}

/// Each layer's key and value caches in lanes, and the scores
/// `lane_attend` writes, declared.
fn caches(model: &Model) -> TokenStream {
    let kv_width = model.config.n_kv_head * model.config.head_dim;
    let lanes = quote!(::adder::LANES);
    let caches = (0..model.layers.len()).map(|l| {
        let (keys, values) = cache(l);
        quote! {
            let mut #keys = [[[0.0f32; #lanes]; #kv_width]; BLOCK_SIZE];
            let mut #values = [[[0.0f32; #lanes]; #kv_width]; BLOCK_SIZE];
        }
    });
    // `lane_attend`'s scores, zeroed once here rather than at every call.
    quote! {
        #(#caches)*
        let mut scores = [[0.0f32; #lanes]; BLOCK_SIZE];
    }
}

fn cache(l: usize) -> (Ident, Ident) {
    (format_ident!("keys_{l}"), format_ident!("values_{l}"))
}

/// The lanes' residual streams `x` at `position` through every layer but
/// the last (keeping each layer's key and value there), then the last
/// layer's key and value: what the last layer's attention at any later
/// position reads. Leaves `x` the last layer's input.
fn layers_below(model: &Model, tokens: &TokenStream) -> TokenStream {
    let last = model.layers.len() - 1;
    let s = |base: &str, l: usize| stage(model, base, l);
    let earlier = (0..last).map(|l| {
        let (keys, values) = cache(l);
        let (key_at, value_at) = (s("key_at", l), s("value_at", l));
        let (query_at, block_fn) = (s("query_at", l), s("block", l));
        quote! {
            #keys[position] = lanes::#key_at(&x, position);
            #values[position] = lanes::#value_at(&x);
            let mixed = lane_attend(&lanes::#query_at(&x, position), &#keys, &#values, position + 1, &mut scores);
            let x = lanes::#block_fn(&x, &mixed).2;
        }
    });
    let (keys, values) = cache(last);
    let (key_at, value_at) = (s("key_at", last), s("value_at", last));
    if last == 0 {
        return quote! {
            #keys[position] = ::adder::lanes::gather(&KV_KEYS[position], #tokens, position);
            #values[position] = ::adder::lanes::gather(&KV_VALUES[position], #tokens, position);
        };
    }
    quote! {
        #(#earlier)*
        #keys[position] = lanes::#key_at(&x, position);
        #values[position] = lanes::#value_at(&x);
    }
}

/// The last layer's attention at `position` and the logits after it.
fn last_layer(model: &Model) -> TokenStream {
    let last = model.layers.len() - 1;
    let s = |base: &str| stage(model, base, last);
    let (keys, values) = cache(last);
    let (query_at, block_fn) = (s("query_at"), s("block"));
    quote! {{
        let mixed = lane_attend(&lanes::#query_at(&x, position), &#keys, &#values, position + 1, &mut scores);
        lanes::lm_head(&lanes::#block_fn(&x, &mixed).2)
    }}
}

/// The statement in `lane_digits` that runs every lane's 11 steps in
/// lockstep and returns their digits, where the heads do not route by
/// position alone (there `routed.rs`'s lockstep runs): each position
/// through every layer once, as `digits`.
pub fn lockstep(model: &Model) -> TokenStream {
    let block = model.config.block_size;
    let output_digits = OUTPUT_DIGITS;
    let lanes = quote!(::adder::LANES);
    let (caches, below, last) = (
        caches(model),
        layers_below(model, &quote!(&tokens)),
        last_layer(model),
    );
    quote! {
        if !cfg!(target_os = "none") && !ROUTED_ATTENTION.every_step {
            let mut tokens = [[0u8; #block]; #lanes];
            let mut lane = 0;
            while lane < #lanes {
                tokens[lane] = FORMAT.sequence(a[lane], b[lane]);
                lane += 1;
            }
            #caches
            let mut position = 0;
            while position < BLOCK_SIZE {
                let x = lane_embed(&tokens, position);
                #below
                if position + 1 >= PROMPT_LEN {
                    let written = ::adder::lanes::argmax(&#last);
                    let k = position + 1 - PROMPT_LEN;
                    let mut lane = 0;
                    while lane < #lanes {
                        digits[lane][k] = written[lane];
                        if k + 1 < #output_digits {
                            tokens[lane][position + 1] = written[lane];
                        }
                        lane += 1;
                    }
                    if k + 1 == #output_digits {
                        break;
                    }
                }
                position += 1;
            }
            return digits;
        }
    }
}

/// `lane_pass`, `lane_embed` and `lane_attend`: a step in lanes, each
/// lane's embedding side by side, and the attention of `attention.rs` in
/// lanes.
pub fn functions(model: &Model) -> TokenStream {
    let c = &model.config;
    let (block, embd, vocab) = (c.block_size, c.n_embd, c.vocab);
    let lanes = quote!(::adder::LANES);
    let attend = attend(model);
    let (caches, below, last) = (
        caches(model),
        layers_below(model, &quote!(tokens)),
        last_layer(model),
    );
    quote! {
        /// [`lane_logits`] by the lanes' own pass: every position through
        /// every layer (the last layer's key and value alone), then the
        /// last layer's step at the last position, all in lanes.
        const fn lane_pass(
            tokens: &[[u8; #block]; #lanes],
            len: usize,
        ) -> [::adder::lanes::Lanes; VOCAB] {
            assert!(len >= 1 && len <= BLOCK_SIZE, "adder: a step reads 1 to BLOCK_SIZE tokens");
            #caches
            let mut logits = [[0.0f32; #lanes]; #vocab];
            let mut position = 0;
            while position < len {
                let x = lane_embed(tokens, position);
                #below
                if position + 1 == len {
                    logits = #last;
                }
                position += 1;
            }
            logits
        }

        /// Each lane's `embed` of its token at `position`, side by side.
        ///
        /// # Panics
        ///
        /// If a token is not below [`VOCAB`], as [`step`].
        #[inline(always)]
        const fn lane_embed(
            tokens: &[[u8; #block]; #lanes],
            position: usize,
        ) -> [::adder::lanes::Lanes; #embd] {
            let mut x = [[0.0f32; #lanes]; #embd];
            let mut lane = 0;
            while lane < #lanes {
                let token = tokens[lane][position] as usize;
                assert!(token < VOCAB, "adder: token out of vocabulary");
                let alone = embed(token, position);
                let mut d = 0;
                while d < #embd {
                    x[d][lane] = alone[d];
                    d += 1;
                }
                lane += 1;
            }
            x
        }

        #attend
    }
}

/// `lane_attend`: [`attend`] in lanes.
fn attend(model: &Model) -> TokenStream {
    let c = &model.config;
    let (heads, hd) = (c.n_head, c.head_dim);
    let q_width = heads * hd;
    let kv_width = c.n_kv_head * hd;
    let group = c.n_head / c.n_kv_head;
    let kv = |h: usize| h / group;
    let lanes = quote!(::adder::LANES);
    let heads = (0..heads).map(|h| {
        // Left to right, as the scalar sum, then scaled.
        let mut terms = (0..hd).map(|d| {
            let (q, k) = (h * hd + d, kv(h) * hd + d);
            quote!(::adder::lanes::mul(query[#q], key[#k]))
        });
        let first = terms
            .next()
            .unwrap_or_else(|| quote!(::adder::lanes::splat(0.0)));
        let dot = terms.fold(first, |sum, term| quote!(::adder::lanes::add(#sum, #term)));
        let mix = (0..hd).map(|d| {
            let (m, v) = (h * hd + d, kv(h) * hd + d);
            quote!(mixed[#m] = ::adder::lanes::add(mixed[#m], ::adder::lanes::mul(weight, value[#v]));)
        });
        // `score - max` is at most 0 (or NaN): the cheaper `expf`.
        quote! {{
            let mut max = [f32::NEG_INFINITY; #lanes];
            let mut position = 0;
            while position < len {
                let key = &keys[position];
                let score = ::adder::lanes::mul(#dot, ::adder::lanes::splat(ATTENTION_SCALE));
                scores[position] = score;
                let mut lane = 0;
                while lane < #lanes {
                    if score[lane] > max[lane] {
                        max[lane] = score[lane];
                    }
                    lane += 1;
                }
                position += 1;
            }
            let mut sum = [0.0f32; #lanes];
            position = 0;
            while position < len {
                let e = ::adder::lanes::expf_nonpositive(::adder::lanes::sub(scores[position], max));
                scores[position] = e;
                sum = ::adder::lanes::add(sum, e);
                position += 1;
            }
            position = 0;
            while position < len {
                let value = &values[position];
                let weight = ::adder::lanes::div(scores[position], sum);
                #(#mix)*
                position += 1;
            }
        }}
    });
    quote! {
        /// [`attend`] in lanes: each lane's heads' outputs, with its
        /// bits (the same operations in the same order, `expf` by
        /// `adder::lanes::expf_nonpositive`), one head at a time, so that
        /// a head's sums stay in registers. `scores` is the caller's
        /// scratch, one head's.
        const fn lane_attend(
            query: &[::adder::lanes::Lanes; #q_width],
            keys: &[[::adder::lanes::Lanes; #kv_width]; BLOCK_SIZE],
            values: &[[::adder::lanes::Lanes; #kv_width]; BLOCK_SIZE],
            len: usize,
            scores: &mut [::adder::lanes::Lanes; BLOCK_SIZE],
        ) -> [::adder::lanes::Lanes; #q_width] {
            let mut mixed = [[0.0f32; #lanes]; #q_width];
            #(#heads)*
            mixed
        }
    }
}
