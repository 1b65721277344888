//! The model's float (`dtype`): every number a spec gives is checked and
//! rounded in it, and a param's arithmetic is done in it.

use proc_macro2::TokenStream;

use super::{ADDER58, expand_spec, messages};
use crate::front::dtype::Dtype;
use crate::front::names::{Kind, Names};
use crate::front::tokens::{Loc, Name};

fn here() -> Loc {
    Loc::At { line: 1, column: 1 }
}

/// adder58's spec with `dtype` set and the first embedding value replaced.
fn spec(dtype: &str, first_value: &str) -> TokenStream {
    ADDER58
        .replacen("vocab: 10,", &format!("vocab: 10, dtype: {dtype},"), 1)
        .replacen(
            "A: [10, 1] = [0.0,",
            &format!("A: [10, 1] = [{first_value},"),
            1,
        )
        .parse()
        .expect("the spec lexes")
}

fn expansion_messages(spec: &TokenStream) -> Vec<String> {
    messages(&expand_spec(spec).expect("the macro does not panic"))
}

#[test]
fn values_are_checked_in_the_dtype() {
    // 1e39 does not fit f32: an error on an f32 model, not on an f64 one.
    let f32_messages = expansion_messages(&spec("f32", "1e39"));
    assert_eq!(f32_messages.len(), 1, "{f32_messages:?}");
    assert!(f32_messages[0].contains("value does not fit in f32"));
    let wide = ADDER58_F64.replacen("A: [10, 1] = [0.0,", "A: [10, 1] = [1e39,", 1);
    let f64_messages = expansion_messages(&wide.parse().expect("lexes"));
    assert!(f64_messages.is_empty(), "{f64_messages:?}");
    // And 1e309 fits neither.
    let too_big = expansion_messages(&spec("f64", "1e309"));
    assert!(
        too_big.iter().any(|m| m.contains("not finite")),
        "{too_big:?}"
    );
}

#[test]
fn f32_is_the_default_and_the_same_code() {
    let default = expand_spec(&ADDER58.parse().expect("lexes")).expect("expands");
    let explicit = expand_spec(&spec("f32", "0.0")).expect("expands");
    assert!(messages(&default).is_empty());
    assert_eq!(default.to_string(), explicit.to_string());
}

const ADDER58_F64: &str = include_str!("../../../tests/specs/adder58_f64.spec");

#[test]
fn an_f64_model_is_f64_code_throughout() {
    let spec: TokenStream = ADDER58_F64.parse().expect("the spec lexes");
    let output = expand_spec(&spec).expect("the macro does not panic");
    assert!(messages(&output).is_empty(), "{:?}", messages(&output));
    let text = output.to_string();
    assert!(!text.contains("f32"), "an f32 left in the f64 model");
    for wanted in [
        "pub static ATTN_Q_WEIGHT : [[f64 ; 4] ; 4]",
        ":: adder :: math :: exp (",
        ":: adder :: float :: relu_f64 (",
        ":: adder :: float :: argmax_f64 (",
        ":: adder :: Step < 4 , 2 , 35 , 4 , 10 , f64 >",
        "pub const fn add_lanes",
    ] {
        assert!(text.contains(wanted), "no `{wanted}`");
    }
    // The verifier of fixed attention's kernel and twins, over `f64`
    // intervals and forms; the `f32` verifier's and the fast paths: not
    // in an f64 model.
    for wanted in [
        "pub const FIXED : :: adder :: fixed :: Fixed",
        "pub mod interval",
        "use :: adder :: interval64 :: I64",
        ":: adder :: interval64 :: relu (",
        "use :: adder :: affine64 :: A64",
        ":: adder :: affine64 :: relu (",
        "I64 :: point (",
    ] {
        assert!(text.contains(wanted), "no `{wanted}`");
    }
    for unwanted in [
        "mod lanes",
        "KERNEL",
        "lane_logits",
        ":: adder :: interval :: I",
    ] {
        assert!(!text.contains(unwanted), "`{unwanted}` in an f64 model");
    }
}

/// A two-layer model (keys and values kept across the steps, norms, rotary
/// positions, SwiGLU, params and derived tensors) in f64: no `f32` left.
#[test]
fn a_two_layer_model_in_f64_is_f64_code_throughout() {
    let spec = include_str!("../../../adder/specs/handcoded/bingbangboom_87.spec").replacen(
        "vocab: 10,",
        "vocab: 10, dtype: f64,",
        1,
    );
    let output = expand_spec(&spec.parse().expect("lexes")).expect("the macro does not panic");
    assert!(messages(&output).is_empty(), "{:?}", messages(&output));
    let text = output.to_string();
    assert!(!text.contains("f32"), "an f32 left in the f64 model");
    assert!(
        text.contains(":: adder :: math :: sqrt ("),
        "its norms' root"
    );
    assert!(
        text.contains(":: adder :: float :: silu_f64 ("),
        "its SwiGLU"
    );
}

#[test]
fn what_has_no_f64_code_is_an_error_on_its_word() {
    let gelu = ADDER58_F64.replacen("vocab: 10,", "vocab: 10, activation: gelu,", 1);
    let found = expansion_messages(&gelu.parse().expect("lexes"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("`gelu` in an f64 model"), "{found:?}");
    let rotation = ADDER58.replacen("vocab: 10,", "vocab: 10, dtype: f64,", 1);
    let found = expansion_messages(&rotation.parse().expect("lexes"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("a `rotation` in an f64 model"),
        "{found:?}"
    );
}

#[test]
fn an_unknown_dtype_is_an_error_on_its_word() {
    let found = expansion_messages(&spec("f16", "0.0"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("unknown `dtype` `f16`; expected one of: `f32`, `f64`"),
        "{found:?}"
    );
}

#[test]
fn params_round_to_the_dtype() {
    let read = |dtype: Dtype, value: f64| {
        let names = Names::default();
        let name = Name::new("c", here());
        names
            .declare(&name, value, here(), Kind::Param)
            .expect("declared");
        assert!(names.set_dtype(dtype).is_empty());
        names.read("c", None).expect("found").expect("a scalar").0
    };
    assert_eq!(read(Dtype::F32, 0.1), f64::from(0.1f32));
    assert_eq!(read(Dtype::F64, 0.1), 0.1);
    assert_eq!(read(Dtype::F64, 1e-11 - 1.0), 1e-11 - 1.0);
    // A param f32 cannot hold is an error on an f32 model alone.
    let names = Names::default();
    let name = Name::new("big", here());
    names
        .declare(&name, 1e39, here(), Kind::Param)
        .expect("declared");
    assert_eq!(names.set_dtype(Dtype::F32).len(), 1);
}
