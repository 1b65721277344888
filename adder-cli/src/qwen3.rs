//! Qwen3 checkpoints as HF transformers and `mlx_lm` name their tensors
//! (`model.embed_tokens`, `model.layers.N.self_attn.q_proj`, ..): the
//! shapes give the widths, `config.json` what shapes cannot (RoPE's theta,
//! the norms' epsilon), and the spec is written in the language's terms.

use std::fmt::Write as _;

use crate::checkpoint::Checkpoint;
use crate::config::Config;
use crate::format::Format;
use crate::reader::{Reader, number};

/// Whether the checkpoint names its tensors as a Qwen3 model does.
pub fn recognises(checkpoint: &Checkpoint) -> bool {
    checkpoint.tensors.contains_key("model.embed_tokens.weight")
        && checkpoint
            .tensors
            .contains_key("model.layers.0.self_attn.q_norm.weight")
}

/// The widths the tensors' shapes give.
#[derive(Clone, Copy)]
struct Widths {
    vocab: usize,
    embd: usize,
    layers: usize,
    n_head: usize,
    n_kv_head: usize,
    head_dim: usize,
    hidden: usize,
}

impl Widths {
    /// Read from the embedding and layer 0 (each layer is checked
    /// against them as it is written).
    fn read(reader: &mut Reader) -> Widths {
        let embedding = reader.shape("model.embed_tokens", 2);
        let mut layers = 0;
        while reader
            .checkpoint
            .tensors
            .contains_key(&format!("model.layers.{layers}.input_layernorm.weight"))
        {
            layers += 1;
        }
        let head_dim = reader.shape("model.layers.0.self_attn.q_norm", 1)[0];
        let q_rows = reader.shape("model.layers.0.self_attn.q_proj", 2)[0];
        let k_rows = reader.shape("model.layers.0.self_attn.k_proj", 2)[0];
        Widths {
            vocab: embedding[0],
            embd: embedding[1],
            layers,
            n_head: q_rows.checked_div(head_dim).unwrap_or(0),
            n_kv_head: k_rows.checked_div(head_dim).unwrap_or(0),
            head_dim,
            hidden: reader.shape("model.layers.0.mlp.gate_proj", 2)[0],
        }
    }
}

/// Layer `l`'s lines of the spec, each tensor checked against its role's
/// shape (`EPS` standing for the norms' epsilon).
fn layer(reader: &mut Reader, w: Widths, l: usize) -> String {
    let prefix = if w.layers == 1 {
        String::new()
    } else {
        format!("h.{l}.")
    };
    let (q, kv) = (w.n_head * w.head_dim, w.n_kv_head * w.head_dim);
    let rows = [
        ("attn.norm", "input_layernorm", vec![w.embd]),
        ("attn.q", "self_attn.q_proj", vec![q, w.embd]),
        ("attn.k", "self_attn.k_proj", vec![kv, w.embd]),
        ("attn.v", "self_attn.v_proj", vec![kv, w.embd]),
        ("attn.q_norm", "self_attn.q_norm", vec![w.head_dim]),
        ("attn.k_norm", "self_attn.k_norm", vec![w.head_dim]),
        ("attn.c_proj", "self_attn.o_proj", vec![w.embd, q]),
        ("mlp.norm", "post_attention_layernorm", vec![w.embd]),
        ("mlp.gate", "mlp.gate_proj", vec![w.hidden, w.embd]),
        ("mlp.c_fc", "mlp.up_proj", vec![w.hidden, w.embd]),
        ("mlp.c_proj", "mlp.down_proj", vec![w.embd, w.hidden]),
    ];
    let mut lines = String::new();
    for (slot, part, want) in rows {
        let name = format!("model.layers.{l}.{part}");
        reader.expect(&format!("{name}.weight"), slot, &want);
        let dims: Vec<String> = want.iter().map(ToString::to_string).collect();
        let (kind, eps) = if want.len() == 1 {
            ("rms_norm", "eps: EPS, ")
        } else {
            ("dense", "")
        };
        let _ = writeln!(
            lines,
            "{prefix}{slot} = {kind} @ {name} {{ {eps}weight: [{}] = file }}",
            dims.join(", ")
        );
    }
    lines
}

