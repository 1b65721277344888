//! The lanes twin's rewrite on small stages: what becomes a lane
//! operation, what stays scalar, what is counted, and what it refuses.

use quote::quote;

use crate::emit::lanes_twin;

/// The twin of `stages`, as text without spaces.
fn twin(stages: proc_macro2::TokenStream) -> Result<String, String> {
    lanes_twin(stages)
        .map(|tokens| tokens.to_string().replace(' ', ""))
        .map_err(|error| error.to_string())
}

#[test]
fn lane_values_become_lane_operations_and_parameters_stay_scalar() {
    let out = twin(quote! {
        const fn block(x: &[f32; 2], y: &[f32; 2]) -> [f32; 2] {
            let inv = 1.0 / ::adder::math::sqrtf(W[0] * 2.0 + 1.0);
            [x[0] * W[1] + y[1], -(x[1] / inv)]
        }
        pub const fn lm_head(x: &[f32; 2]) -> [f32; 1] {
            [::adder::math::relu(x[0]) - B[0]]
        }
    })
    .unwrap();
    // Signatures over lanes; the scalar `inv` computed once, splatted
    // where it meets a lane value.
    assert!(
        out.contains("pubconstfnblock(x:&[Lanes;2],y:&[Lanes;2])->[Lanes;2]"),
        "{out}"
    );
    assert!(
        out.contains("letinv=1.0/::adder::math::sqrtf(W[0]*2.0+1.0);"),
        "{out}"
    );
    assert!(out.contains("add(mul(x[0],splat(W[1])),y[1])"), "{out}");
    assert!(out.contains("neg((div(x[1],splat(inv))))"), "{out}");
    assert!(
        out.contains("sub(::adder::lanes::relu(x[0]),splat(B[0]))"),
        "{out}"
    );
    // block: mul, add, div, neg; lm_head: relu, sub.
    assert!(out.contains("pubconstOPERATIONS:usize=6usize;"), "{out}");
}

#[test]
fn an_operation_written_twice_in_a_stage_counts_once() {
    let out = twin(quote! {
        const fn block(x: &[f32; 2]) -> [f32; 2] {
            [x[0] * W[0] + B[0], x[0] * W[0] + B[1]]
        }
        const fn lm_head(x: &[f32; 2]) -> [f32; 2] {
            [x[0], x[1]]
        }
    })
    .unwrap();
    // One product, two sums.
    assert!(out.contains("pubconstOPERATIONS:usize=3usize;"), "{out}");
}

#[test]
fn a_stage_counts_the_stages_it_calls() {
    let out = twin(quote! {
        const fn mlp_in(x: &[f32; 1]) -> [f32; 1] { [x[0] * W[0]] }
        const fn block(x: &[f32; 1]) -> [f32; 1] {
            let pre = mlp_in(x);
            [pre[0] + x[0]]
        }
        const fn lm_head(x: &[f32; 1]) -> [f32; 1] { [x[0] * V[0]] }
    })
    .unwrap();
    assert!(out.contains("pubconstOPERATIONS:usize=3usize;"), "{out}");
}

#[test]
fn a_construct_it_does_not_know_is_an_error_not_a_wrong_twin() {
    for stages in [
        quote!(
            const fn block(x: &[f32; 1]) -> f32 {
                if x[0] > 0.0 { x[0] } else { 0.0 }
            }
        ),
        quote!(
            const fn block(x: &[f32; 1]) -> bool {
                x[0] < W[0]
            }
        ),
        quote!(
            const fn block(x: &[f32; 1]) -> f32 {
                x[0].max(1.0)
            }
        ),
        quote!(
            const fn block(x: &mut [f32; 1]) {
                x[0] += 1.0;
            }
        ),
        quote!(
            static X: f32 = 1.0;
        ),
    ] {
        let error = twin(stages.clone()).expect_err(&stages.to_string());
        assert!(
            error.contains("lanes twin") || error.contains("not a function"),
            "{error}"
        );
    }
}
