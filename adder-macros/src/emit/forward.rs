//! The forward pass: small `const fn` stages per layer and the attention
//! over the positions; `step` (`step.rs`) runs them at the last position.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::attention::{attend_stage, mlp_stage};
use super::idents::{lit, name, stage};
use super::linear::{apply, norm, rows_of};
use super::rope::positioned;
use crate::lower::ir::{Embedding, Head, Layer, Model, Norm, Positions, Qkv};

/// Every stage function, then `step`; the interval and affine twins of
/// what the verifier does not enclose itself (`interval.rs`), and the
/// lanes twin (`lanes.rs`): of what follows the attention for a
/// position-addressed model, of every stage but the attention for the
/// others (`lane_attention.rs`). With it, whether those
/// have their twin (a stage the rewrite does not know leaves them without:
/// their lanes then run each lane's `digits`).
pub fn forward(model: &Model) -> (TokenStream, bool) {
    let embed = embed(model);
    let mut layers = TokenStream::new();
    // What the twins are made of: the stages after the last attention, and
    // in deeper models every layer's stages but its attention, which the
    // verifier encloses itself (layer 0's up to it run as they are).
    let mut after_attention = TokenStream::new();
    let mut twinned = TokenStream::new();
    let mut first_before = TokenStream::new();
    let mut last_mlp = TokenStream::new();
    for (l, layer) in model.layers.iter().enumerate() {
        let stages = layer_stages(model, l, layer);
        layers.extend(stages.before.clone());
        layers.extend(stages.attend);
        layers.extend(stages.after.clone());
        if l > 0 {
            twinned.extend(stages.before);
        } else {
            first_before = stages.before;
        }
        twinned.extend(stages.after.clone());
        after_attention = stages.after;
        last_mlp = stages.mlp;
    }
    let head = head(model);
    after_attention.extend(head.clone());
    twinned.extend(head.clone());
    let lanes = if model.is_position_addressed() {
        Some(
            super::lanes::twin_module(after_attention.clone())
                .unwrap_or_else(syn::Error::into_compile_error),
        )
    } else if super::lane_attention::applies(model) {
        let mut stages = first_before;
        stages.extend(twinned.clone());
        super::lanes::twin_module(stages).ok()
    } else {
        None
    };
    let lane_attention = lanes.is_some() && !model.is_position_addressed();
    twinned.extend(last_mlp);
    let twin = if model.is_f32() {
        Some(super::interval::twin_module(model, twinned))
    } else {
        super::interval::has_f64_twin(model)
            .then(|| super::interval::f64_twin_module(model, twinned))
    };
    let step = super::step::step(model);
    let tokens = quote! {
        #embed
        #layers
        #head
        #step
        #twin
        #lanes
    };
    (tokens, lane_attention)
}

