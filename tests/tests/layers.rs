//! More than one layer: a second layer whose attention and MLP write exact
//! zeros leaves the residual stream as the first layer left it, so the
//! two-layer model's logits are those of `adder58` (whose first layer it
//! is), bit for bit, at every step. This runs the multi-layer forward pass
//! (every position through layer 0, then layer 1 at the last) against the
//! one-layer one.

use adder::models::adder58;
use adder_tests::pairs;

adder::model! {
    mod two_layers {
        config { vocab: 10, n_embd: 4, n_head: 2, block_size: 35, mlp_hidden: 4, n_layer: 2 }
        positions = sinusoid { sin: 1, cos: 2, period: 11, amplitude: { 0: 100.0, 22: 1.0 } }
        wte = factorized @ wte {
            A: [10, 1] = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0],
            B: [1, 4] = [1.0, 0.0, 0.0, 0.0],
        }
        h.0.attn.q = rotation @ h.0.attn.q_proj {
            reads: [1, 2],
            angle_h0: [1] = [8.0 * (TAU / 11.0)],
            angle_h1: [1] = [9.0 * (TAU / 11.0)],
            scale: [1] = [100.0],
        }
        h.0.attn.k = slim @ h.0.attn.k_proj {
            reads: [1, 2],
            weight: [4, 2] = [1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0],
        }
        h.0.attn.v = rank1 @ h.0.attn.v_proj {
            u: [4, 1] = [1.0, 0.0, 1.0, 0.0],
            v: [1, 4] = [1.0, 0.0, 0.0, 0.0],
        }
        h.0.attn.c_proj = sparse @ h.0.attn.c_proj {
            val0: [1] = [2.0] at (3, 0),
            val1: [1] = [2.0] at (1, 2),
        }
        h.0.mlp.c_fc = shared_rows @ h.0.mlp {
            rows: [0, 0, 1, 1],
            row0: [4] = [-100.0, 100.0, 0.0, 0.0],
            row1: [4] = [-10.0, 10.0, 0.0, 1000.0],
            fc_bias: [4] = [-50.0, -150.0, -9045.0, -9055.0],
        }
        h.0.mlp.c_proj = rank1 @ h.0.mlp.c_proj {
            u: [4, 1] = [0.0, 0.0, 0.0, 1.0],
            v: [1, 4] = [0.01, -0.01, -1.0, 1.0],
        }
        // Layer 1 reads and attends, and writes zeros.
        h.1.attn.q = dense @ h.1.attn.q_proj { weight: [4, 4] = [
            1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0,
        ] }
        h.1.attn.k = dense @ h.1.attn.k_proj { weight: [4, 4] = [
            1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0,
        ] }
        h.1.attn.v = dense @ h.1.attn.v_proj { weight: [4, 4] = [
            1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0,
        ] }
        h.1.attn.c_proj = sparse @ h.1.attn.c_proj { zero: [1] = [0.0] at (0, 0) }
        h.1.mlp.c_fc = dense @ h.1.mlp.c_fc { weight: [4, 4] = [
            1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0,
        ] }
        h.1.mlp.c_proj = sparse @ h.1.mlp.c_proj { zero: [1] = [0.0] at (0, 0) }
        lm_head = parabolic { reads: 3, lin: [1] = [2.0], quad: [1] = [-1.0], dim_w: [1] = [1.0] }
    }
}

#[test]
fn a_second_layer_of_zeros_changes_nothing() {
    assert_eq!(two_layers::N_LAYER, 2);
    for (a, b) in pairs(2, 300) {
        let one = adder58::trace(a, b);
        let two = two_layers::trace(a, b);
        for (k, (x, y)) in one.steps.iter().zip(&two.steps).enumerate() {
            assert_eq!(x.logits, y.logits, "{a} + {b}, step {k}");
        }
        assert_eq!(two_layers::add(a, b), a + b);
    }
}

/// The interval verifier takes two layers: it encloses layer 0 at every
/// position and runs layer 1 on those enclosures, and proves this model,
/// which is `adder58` with a layer of zeros after it.
#[test]
fn the_interval_verifier_proves_two_layers() {
    let outcome = two_layers::bounds();
    println!("{outcome}");
    assert!(
        matches!(
            outcome,
            adder::bounds::Outcome::Proved {
                states: 170_300,
                ..
            }
        ),
        "{outcome}"
    );
}
