// Params read from the weight file: a spec that names no weight file, an
// element outside the param's shape, an index of the wrong length, a tensor
// read without an index, an empty shape's param, `file` missing, and a
// param read by a derived tensor before it is declared.

adder::model! {
    mod model {
    config {
        vocab: 10, n_embd: 2, n_head: 1, head_dim: 2, mlp_hidden: 1,
        block_size: 35,
    }
    positions = rope { theta: 3.0, style: rotate_half }
    params {
        q: [2, 2] = file("q_proj.weight"),
        empty: [0, 2] = file,
        inline: [2] = [1.0, 2.0],
    }
    wte = dense { weight: [10, 2] = [0.0, 1.0, 1.0, 0.0, 2.0, 1.0, 3.0, 0.5, 4.0, 0.0, 5.0, 1.0, 6.0, 0.0, 7.0, 1.0, 8.0, 0.0, 9.0, 1.0] }
    attn.q = dense { weight: [2, 2] = derived [q[0, 0], q[0, 1], q[2, 0], q[1, 1]] }
    attn.k = dense { weight: [2, 2] = derived [q[0], 0.0, 0.0, 1.0] }
    attn.v = dense { weight: [2, 2] = derived [q, 0.0, 0.0, 1.0] }
    attn.c_proj = dense { weight: [2, 2] = [1.0, 0.0, 0.0, 1.0] }
    mlp.c_fc = dense { weight: [1, 2] = [1.0, -1.0] }
    mlp.c_proj = dense { weight: [2, 1] = derived [late, 0.5] }
    lm_head = tied {}
    params { late: 0.5 }
    }
}

fn main() {}
