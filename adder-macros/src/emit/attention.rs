//! The attention over the positions and the MLP after it: the two halves
//! of a layer's work at one position.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::idents::{name, stage};
use super::linear::rows_of;
use crate::lower::ir::{Activation, Layer, Model, Softmax};

/// The keys and values of one layer, and its attention at the last of
/// `len` positions: each head's weights over the positions, and the heads'
/// outputs side by side. Layer 0 reads the tokens' embeddings, later
/// layers the previous layer's residual streams. The keys and values of
/// every position are computed once (`keys_values`) and read by the
/// attention at any later position: for `step`, and across the steps of
/// an addition, where a position's key and value do not change.
pub fn attend_stage(
    model: &Model,
    l: usize,
    attend: &Ident,
    key_at: &Ident,
    value_at: &Ident,
) -> TokenStream {
    let c = &model.config;
    let (heads, hd) = (c.n_head, c.head_dim);
    let q_width = heads * hd;
    let kv_width = c.n_kv_head * hd;
    let group = c.n_head / c.n_kv_head;
    let kv = |h: usize| h / group;
    let plus_one = c.softmax == Softmax::PlusOne;
    // A fixed table of scores, where the construction routes by position.
    let table = model.layers[l]
        .attention
        .scores
        .map(|table| name(model, table));
    // Per head: its scores, then softmax and mixing, in three passes over
    // the positions.
    let scores = (0..heads).map(|h| {
        let score = (0..hd).map(|d| {
            let (q, k) = (h * hd + d, kv(h) * hd + d);
            quote!(query[#q] * key[#k])
        });
        let fixed = table
            .as_ref()
            .map(|table| quote!(+ #table[#h][len - 1][position]));
        let track_max = (!plus_one).then(|| {
            quote! {
                if score > max[#h] {
                    max[#h] = score;
                }
            }
        });
        quote! {
            let score = (#(#score)+*) * ATTENTION_SCALE #fixed;
            attention[#h][position] = score;
            #track_max
        }
    });
    let (max, exps, denominators) = softmax(plus_one, heads);
    let mixes = (0..heads).map(|h| {
        let mix = (0..hd).map(|d| {
            let (m, v) = (h * hd + d, kv(h) * hd + d);
            quote!(mixed[#m] += weight * value[#v];)
        });
        quote! {
            let weight = attention[#h][position] / sum[#h];
            attention[#h][position] = weight;
            #(#mix)*
        }
    });
    let filler = keys_values(model, l, key_at, value_at);
    quote! {
        #filler

        /// The attention at the last of `len` positions, with `query` its
        /// query and `keys`, `values` those of the positions: each head's
        /// weights over the positions, and the heads' outputs side by side.
        const fn #attend(
            query: &[f32; #q_width],
            keys: &[[f32; #kv_width]; BLOCK_SIZE],
            values: &[[f32; #kv_width]; BLOCK_SIZE],
            len: usize,
        ) -> ([[f32; BLOCK_SIZE]; N_HEAD], [f32; #q_width]) {
            let mut attention = [[0.0f32; BLOCK_SIZE]; N_HEAD];
            let mut mixed = [0.0f32; #q_width];
            #max
            let mut position = 0;
            while position < len {
                let key = &keys[position];
                #(#scores)*
                position += 1;
            }
            let mut sum = [0.0f32; N_HEAD];
            position = 0;
            while position < len {
                #(#exps)*
                position += 1;
            }
            #denominators
            position = 0;
            while position < len {
                let value = &values[position];
                #(#mixes)*
                position += 1;
            }
            (attention, mixed)
        }
    }
}

/// The softmax's three parts: the running max it declares, each head's
/// exponentials of a position's score, and the denominators after them
/// (softmax1's `1 + sum`, added once, as its constructions do).
fn softmax(plus_one: bool, heads: usize) -> (TokenStream, Vec<TokenStream>, TokenStream) {
    let every_head = 0..heads;
    let exps: Vec<TokenStream> = (0..heads)
        .map(|h| {
            let shifted = if plus_one {
                quote!(attention[#h][position])
            } else {
                quote!(attention[#h][position] - max[#h])
            };
            quote! {
                let e = ::adder::math::expf(#shifted);
                attention[#h][position] = e;
                sum[#h] += e;
            }
        })
        .collect();
    let (max, denominators) = if plus_one {
        (
            TokenStream::new(),
            quote!(let sum = [#(1.0 + sum[#every_head]),*];),
        )
    } else {
        (
            quote!(let mut max = [f32::NEG_INFINITY; N_HEAD];),
            TokenStream::new(),
        )
    };
    (max, exps, denominators)
}

/// `keys_values` of a layer (and, in layer 0, `key_value`): the keys and
/// values of every position, which the attention at any later one reads.
fn keys_values(model: &Model, l: usize, key_at: &Ident, value_at: &Ident) -> TokenStream {
    let kv_width = model.config.n_kv_head * model.config.head_dim;
    let keys_values = stage(model, "keys_values", l);
    let key_value = stage(model, "key_value", l);
    if l == 0 {
        quote! {
            /// The key and the value of `token` at `position`: on a hosted
            /// target read from [`KV_KEYS`] and [`KV_VALUES`], on bare metal
            /// (where flash is dear) computed.
            pub const fn #key_value(token: usize, position: usize) -> ([f32; #kv_width], [f32; #kv_width]) {
                assert!(token < VOCAB, "adder: token out of vocabulary");
                if !cfg!(target_os = "none") {
                    return (KV_KEYS[position][token], KV_VALUES[position][token]);
                }
                let x = embed(token, position);
                (#key_at(&x, position), #value_at(&x))
            }

            /// Layer 0's key (`keys`) or value of every token at every
            /// position, computed at compile time by the same `const fn`s
            /// as at run time, so with their bits.
            const fn kv_table(keys: bool) -> [[[f32; #kv_width]; VOCAB]; BLOCK_SIZE] {
                let mut table = [[[0.0f32; #kv_width]; VOCAB]; BLOCK_SIZE];
                let mut position = 0;
                while position < BLOCK_SIZE {
                    let mut token = 0;
                    while token < VOCAB {
                        let x = embed(token, position);
                        table[position][token] = if keys { #key_at(&x, position) } else { #value_at(&x) };
                        token += 1;
                    }
                    position += 1;
                }
                table
            }

            /// Layer 0's key of every token at every position: a token's
            /// key there depends on nothing else. Linked into hosted
            /// builds alone (bare metal computes it).
            pub static KV_KEYS: [[[f32; #kv_width]; VOCAB]; BLOCK_SIZE] = kv_table(true);
            /// Layer 0's value of every token at every position, as
            /// [`KV_KEYS`].
            pub static KV_VALUES: [[[f32; #kv_width]; VOCAB]; BLOCK_SIZE] = kv_table(false);

            /// The keys and values of every position of `tokens`, into
            /// `keys` and `values` (in place: on bare metal, no copies on
            /// the stack).
            pub const fn #keys_values(
                tokens: &[u8],
                keys: &mut [[f32; #kv_width]; BLOCK_SIZE],
                values: &mut [[f32; #kv_width]; BLOCK_SIZE],
            ) {
                let mut position = 0;
                while position < tokens.len() {
                    (keys[position], values[position]) = #key_value(tokens[position] as usize, position);
                    position += 1;
                }
            }
        }
    } else {
        quote! {
            /// The keys and values of the first `len` residual streams `xs`,
            /// into `keys` and `values`.
            pub const fn #keys_values(
                xs: &[[f32; N_EMBD]; BLOCK_SIZE],
                len: usize,
                keys: &mut [[f32; #kv_width]; BLOCK_SIZE],
                values: &mut [[f32; #kv_width]; BLOCK_SIZE],
            ) {
                let mut position = 0;
                while position < len {
                    keys[position] = #key_at(&xs[position], position);
                    values[position] = #value_at(&xs[position]);
                    position += 1;
                }
            }
        }
    }
}

/// The MLP half of `block`: from `after_attention` to the returned triple.
pub fn mlp_stage(
    model: &Model,
    layer: &Layer,
    mlp_norm: &Ident,
    mlp_in: &Ident,
    mlp_gate: &Ident,
    mlp_out: &Ident,
) -> TokenStream {
    let c = &model.config;
    let (embd, hidden) = (c.n_embd, c.mlp_hidden);
    let input = if layer.mlp.norm.is_some() {
        quote!(&#mlp_norm(&after_attention))
    } else {
        quote!(&after_attention)
    };
    let act = |v: TokenStream| match layer.mlp.activation {
        Activation::Relu => quote!(::adder::math::relu(#v)),
        Activation::Gelu => quote!(::adder::math::gelu(#v)),
        Activation::Silu => quote!(::adder::math::silu(#v)),
    };
    let hidden_units = (0..hidden).map(|i| {
        if layer.mlp.gate.is_some() {
            let gated = act(quote!(gate[#i]));
            quote!(#gated * pre[#i])
        } else {
            act(quote!(pre[#i]))
        }
    });
    let gate = layer
        .mlp
        .gate
        .as_ref()
        .map(|_| quote!(let gate = #mlp_gate(#input);));
    let (_, out_rows) = rows_of(model, &layer.mlp.down, hidden, 0..embd);
    let after_mlp = out_rows.iter().enumerate().map(|(i, row)| {
        if row.is_some() {
            quote!(after_attention[#i] + out[#i])
        } else {
            quote!(after_attention[#i])
        }
    });
    quote! {
        let pre = #mlp_in(#input);
        #gate
        let hidden = [#(#hidden_units),*];
        let out = #mlp_out(&hidden);
        let after_mlp = [#(#after_mlp),*];
        (after_attention, hidden, after_mlp)
    }
}
