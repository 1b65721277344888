// `qk_dim`: wider than the head; and, narrower, with what reads a head as a
// whole before the scores (a per-head norm, rotary positions).

adder::model! {
    mod too_wide {
    config {
        vocab: 10, n_embd: 2, n_head: 1, head_dim: 2, qk_dim: 3, mlp_hidden: 1,
        block_size: 35,
    }
    positions = rope { theta: 3.0, style: rotate_half }
    wte = dense { weight: [10, 2] = [0.0, 1.0, 1.0, 0.0, 2.0, 1.0, 3.0, 0.5, 4.0, 0.0, 5.0, 1.0, 6.0, 0.0, 7.0, 1.0, 8.0, 0.0, 9.0, 1.0] }
    attn.q = dense { weight: [2, 2] = [1.0, 0.0, 0.0, 1.0] }
    attn.k = dense { weight: [2, 2] = [1.0, 0.0, 0.0, 1.0] }
    attn.v = dense { weight: [2, 2] = [1.0, 0.0, 0.0, 1.0] }
    attn.c_proj = dense { weight: [2, 2] = [1.0, 0.0, 0.0, 1.0] }
    mlp.c_fc = dense { weight: [1, 2] = [1.0, -1.0] }
    mlp.c_proj = dense { weight: [2, 1] = [0.5, 0.5] }
    lm_head = tied {}
    }
}

adder::model! {
    mod narrow {
    config {
        vocab: 10, n_embd: 4, n_head: 1, head_dim: 4, qk_dim: 2, mlp_hidden: 1,
        block_size: 35,
    }
    positions = rope { theta: 3.0, style: rotate_half }
    wte = dense { weight: [10, 4] = [
        0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 2.0, 1.0, 0.0, 0.0, 3.0, 0.5, 0.0, 0.0, 4.0, 0.0, 0.0, 0.0,
        5.0, 1.0, 0.0, 0.0, 6.0, 0.0, 0.0, 0.0, 7.0, 1.0, 0.0, 0.0, 8.0, 0.0, 0.0, 0.0, 9.0, 1.0, 0.0, 0.0,
    ] }
    attn.q = slim { reads: [0, 1], weight: [2, 2] = [1.0, 0.0, 0.0, 1.0] }
    attn.k = slim { reads: [0, 1], weight: [2, 2] = [1.0, 0.0, 0.0, 1.0] }
    attn.q_norm = rms_norm { eps: 1e-6 }
    attn.v = slim { reads: [0, 1], weight: [4, 2] = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0] }
    attn.c_proj = dense { weight: [4, 4] = [1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0] }
    mlp.c_fc = dense { weight: [1, 4] = [1.0, -1.0, 0.0, 0.0] }
    mlp.c_proj = dense { weight: [4, 1] = [0.5, 0.5, 0.0, 0.0] }
    lm_head = tied {}
    }
}

fn main() {}
