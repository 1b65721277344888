// A learned positional table with no `wpe` slot; a `low_rank` map without its `A`.

adder::model! {
    mod model {
    config {
        vocab: 10, n_embd: 2, n_head: 2, n_kv_head: 1, head_dim: 2, mlp_hidden: 1,
        block_size: 35, activation: silu,
    }
    format { tokens: { sep: 0 }, prompt: [sep, a_lsb, sep, sep, b_lsb, sep], answer: lsb }
    positions = learned {}
    wte = dense {
        weight: [10, 2] = [0.0, 1.0, 1.0, 0.0, 2.0, 1.0, 3.0, 0.5, 4.0, 0.0, 5.0, 1.0, 6.0, 0.0, 7.0, 1.0, 8.0, 0.0, 9.0, 1.0],
    }
    attn.norm = rms_norm { eps: 1e-6, weight: [2] = [1.0, 1.0] }
    attn.q = dense { weight: [4, 2] = [1.0, 0.0, 0.0, 1.0, 0.5, 0.0, 0.0, 0.5] }
    attn.k = dense { weight: [2, 2] = [1.0, 0.0, 0.0, 1.0] }
    attn.v = dense { weight: [2, 2] = [1.0, 0.0, 0.0, 1.0] }
    attn.q_norm = rms_norm { eps: 1e-6 }
    attn.k_norm = rms_norm { eps: 1e-6, weight: [2] = [1.0, 2.0] }
    attn.c_proj = dense { weight: [2, 4] = [1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0] }
    mlp.norm = rms_norm { eps: 1e-6, weight: [2] = [1.0, 1.0] }
    mlp.gate = low_rank { B: [1, 1] = [1.0] }
    mlp.c_fc = dense { weight: [1, 2] = [1.0, -1.0] }
    mlp.c_proj = dense { weight: [2, 1] = [0.5, 0.5] }
    norm = rms_norm { eps: 1e-6, weight: [2] = [1.0, 1.0] }
    lm_head = tied {}
    }
}

fn main() {}
