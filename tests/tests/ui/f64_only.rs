// What only an f64 model takes, both errors at once in an f32 model:
// softmax1 (`softmax: plus_one`) and an answer most significant digit first
// (`answer: msb`), which the verifier does not read yet; then a softmax
// and an answer order there are not.

adder::model! {
    mod narrow {
    config { softmax: plus_one, vocab: 11, n_embd: 1, n_head: 1, block_size: 33, mlp_hidden: 1 }
    format { tokens: { sep: 10 }, prompt: [a_lsb, sep, b_lsb, sep], answer: msb }
    positions = none {}
    wte = dense { weight: [11, 1] = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 0.0] }
    attn.q = dense { weight: [1, 1] = [0.0] }
    attn.k = dense { weight: [1, 1] = [0.0] }
    attn.v = dense { weight: [1, 1] = [1.0] }
    attn.c_proj = dense { weight: [1, 1] = [1.0] }
    mlp.c_fc = dense { weight: [1, 1] = [1.0] }
    mlp.c_proj = dense { weight: [1, 1] = [1.0] }
    lm_head = dense { weight: [11, 1] = [0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0, 18.0, 0.0] }
    }
}

adder::model! {
    mod unknown {
    config { dtype: f64, softmax: sparsemax, vocab: 11, n_embd: 1, n_head: 1, block_size: 33, mlp_hidden: 1 }
    format { tokens: { sep: 10 }, prompt: [a_lsb, sep, b_lsb, sep], answer: reversed }
    positions = none {}
    wte = dense { weight: [11, 1] = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 0.0] }
    attn.q = dense { weight: [1, 1] = [0.0] }
    attn.k = dense { weight: [1, 1] = [0.0] }
    attn.v = dense { weight: [1, 1] = [1.0] }
    attn.c_proj = dense { weight: [1, 1] = [1.0] }
    mlp.c_fc = dense { weight: [1, 1] = [1.0] }
    mlp.c_proj = dense { weight: [1, 1] = [1.0] }
    lm_head = dense { weight: [11, 1] = [0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0, 18.0, 0.0] }
    }
}

fn main() {}
