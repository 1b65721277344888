//! The names and literals the emitted code is written with: a parameter's
//! static, a rotation's matrix, a layer's stage, a float that round-trips.
//! Every part of the emitter names things alike through these, so they
//! stand apart, below the parts.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use crate::front::dtype::Dtype;
use crate::lower::ir::{Model, TensorId};
use crate::lower::statics::static_name;

/// The static of a parameter tensor.
pub fn name(model: &Model, id: TensorId) -> Ident {
    format_ident!("{}", static_name(&model.tensors[id].path))
}

/// A literal of the model's float that round-trips bit for bit (`Display`
/// prints the shortest decimal that does): `value` rounded once to it.
#[allow(clippy::cast_possible_truncation)] // the rounding is the point
pub fn lit(model: &Model, value: f64) -> TokenStream {
    if value == f64::NEG_INFINITY {
        // A score table's mask; no literal spells it.
        return match model.config.dtype {
            Dtype::F32 => quote!(f32::NEG_INFINITY),
            Dtype::F64 => quote!(f64::NEG_INFINITY),
        };
    }
    let literal = match model.config.dtype {
        Dtype::F32 => Literal::f32_unsuffixed((value as f32).abs()),
        Dtype::F64 => Literal::f64_unsuffixed(value.abs()),
    };
    if value.is_sign_negative() {
        quote!(-#literal)
    } else {
        quote!(#literal)
    }
}

/// The `const` of a rotation's matrix, named after the module its scale
/// belongs to: `ATTN_Q_PROJ_ROTATION`.
pub fn rotation_ident(model: &Model, scale: TensorId) -> Ident {
    let path = &model.tensors[scale].path;
    let module = path
        .rsplit_once('.')
        .map_or(path.as_str(), |(module, _)| module);
    format_ident!("{}_ROTATION", static_name(module))
}

/// The name of a layer's stage: `query` in a one-layer model, `query_1` in
/// layer 1 of more.
pub fn stage(model: &Model, base: &str, layer: usize) -> Ident {
    if model.layers.len() == 1 {
        format_ident!("{base}")
    } else {
        format_ident!("{base}_{layer}")
    }
}

/// Where answer step `k` puts its digit in a `digits` array, which holds
/// the sum least significant first: `k`, or its place counted from the top
/// where the model writes the most significant digit first.
pub fn answer_slot(model: &Model, k: &TokenStream) -> TokenStream {
    if model.format.answer_msb_first {
        quote!(FORMAT.answer_place(#k))
    } else {
        k.clone()
    }
}
