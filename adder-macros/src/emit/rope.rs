//! Queries and keys as the attention scores them: projected, normed per
//! head, and turned by their position where positions are rotary.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::lower::ir::{Model, Positions, RopeStyle};

/// The body of `query_at` or `key_at`: the projection of the normed input,
/// each head normed, then rotated by the position where positions rotate.
pub fn positioned(
    model: &Model,
    projection: &Ident,
    head_norm: &(Ident, Option<TokenStream>),
    heads: usize,
    input: &TokenStream,
) -> TokenStream {
    let c = &model.config;
    let hd = c.head_dim;
    if head_norm.1.is_none() && !matches!(model.positions, Positions::Rope(_)) {
        return quote!(let _ = position; #projection(#input));
    }
    let mut body = quote!(let v = #projection(#input););
    if head_norm.1.is_some() {
        let f = &head_norm.0;
        let normed = (0..heads).map(|h| {
            let dims = (0..hd).map(move |d| {
                let i = h * hd + d;
                quote!(v[#i])
            });
            let n = format_ident!("n{}", h);
            quote!(let #n = #f(&[#(#dims),*]);)
        });
        let flat = (0..heads).flat_map(|h| {
            let n = format_ident!("n{}", h);
            (0..hd).map(move |d| quote!(#n[#d]))
        });
        body.extend(quote! {
            #(#normed)*
            let v = [#(#flat),*];
        });
    }
    match &model.positions {
        Positions::Sinusoid { .. } | Positions::Learned(_) | Positions::None => {
            body.extend(quote!(let _ = position; v));
        }
        Positions::Rope(rope) => {
            let pairs = hd / 2;
            let rotated = (0..heads).flat_map(|h| {
                let pair = move |d: usize| match rope.style {
                    RopeStyle::RotateHalf => (d % pairs, d % pairs, d % pairs + pairs, d < pairs),
                    RopeStyle::Interleaved => (d / 2, d - d % 2, d - d % 2 + 1, d.is_multiple_of(2)),
                };
                (0..hd).map(move |d| {
                    let (i, a, b, leading) = pair(d);
                    let (first, second) = (h * hd + a, h * hd + b);
                    if leading {
                        quote!(v[#first] * ROPE[position][#i][0] - v[#second] * ROPE[position][#i][1])
                    } else {
                        quote!(v[#first] * ROPE[position][#i][1] + v[#second] * ROPE[position][#i][0])
                    }
                })
            });
            body.extend(quote!([#(#rotated),*]));
        }
    }
    body
}
