// A norm of an unknown kind, an `eps` that is not positive, a `gain` of 0,
// a `gain` beside a stored `weight`, and a `gain` on a `layer_norm`.

adder::model! {
    mod model {
    config {
        vocab: 10, n_embd: 2, n_head: 2, n_kv_head: 1, head_dim: 2, mlp_hidden: 1,
        block_size: 35, activation: silu,
    }
    format { tokens: { sep: 0 }, prompt: [sep, a_lsb, sep, sep, b_lsb, sep], answer: lsb }
    positions = rope { theta: 3.0, style: rotate_half }
    wte = dense {
        weight: [10, 2] = [0.0, 1.0, 1.0, 0.0, 2.0, 1.0, 3.0, 0.5, 4.0, 0.0, 5.0, 1.0, 6.0, 0.0, 7.0, 1.0, 8.0, 0.0, 9.0, 1.0],
    }
    attn.norm = batch_norm { eps: 1e-6, weight: [2] = [1.0, 1.0] }
    attn.q = dense { weight: [4, 2] = [1.0, 0.0, 0.0, 1.0, 0.5, 0.0, 0.0, 0.5] }
    attn.k = dense { weight: [2, 2] = [1.0, 0.0, 0.0, 1.0] }
    attn.v = dense { weight: [2, 2] = [1.0, 0.0, 0.0, 1.0] }
    attn.q_norm = rms_norm { eps: 1e-6, gain: 0.0 }
    attn.k_norm = rms_norm { eps: 1e-6, gain: 16.0, weight: [2] = [1.0, 2.0] }
    attn.c_proj = dense { weight: [2, 4] = [1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0] }
    mlp.norm = rms_norm { eps: -1.0, weight: [2] = [1.0, 1.0] }
    mlp.gate = dense { weight: [1, 2] = [1.0, 1.0] }
    mlp.c_fc = dense { weight: [1, 2] = [1.0, -1.0] }
    mlp.c_proj = dense { weight: [2, 1] = [0.5, 0.5] }
    norm = layer_norm { eps: 1e-6, gain: 2.0, weight: [2] = [1.0, 1.0], bias: [2] = [0.0, 0.0] }
    lm_head = tied {}
    }
}

fn main() {}
