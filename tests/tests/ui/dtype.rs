// The model's float: `f32` or `f64`; what has no f64 code yet (gelu's erf, a
// rotation's sin and cos) is an error on its word in an f64 model, and a
// score table (which the verifier does not read yet) in an f32 model.

adder::model! {
    mod unknown {
    config { dtype: f16, vocab: 10, n_embd: 4, n_head: 2, block_size: 35, mlp_hidden: 4 }
    positions = sinusoid { sin: 1, cos: 2, period: 11, amplitude: { 0: 100.0, 22: 1.0 } }
    wte = factorized {
        A: [10, 1] = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0],
        B: [1, 4] = [1.0, 0.0, 0.0, 0.0],
    }
    attn.q = rotation @ attn.q_proj {
        reads: [1, 2],
        angle_h0: [1] = [8.0 * (TAU / 11.0)],
        angle_h1: [1] = [9.0 * (TAU / 11.0)],
        scale: [1] = [100.0],
    }
    attn.k = slim @ attn.k_proj { reads: [1, 2], weight: [4, 2] = [1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0] }
    attn.v = rank1 @ attn.v_proj { u: [4, 1] = [1.0, 0.0, 1.0, 0.0], v: [1, 4] = [1.0, 0.0, 0.0, 0.0] }
    attn.c_proj = sparse { val0: [1] = [2.0] at (3, 0), val1: [1] = [2.0] at (1, 2) }
    mlp.c_fc = shared_rows @ mlp {
        rows: [0, 0, 1, 1],
        row0: [4] = [-100.0, 100.0, 0.0, 0.0],
        row1: [4] = [-10.0, 10.0, 0.0, 1000.0],
        fc_bias: [4] = [-50.0, -150.0, -9045.0, -9055.0],
    }
    mlp.c_proj = rank1 { u: [4, 1] = [0.0, 0.0, 0.0, 1.0], v: [1, 4] = [0.01, -0.01, -1.0, 1.0] }
    lm_head = parabolic { reads: 3, lin: [1] = [1.0], quad: [1] = [-1.0], dim_w: [1] = [1.0] }
    }
}

adder::model! {
    mod wide {
    config { dtype: f64, activation: gelu, vocab: 10, n_embd: 4, n_head: 2, block_size: 35, mlp_hidden: 4 }
    positions = sinusoid { sin: 1, cos: 2, period: 11, amplitude: { 0: 100.0, 22: 1.0 } }
    wte = factorized {
        A: [10, 1] = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0],
        B: [1, 4] = [1.0, 0.0, 0.0, 0.0],
    }
    attn.q = rotation @ attn.q_proj {
        reads: [1, 2],
        angle_h0: [1] = [8.0 * (TAU / 11.0)],
        angle_h1: [1] = [9.0 * (TAU / 11.0)],
        scale: [1] = [100.0],
    }
    attn.k = slim @ attn.k_proj { reads: [1, 2], weight: [4, 2] = [1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0] }
    attn.v = rank1 @ attn.v_proj { u: [4, 1] = [1.0, 0.0, 1.0, 0.0], v: [1, 4] = [1.0, 0.0, 0.0, 0.0] }
    attn.c_proj = sparse { val0: [1] = [2.0] at (3, 0), val1: [1] = [2.0] at (1, 2) }
    mlp.c_fc = shared_rows @ mlp {
        rows: [0, 0, 1, 1],
        row0: [4] = [-100.0, 100.0, 0.0, 0.0],
        row1: [4] = [-10.0, 10.0, 0.0, 1000.0],
        fc_bias: [4] = [-50.0, -150.0, -9045.0, -9055.0],
    }
    mlp.c_proj = rank1 { u: [4, 1] = [0.0, 0.0, 0.0, 1.0], v: [1, 4] = [0.01, -0.01, -1.0, 1.0] }
    lm_head = parabolic { reads: 3, lin: [1] = [1.0], quad: [1] = [-1.0], dim_w: [1] = [1.0] }
    }
}

adder::model! {
    mod routed {
    config { vocab: 10, n_embd: 4, n_head: 2, block_size: 35, mlp_hidden: 4 }
    positions = sinusoid { sin: 1, cos: 2, period: 11, amplitude: { 0: 100.0, 22: 1.0 } }
    wte = factorized {
        A: [10, 1] = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0],
        B: [1, 4] = [1.0, 0.0, 0.0, 0.0],
    }
    attn.q = rotation @ attn.q_proj {
        reads: [1, 2],
        angle_h0: [1] = [8.0 * (TAU / 11.0)],
        angle_h1: [1] = [9.0 * (TAU / 11.0)],
        scale: [1] = [100.0],
    }
    attn.scores = table { scores: [2, 35, 35] = file }
    attn.k = slim @ attn.k_proj { reads: [1, 2], weight: [4, 2] = [1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0] }
    attn.v = rank1 @ attn.v_proj { u: [4, 1] = [1.0, 0.0, 1.0, 0.0], v: [1, 4] = [1.0, 0.0, 0.0, 0.0] }
    attn.c_proj = sparse { val0: [1] = [2.0] at (3, 0), val1: [1] = [2.0] at (1, 2) }
    mlp.c_fc = shared_rows @ mlp {
        rows: [0, 0, 1, 1],
        row0: [4] = [-100.0, 100.0, 0.0, 0.0],
        row1: [4] = [-10.0, 10.0, 0.0, 1000.0],
        fc_bias: [4] = [-50.0, -150.0, -9045.0, -9055.0],
    }
    mlp.c_proj = rank1 { u: [4, 1] = [0.0, 0.0, 0.0, 1.0], v: [1, 4] = [0.01, -0.01, -1.0, 1.0] }
    lm_head = parabolic { reads: 3, lin: [1] = [1.0], quad: [1] = [-1.0], dim_w: [1] = [1.0] }
    }
}

fn main() {}
