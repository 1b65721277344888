// A spec whose last item is cut short: the error stands on the spec's
// closing brace, not on the macro call.

adder::model! {
    mod model {
        config { vocab: 10, n_embd: 4, n_head: 2, block_size: 35, mlp_hidden: 4 }
        lm_head =
    }
}

fn main() {}
