//! The attention over the positions and the MLP after it: the two halves
//! of a layer's work at one position.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::linear::rows_of;
use crate::ir::{Activation, Layer, Model};

/// The attention of one layer at the last of `len` positions: each head's
/// weights over the positions, and the heads' outputs side by side. Layer
/// 0 reads the tokens' embeddings, later layers the previous layer's
/// residual streams.
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
    let group = c.n_head / c.n_kv_head;
    let kv = |h: usize| h / group;
    // Per head: its scores, then softmax and mixing, in three passes over
    // the positions. Keys and values are recomputed per pass rather than
    // stored: a few multiplications buy back 2 x BLOCK_SIZE x width floats
    // of stack, and the arithmetic, and so every bit, is the same.
    let scores = (0..heads).map(|h| {
        let score = (0..hd).map(|d| {
            let (q, k) = (h * hd + d, kv(h) * hd + d);
            quote!(query[#q] * key[#k])
        });
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
    let (source, read, read_value) = if l == 0 {
        (
            quote!(tokens: &[u8]),
            quote! {
                let token = tokens[position] as usize;
                assert!(token < VOCAB, "adder: token out of vocabulary");
                let key = #key_at(&embed(token, position), position);
            },
            quote!(let value = #value_at(&embed(tokens[position] as usize, position));),
        )
    } else {
        (
            quote!(xs: &[[f32; N_EMBD]; BLOCK_SIZE], len: usize),
            quote!(let key = #key_at(&xs[position], position);),
            quote!(let value = #value_at(&xs[position]);),
        )
    };
    let len = if l == 0 {
        quote!(let len = tokens.len();)
    } else {
        TokenStream::new()
    };
    quote! {
        /// The attention at the last position, with `query` its query: each
        /// head's weights over the positions, and the heads' outputs side by
        /// side.
        const fn #attend(query: &[f32; #q_width], #source) -> ([[f32; BLOCK_SIZE]; N_HEAD], [f32; #q_width]) {
            #len
            let mut attention = [[0.0f32; BLOCK_SIZE]; N_HEAD];
            let mut mixed = [0.0f32; #q_width];
            let mut max = [f32::NEG_INFINITY; N_HEAD];
            let mut position = 0;
            while position < len {
                #read
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
                #read_value
                #(#mixes)*
                position += 1;
            }
            (attention, mixed)
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
