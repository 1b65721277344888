// `consts` and `params`: a param read by a tensor that is not `derived`, a
// param in a setting, a param no tensor reads, a name used before it is
// declared, a name declared twice, a built-in name taken, a param computed
// from a param, two params of one static, and a const that f32 cannot hold
// stored as a param.

adder::model! {
    mod model {
    config {
        vocab: 10, n_embd: 2, n_head: 2, n_kv_head: 1, head_dim: 2, mlp_hidden: 1,
        block_size: 35, activation: silu,
    }
    format { tokens: { sep: 0 }, prompt: [sep, a_lsb, sep, sep, b_lsb, sep], answer: lsb }
    positions = rope { theta: 3.0, style: rotate_half }
    consts { SCALE: 2.0, SCALE: 3.0, PI: 3.0, BIG: 1e300 }
    params { c: SCALE, d: c, e: 1.0, E: 2.0, unread: 1.0, huge: BIG }
    wte = dense {
        weight: [10, 2] = [c, 1.0, 1.0, 0.0, 2.0, 1.0, 3.0, 0.5, 4.0, 0.0, 5.0, 1.0, 6.0, 0.0, 7.0, 1.0, 8.0, 0.0, 9.0, 1.0],
    }
    attn.q = dense { weight: [4, 2] = derived [e, 0.0, 0.0, E, 0.5, 0.0, 0.0, 0.5] }
    attn.k = dense { weight: [2, 2] = [LATE, 0.0, 0.0, 1.0] }
    attn.v = dense { weight: [2, 2] = [1.0, 0.0, 0.0, 1.0] }
    attn.q_norm = rms_norm { eps: 1e-6, gain: c }
    attn.c_proj = dense { weight: [2, 4] = [1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0] }
    mlp.gate = dense { weight: [1, 2] = [1.0, 1.0] }
    mlp.c_fc = dense { weight: [1, 2] = [1.0, -1.0] }
    mlp.c_proj = dense { weight: [2, 1] = [0.5, 0.5] }
    lm_head = tied {}
    consts { LATE: 1.0 }
    }
}

fn main() {}