/// The tensors no role reads, and a head that is not tied.
fn unused(reader: &mut Reader, config: &Config) {
    reader.tied_head("model.embed_tokens.weight");
    reader.leftover("a Qwen3 decoder");
    if config.tie_word_embeddings == Some(false) {
        reader.errors.push(format!(
            "{}: `tie_word_embeddings` is false; the language ties the head to the token embedding",
            config.path
        ));
    }
}

/// The widths checked against the config and the format; theta and
/// epsilon from the config.
fn hyperparameters(reader: &mut Reader, config: &Config, format: Format, w: Widths) -> (f64, f64) {
    let checks = [
        ("vocab_size", config.vocab_size, w.vocab),
        ("hidden_size", config.hidden_size, w.embd),
        ("num_hidden_layers", config.num_hidden_layers, w.layers),
        ("num_attention_heads", config.num_attention_heads, w.n_head),
        (
            "num_key_value_heads",
            config.num_key_value_heads,
            w.n_kv_head,
        ),
        ("head_dim", config.head_dim, w.head_dim),
        ("intermediate_size", config.intermediate_size, w.hidden),
    ];
    for (key, given, found) in checks {
        if let Err(e) = config.agrees(key, given, found) {
            reader.errors.push(e);
        }
    }
    if let Err(e) = format.takes(w.vocab) {
        reader
            .errors
            .push(format!("{}: {e}", reader.checkpoint.path));
    }
    let mut given = |key: &str, value: Option<f64>| {
        value.unwrap_or_else(|| {
            let none = if config.path.is_empty() {
                String::new()
            } else {
                format!(" ({} has none)", config.path)
            };
            reader.errors.push(format!(
                "`{key}` cannot be read from the tensors: give it in --config{none}"
            ));
            0.0
        })
    };
    let theta = given("rope_theta", config.rope_theta);
    let eps = given("rms_norm_eps", config.rms_norm_eps);
    (theta, eps)
}

/// The spec, or every reason it cannot be written.
///
/// # Errors
///
/// Each tensor missing, of another dtype or shape than its role needs, or
/// unknown; each hyperparameter the config contradicts or does not give.
pub fn spec(
    checkpoint: &Checkpoint,
    config: &Config,
    format: Format,
    weights_file: &str,
) -> Result<String, Vec<String>> {
    let mut reader = Reader::new(checkpoint);
    let w = Widths::read(&mut reader);
    let mut layers = String::new();
    for l in 0..w.layers {
        layers.push_str(&layer(&mut reader, w, l));
    }
    reader.expect("model.norm.weight", "norm", &[w.embd]);
    unused(&mut reader, config);
    let (theta, eps) = hyperparameters(&mut reader, config, format, w);
    if !reader.errors.is_empty() {
        return Err(reader.errors);
    }
    let (eps, theta) = (number(eps), number(theta));
    let Widths {
        vocab,
        embd,
        layers: n_layer,
        n_head,
        n_kv_head,
        head_dim,
        hidden,
        ..
    } = w;
    let block_size = format.prompt_len() + 11;
    let layers = layers.replace("EPS", &eps);
    let n_layer = if n_layer > 1 {
        format!("    n_layer: {n_layer},\n")
    } else {
        String::new()
    };
    Ok(format!(
        "config {{\n    vocab: {vocab},\n    n_embd: {embd},\n{n_layer}    n_head: {n_head},\n    n_kv_head: {n_kv_head},\n    head_dim: {head_dim},\n    mlp_hidden: {hidden},\n    block_size: {block_size},\n    activation: silu,\n}}\n\n{}\nweights = safetensors {{ file: \"{weights_file}\" }}\n\npositions = rope {{ theta: {theta}, style: rotate_half }}\n\nwte = dense @ model.embed_tokens {{ weight: [{vocab}, {embd}] = file }}\n\n{layers}\nnorm = rms_norm @ model.norm {{ eps: {eps}, weight: [{embd}] = file }}\n\nlm_head = tied {{}}\n",
        format.section()
    ))
}
