//! Linear maps and norms, unrolled: each output an expression over the
//! input's entries, structural zeros left out.

use proc_macro2::TokenStream;
use quote::quote;

use super::idents::{lit, name, rotation_ident};
use crate::lower::ir::{Linear, Model, Norm, TensorId};

/// `[out_rows]` of a linear map of `x` (an `[f32; input]`), unrolled:
/// structural zeros are the literal `0.0` and cost no arithmetic.
pub fn apply(
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
pub fn rows_of(
    model: &Model,
    linear: &Linear,
    input: usize,
    rows: std::ops::Range<usize>,
) -> (TokenStream, Vec<Option<TokenStream>>) {
    let name = |id: TensorId| name(model, id);
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
        Linear::LowRank { a, b, rank } => {
            let (a, b) = (name(*a), name(*b));
            let bottleneck = (0..*rank).map(|r| {
                let terms = (0..input).map(|j| quote!(x[#j] * #a[#j][#r]));
                quote!(#(#terms)+*)
            });
            let prelude = quote!(let h = [#(#bottleneck),*];);
            let out = rows.map(|i| {
                let terms = (0..*rank).map(|r| quote!(h[#r] * #b[#r][#i]));
                Some(quote!(#(#terms)+*))
            });
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
        Linear::Headed {
            inner,
            heads,
            qk_dim,
            head_dim,
        } => headed_rows(model, inner, input, rows, *heads, (*qk_dim, *head_dim)),
    }
}

/// Rows of a map whose heads are narrower than `head_dim`: each head's
/// `qk_dim` rows of `inner`, then structural zeros.
fn headed_rows(
    model: &Model,
    inner: &Linear,
    input: usize,
    rows: std::ops::Range<usize>,
    heads: usize,
    (qk_dim, head_dim): (usize, usize),
) -> (TokenStream, Vec<Option<TokenStream>>) {
    let (prelude, mut narrow) = rows_of(model, inner, input, 0..heads * qk_dim);
    let out = rows.map(|i| {
        let (h, d) = (i / head_dim, i % head_dim);
        if d < qk_dim {
            narrow[h * qk_dim + d].take()
        } else {
            None
        }
    });
    (prelude, out.collect())
}

/// A norm of `x` (an `[f32; width]`), as statements ending in the normed
/// array's expression. `RMSNorm` is `x * (1 / sqrt(mean(x^2) + eps)) * w`,
/// as `mlx` and `PyTorch` write it; `LayerNorm` subtracts the mean first.
pub fn norm(model: &Model, norm: &Norm, width: usize) -> TokenStream {
    let n = lit(model, width as f64);
    let squares = |v: &TokenStream| {
        let terms = (0..width).map(|i| quote!(::adder::math::square(#v[#i])));
        quote!(#(#terms)+*)
    };
    // The twins bound `x * inv` by the norm's width where eps is not too
    // small (`adder::interval::normed_bound`); the product is the same.
    let normed = match norm {
        Norm::Rms { eps, .. } | Norm::Layer { eps, .. } if *eps >= 2f64.powi(-60) => {
            quote!(::adder::math::normed::<#width>)
        }
        _ => quote!(::adder::math::normed::<0>),
    };
    match norm {
        Norm::Rms { eps, weight, gain } => {
            let eps = lit(model, *eps);
            let x = quote!(x);
            let sum = squares(&x);
            let weight = weight.map(|w| name(model, w));
            let gain = gain.map(|gain| lit(model, gain));
            let out = (0..width).map(|i| match (&weight, &gain) {
                (Some(w), _) => quote!(#normed(x[#i], inv) * #w[#i]),
                (None, Some(g)) => quote!(#normed(x[#i], inv) * #g),
                (None, None) => quote!(#normed(x[#i], inv)),
            });
            quote! {
                let inv = 1.0 / ::adder::math::sqrtf((#sum) / #n + #eps);
                [#(#out),*]
            }
        }
        Norm::Scale { weight } => {
            let w = name(model, *weight);
            let out = (0..width).map(|i| quote!(x[#i] * #w[#i]));
            quote!([#(#out),*])
        }
        Norm::Layer { eps, weight, bias } => {
            let eps = lit(model, *eps);
            let (w, b) = (name(model, *weight), name(model, *bias));
            let terms = (0..width).map(|i| quote!(x[#i]));
            let centred = (0..width).map(|i| quote!(x[#i] - mean));
            let d = quote!(d);
            let variance = squares(&d);
            let out = (0..width).map(|i| quote!(#normed(d[#i], inv) * #w[#i] + #b[#i]));
            quote! {
                let mean = (#(#terms)+*) / #n;
                let d = [#(#centred),*];
                let inv = 1.0 / ::adder::math::sqrtf((#variance) / #n + #eps);
                [#(#out),*]
            }
        }
    }
}