/// Entry `j` of row `index` of an embedding table.
fn table_entry(model: &Model, table: &Embedding, index: &TokenStream, j: usize) -> TokenStream {
    match *table {
        Embedding::Dense { weight } => {
            let w = name(model, weight);
            quote!(#w[#index][#j])
        }
        Embedding::Factorized { a, b, rank } => {
            let (a, b) = (name(model, a), name(model, b));
            let terms = (0..rank).map(|r| quote!(#a[#index][#r] * #b[#r][#j]));
            quote!(#(#terms)+*)
        }
    }
}

fn embed(model: &Model) -> TokenStream {
    let embd = model.config.n_embd;
    let dims = (0..embd).map(|j| {
        let token = table_entry(model, &model.embedding, &quote!(token), j);
        match &model.positions {
            Positions::Sinusoid { sin_dim, .. } if j == *sin_dim => {
                quote!(#token + POSITIONS[position][0])
            }
            Positions::Sinusoid { cos_dim, .. } if j == *cos_dim => {
                quote!(#token + POSITIONS[position][1])
            }
            Positions::Learned(table) => {
                let entry = table_entry(model, table, &quote!(position), j);
                quote!(#token + (#entry))
            }
            _ => token,
        }
    });
    let (doc, position) = match model.positions {
        Positions::Sinusoid { .. } => (" Token embedding plus positional table.", quote!(position)),
        Positions::Learned(_) => (
            " Token embedding plus learned positional table.",
            quote!(position),
        ),
        Positions::Rope(_) => (
            " Token embedding (positions enter as rotations of queries and keys).",
            quote!(_position),
        ),
        Positions::None => (
            " Token embedding (no positional encoding).",
            quote!(_position),
        ),
    };
    quote! {
        #[doc = #doc]
        #[inline(always)]
        pub const fn embed(token: usize, #position: usize) -> [f32; #embd] { [#(#dims),*] }
    }
}

/// One layer's stages, in three parts: the twins take the first and last.
struct LayerStages {
    /// Its norms and projections, and the query, key and value at a
    /// position.
    before: TokenStream,
    /// The keys and values of the positions and the attention over them.
    attend: TokenStream,
    /// The MLP's norm and projections and `block`, the rest of the layer.
    after: TokenStream,
    /// `block`'s MLP half as a stage of its own, from the residual stream
    /// after the attention: for the twins alone (the verifier bounds the
    /// last layer's MLP and head over boxes of that stream).
    mlp: TokenStream,
}

/// One layer's stages: its norms, projections, the keys, values and query
/// at a position, the attention, and the rest of the block.
/// (One `quote!` per layer reads best whole: it is the layer's code.)
#[allow(clippy::too_many_lines)]
fn layer_stages(model: &Model, index: usize, layer: &Layer) -> LayerStages {
    let c = &model.config;
    let (embd, hidden) = (c.n_embd, c.mlp_hidden);
    let (q_width, kv_width) = (c.n_head * c.head_dim, c.n_kv_head * c.head_dim);
    let attention = &layer.attention;
    let (query, key, value) = match &attention.qkv {
        Qkv::Separate { q, k, v } => (
            apply(model, q, embd, 0..q_width),
            apply(model, k, embd, 0..kv_width),
            apply(model, v, embd, 0..kv_width),
        ),
        Qkv::Fused(qkv) => (
            apply(model, qkv, embd, 0..q_width),
            apply(model, qkv, embd, q_width..q_width + kv_width),
            apply(model, qkv, embd, q_width + kv_width..q_width + 2 * kv_width),
        ),
    };
    let s = |base: &str| stage(model, base, index);
    let (query_fn, key_fn, value_fn) = (s("query"), s("key"), s("value"));
    let (query_at, key_at, value_at) = (s("query_at"), s("key_at"), s("value_at"));
    let (attn_norm, mlp_norm) = (s("attn_norm"), s("mlp_norm"));
    let (attn_proj, mlp_in, mlp_gate, mlp_out) =
        (s("attn_proj"), s("mlp_in"), s("mlp_gate"), s("mlp_out"));
    let attend = s("attend");
    let block = s("block");
    let normed = |norm_fn: &Ident, present: bool| {
        if present {
            quote!(&#norm_fn(x))
        } else {
            quote!(x)
        }
    };
    let attn_input = normed(&attn_norm, attention.norm.is_some());
    let mut out = TokenStream::new();
    out.extend(norm_fn(
        model,
        &attn_norm,
        attention.norm.as_ref(),
        embd,
        "The attention's input norm.",
    ));
    let mlp_norm_fn = norm_fn(
        model,
        &mlp_norm,
        layer.mlp.norm.as_ref(),
        embd,
        "The MLP's input norm.",
    );
    let head_dim = c.head_dim;
    let head_norms = [
        (&attention.q_norm, "q_norm", "queries"),
        (&attention.k_norm, "k_norm", "keys"),
    ]
    .map(|(n, base, what)| {
        let f = s(base);
        let doc = format!(" The per-head norm of the {what}.");
        let stage = n.as_ref().map(|n| {
            let body = norm(model, n, head_dim);
            quote! {
                #[doc = #doc]
                pub const fn #f(x: &[f32; #head_dim]) -> [f32; #head_dim] { #body }
            }
        });
        (f, stage)
    });
    let q_at = positioned(model, &query_fn, &head_norms[0], c.n_head, &attn_input);
    let k_at = positioned(model, &key_fn, &head_norms[1], c.n_kv_head, &attn_input);
    for (_, f) in &head_norms {
        out.extend(f.clone());
    }
    let attend_fn = attend_stage(model, index, &attend, &key_at, &value_at);
    let mlp = mlp_stage(model, layer, &mlp_norm, &mlp_in, &mlp_gate, &mlp_out);
    let (_, proj_rows) = rows_of(model, &attention.output, q_width, 0..embd);
    let after_attention = proj_rows.iter().enumerate().map(|(i, row)| {
        if row.is_some() {
            quote!(residual[#i] + projected[#i])
        } else {
            quote!(residual[#i])
        }
    });
    let attn_proj_body = apply(model, &attention.output, q_width, 0..embd);
    let (up, gate, down) = (&layer.mlp.up, layer.mlp.gate.as_ref(), &layer.mlp.down);
    let up_body = apply(model, up, embd, 0..hidden);
    let down_body = apply(model, down, hidden, 0..embd);
    let gate_fn = gate.map(|gate| {
        let body = apply(model, gate, embd, 0..hidden);
        quote! {
            /// The MLP's gate projection.
            pub const fn #mlp_gate(x: &[f32; #embd]) -> [f32; #hidden] { #body }
        }
    });
    let value_input = attn_input.clone();
    out.extend(quote! {
        /// The query of the (normed) residual stream `x`.
        pub const fn #query_fn(x: &[f32; #embd]) -> [f32; #q_width] { #query }
        /// The key of the (normed) residual stream `x`.
        pub const fn #key_fn(x: &[f32; #embd]) -> [f32; #kv_width] { #key }
        /// The value of the (normed) residual stream `x`.
        pub const fn #value_fn(x: &[f32; #embd]) -> [f32; #kv_width] { #value }
        /// The query of the residual stream `x` at `position`, as the
        /// attention scores it.
        pub const fn #query_at(x: &[f32; #embd], position: usize) -> [f32; #q_width] { #q_at }
        /// The key of the residual stream `x` at `position`, as the
        /// attention scores it.
        pub const fn #key_at(x: &[f32; #embd], position: usize) -> [f32; #kv_width] { #k_at }
        /// The value of the residual stream `x`.
        pub const fn #value_at(x: &[f32; #embd]) -> [f32; #kv_width] { #value_fn(#value_input) }
    });
    let after = quote! {
        #mlp_norm_fn
        /// The attention's output projection of the heads' outputs `x`.
        pub const fn #attn_proj(x: &[f32; #q_width]) -> [f32; #embd] { #attn_proj_body }
        /// The MLP's input (up) projection.
        pub const fn #mlp_in(x: &[f32; #embd]) -> [f32; #hidden] { #up_body }
        #gate_fn
        /// The MLP's output (down) projection of the hidden units `x`.
        pub const fn #mlp_out(x: &[f32; #hidden]) -> [f32; #embd] { #down_body }

        /// The rest of the layer at one position, from its residual stream
        /// and the heads' outputs: the residual after attention, the MLP's
        /// hidden units, the residual after the MLP.
        const fn #block(
            residual: &[f32; #embd],
            mixed: &[f32; #q_width],
        ) -> ([f32; #embd], [f32; #hidden], [f32; #embd]) {
            let projected = #attn_proj(mixed);
            let after_attention = [#(#after_attention),*];
            #mlp
        }
    };
    let mlp_block = stage(model, "mlp_block", index);
    let mlp = quote! {
        /// The MLP half of the layer, from the residual stream after the
        /// attention: `block` less the attention's projection.
        const fn #mlp_block(
            after_attention: [f32; #embd],
        ) -> ([f32; #embd], [f32; #hidden], [f32; #embd]) {
            #mlp
        }
    };
    LayerStages {
        before: out,
        attend: attend_fn,
        after,
        mlp,
    }
}

/// A norm stage, where the layer has the norm.
fn norm_fn(model: &Model, f: &Ident, n: Option<&Norm>, width: usize, doc: &str) -> TokenStream {
    let Some(n) = n else {
        return TokenStream::new();
    };
    let body = norm(model, n, width);
    let doc = format!(" {doc}");
    quote! {
        #[doc = #doc]
        pub const fn #f(x: &[f32; #width]) -> [f32; #width] { #body }
    }
}

/// The final norm and the LM head: logits of the last residual stream.
fn head(model: &Model) -> TokenStream {
    let c = &model.config;
    let (embd, vocab) = (c.n_embd, c.vocab);
    let body = match &model.head {
        Head::Parabolic {
            lin,
            quad,
            dim_w,
            reads,
        } => {
            let (lin, quad, dim_w) = (name(model, *lin), name(model, *quad), name(model, *dim_w));
            let logits = (0..vocab).map(|d| {
                let d_lit = lit(model, d as f64);
                let d2_lit = lit(model, (d * d) as f64);
                quote!(#lin[0] * #d_lit * scalar + #quad[0] * #d2_lit)
            });
            quote! {
                let scalar = x[#reads] * #dim_w[0];
                [#(#logits),*]
            }
        }
        Head::Linear(linear) => apply(model, linear, embd, 0..vocab),
        Head::Tied => {
            let Embedding::Dense { weight } = model.embedding else {
                unreachable!("checked: a tied head needs a dense embedding")
            };
            let w = name(model, weight);
            let logits = (0..vocab).map(|v| {
                let terms = (0..embd).map(|j| quote!(x[#j] * #w[#v][#j]));
                quote!(#(#terms)+*)
            });
            quote!([#(#logits),*])
        }
    };
    let final_norm = model.final_norm.as_ref().map(|n| {
        let body = norm(model, n, embd);
        quote! {
            /// The final norm of the residual stream.
            pub const fn final_norm(x: &[f32; #embd]) -> [f32; #embd] { #body }
        }
    });
    let (doc, input) = if final_norm.is_some() {
        (
            " The LM head: logits of the residual stream `x`, after the final norm.",
            quote!(let x = &final_norm(x);),
        )
    } else {
        (
            " The LM head: logits of the residual stream `x`.",
            TokenStream::new(),
        )
    };
    quote! {
        #final_norm
        #[doc = #doc]
        pub const fn lm_head(x: &[f32; #embd]) -> [f32; #vocab] {
            #input
            #body
        }
    }
}
