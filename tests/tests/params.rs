//! `consts`, `params` and `derived` tensors: the stored scalars are what
//! `PARAM_COUNT` counts, and the weights derived from them hold exactly
//! what the original's `f32` forward pass computes from them.

use adder::models::kswain98_8 as m;

#[test]
fn only_params_and_plain_tensors_are_counted() {
    // Six params and the final norm's two weights; the derived embedding
    // (20 numbers) and the derived q, k, v, o, gate, up and down maps are
    // not counted.
    assert_eq!(m::PARAM_COUNT, 8);
    assert_eq!(m::PARAM_COUNT, 6 + m::NORM_WEIGHT_WEIGHT.len());
}

#[test]
fn params_are_stored_as_f32() {
    let digit_scale = 1000.0 / 2f64.sqrt();
    assert_eq!(m::PARAMS_C, 1000.0);
    #[allow(clippy::cast_possible_truncation)]
    let v = (-22.0 * digit_scale) as f32;
    assert_eq!(m::PARAMS_V, v);
}

#[test]
fn derived_weights_are_computed_in_f32_operation_by_operation() {
    let c = m::PARAMS_C;
    for (d, row) in m::EMBED_TOKENS_WEIGHT.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let d = d as f32;
        // `c - (d * d) / c` in f32, as `TiedEmbedding.table()`.
        assert_eq!(row[0].to_bits(), (c - (d * d) / c).to_bits());
        assert_eq!(row[1].to_bits(), (-d).to_bits());
    }
    let (a, gc) = (m::PARAMS_GATE_A, m::PARAMS_GATE_C);
    let gate = m::BLOCK_MLP_GATE_PROJ_WEIGHT;
    assert_eq!(gate[0], [a, gc]);
    // `a - c / EMBED_CONST`: the Python float 1000.0 meets an f32 tensor.
    assert_eq!(gate[1][0].to_bits(), (a - gc / 1000.0f32).to_bits());
    let down = m::BLOCK_MLP_CARRY_PROJ_WEIGHT;
    assert_eq!(down[1], [-m::PARAMS_CARRY, m::PARAMS_CARRY]);
}

adder::model! {
    /// A toy whose derived numbers show the arithmetic: f32 once a param is
    /// read, f64 (rounded once where stored) before.
    mod toy {
    config {
        vocab: 10, n_embd: 2, n_head: 2, n_kv_head: 1, head_dim: 2, mlp_hidden: 1,
        block_size: 35, activation: silu,
    }
    format { tokens: { sep: 0 }, prompt: [sep, a_lsb, sep, sep, b_lsb, sep], answer: lsb }
    consts { TINY: 1e-8, HALF: 0.5 }
    params { one: 1.0, third: 1.0 / 3.0 }
    positions = rope { theta: 3.0, style: rotate_half }
    wte = dense {
        weight: [10, 2] = [0.0, 1.0, 1.0, 0.0, 2.0, 1.0, 3.0, 0.5, 4.0, 0.0, 5.0, 1.0, 6.0, 0.0, 7.0, 1.0, 8.0, 0.0, 9.0, 1.0],
    }
    attn.q = dense { weight: [4, 2] = derived [one + TINY - one, 1.0 + TINY - 1.0, third * 3.0, HALF, 0.0, 0.0, 0.0, 0.5] }
    attn.k = dense { weight: [2, 2] = derived [1.0, 0.0, 0.0, 1.0] }
    attn.v = dense { weight: [2, 2] = [1.0, 0.0, 0.0, 1.0] }
    attn.c_proj = dense { weight: [2, 4] = [1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0] }
    mlp.gate = dense { weight: [1, 2] = [1.0, 1.0] }
    mlp.c_fc = dense { weight: [1, 2] = [1.0, -1.0] }
    mlp.c_proj = dense { weight: [2, 1] = [0.5, 0.5] }
    lm_head = tied {}
    }
}

#[test]
fn arithmetic_is_f32_exactly_where_a_param_is_read() {
    let q = toy::ATTN_Q_WEIGHT;
    // `one + TINY` rounds to 1.0 in f32: the difference is 0.
    assert_eq!(q[0][0], 0.0);
    // Without a param, f64: 1e-8, rounded once.
    #[allow(clippy::cast_possible_truncation)]
    let tiny = (1.0f64 + 1e-8 - 1.0) as f32;
    assert_eq!(q[0][1], tiny);
    assert_ne!(tiny, 0.0);
    // `third` is stored as f32; times 3 in f32 it is 1.
    assert_eq!(toy::PARAMS_THIRD, 1.0f32 / 3.0);
    assert_eq!(q[1][0], toy::PARAMS_THIRD * 3.0);
    assert_eq!(q[1][1], 0.5);
    // Two params, 20 + 4 + 2 + 8 + 2 + 2 + 2 plain numbers; the derived q
    // and k count nothing.
    assert_eq!(toy::PARAM_COUNT, 2 + 20 + 4 + 8 + 2 + 2 + 2);
}
