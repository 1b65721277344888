//! The low-rank GPTs of the board (rezabyt's 311p, yinglunz's 456p and
//! 512p, lichengliu03's 262p: one code base, `src/model.py`'s
//! `TinyDecoderLM`): a pre-norm decoder whose linear maps are `x @ A @ B`
//! (`LowRankLinear`) or bias-free `nn.Linear`s, a learned positional table
//! (low-rank or full), RMSNorm (no bias, eps 1e-8, the code base's) or
//! `nn.LayerNorm` (eps 1e-5, PyTorch's), PyTorch's exact GELU, the head tied
//! to the token embedding. Its `tie_qkv` variants are told apart by their
//! tensors' names.

use std::fmt::Write as _;

use crate::checkpoint::Checkpoint;
use crate::config::Config;
use crate::format::Format;
use crate::reader::{Reader, number};

/// The code base's `RMSNorm` epsilon (not a `ModelConfig` field).
const RMS_EPS: f64 = 1e-8;
/// `nn.LayerNorm`'s default epsilon, which the code base keeps.
const LAYER_NORM_EPS: f64 = 1e-5;

/// Whether the checkpoint names its tensors as the code base does.
pub fn recognises(checkpoint: &Checkpoint) -> bool {
    checkpoint.tensors.contains_key("token_emb.weight")
        && checkpoint
            .tensors
            .keys()
            .any(|name| name.starts_with("blocks.0.attn."))
}

/// The widths the tensors' shapes (and, for the heads, the config) give.
#[derive(Clone, Copy)]
struct Widths {
    vocab: usize,
    embd: usize,
    layers: usize,
    n_head: usize,
    hidden: usize,
    /// Whether the norms are `LayerNorm`s (they have biases).
    layer_norm: bool,
}

/// A linear map at `module`, `input` -> `output`: a `LowRankLinear`
/// (`module.A [input, r]`, `module.B [r, output]`) or an `nn.Linear`
/// (`module.weight [output, input]`); the spec's line for `slot`.
fn linear(reader: &mut Reader, slot: &str, module: &str, input: usize, output: usize) -> String {
    let a = format!("{module}.A");
    if reader.has(&a) {
        let rank = reader.peek(&a, 1);
        reader.expect(&a, slot, &[input, rank]);
        reader.expect(&format!("{module}.B"), slot, &[rank, output]);
        format!(
            "{slot} = low_rank @ {module} {{ A: [{input}, {rank}] = file, B: [{rank}, {output}] = file }}"
        )
    } else {
        reader.expect(&format!("{module}.weight"), slot, &[output, input]);
        format!("{slot} = dense @ {module} {{ weight: [{output}, {input}] = file }}")
    }
}

/// The roles a name's letters stand for: `qkv_Bkv` is the key's and the
/// value's, `qk_shared` the query's and the key's.
fn serves(letters: &str, role: char) -> bool {
    !letters.is_empty() && letters.chars().all(|c| "qkv".contains(c)) && letters.contains(role)
}

/// The query, key and value maps of attention `p` (`blocks.l.attn`), in
/// whichever `tie_qkv` variant its tensors name: fused (`qkv`), a shared
/// `A` (`qkv_A` with `qkv_Bq`, `qkv_Bkv`, ..), a shared `B` (`qkv_Aq`, ..
/// with `qkv_B`), or shared modules (`qkv_shared`, `qk_shared`, `v_proj`,
/// ..). Naming a tensor for two roles ties it, as the code base does.
fn attention(reader: &mut Reader, w: Widths, p: &str, prefix: &str) -> String {
    let d = w.embd;
    if reader.has(&format!("{p}.qkv.A")) || reader.has(&format!("{p}.qkv.weight")) {
        return linear(
            reader,
            &format!("{prefix}attn.qkv"),
            &format!("{p}.qkv"),
            d,
            3 * d,
        ) + "\n";
    }
    let names: Vec<String> = reader
        .checkpoint
        .tensors
        .keys()
        .filter_map(|name| name.strip_prefix(&format!("{p}.")))
        .map(str::to_owned)
        .collect();
    // The tensor `qkv_{side}{letters}` serving `role`.
    let factor = |side: char, role: char| {
        names.iter().find_map(|name| {
            let letters = name.strip_prefix("qkv_")?.strip_prefix(side)?;
            serves(letters, role).then(|| format!("{p}.{name}"))
        })
    };
    let mut lines = String::new();
    for role in ['q', 'k', 'v'] {
        let slot = format!("{prefix}attn.{role}");
        let shared_a = format!("{p}.qkv_A");
        let shared_b = format!("{p}.qkv_B");
        let pair = if reader.has(&shared_a) {
            factor('B', role).map(|b| (shared_a, b))
        } else if reader.has(&shared_b) {
            factor('A', role).map(|a| (a, shared_b))
        } else {
            None
        };
        if let Some((a, b)) = pair {
            let rank = reader.peek(&a, 1);
            reader.expect(&a, &slot, &[d, rank]);
            reader.expect(&b, &slot, &[rank, d]);
            let _ = writeln!(
                lines,
                "{slot} = low_rank @ {p} {{ A: [{d}, {rank}] = file(\"{a}\"), B: [{rank}, {d}] = file(\"{b}\") }}"
            );
            continue;
        }
        let module = names.iter().find_map(|name| {
            let (module, tensor) = name.split_once('.')?;
            let letters = module
                .strip_suffix("_shared")
                .or_else(|| module.strip_suffix("_proj"))?;
            (serves(letters, role) && matches!(tensor, "A" | "weight")).then_some(module)
        });
        if let Some(module) = module {
            lines += &(linear(reader, &slot, &format!("{p}.{module}"), d, d) + "\n");
        } else {
            reader.errors.push(format!(
                "{}: no {} projection in `{p}`: expected `{p}.qkv.A` (or `.weight`), `{p}.qkv_A` with `{p}.qkv_B{role}`, `{p}.qkv_A{role}` with `{p}.qkv_B`, or a module such as `{p}.{role}_proj`",
                reader.checkpoint.path,
                match role {
                    'q' => "query",
                    'k' => "key",
                    _ => "value",
                }
            ));
        }
    }
    lines
}

/// A norm at `module`: `LayerNorm` (weight and bias) or `RMSNorm`.
fn norm(reader: &mut Reader, w: Widths, slot: &str, module: &str, eps: &str) -> String {
    let d = w.embd;
    reader.expect(&format!("{module}.weight"), slot, &[d]);
    if w.layer_norm {
        reader.expect(&format!("{module}.bias"), slot, &[d]);
        format!(
            "{slot} = layer_norm @ {module} {{ eps: {eps}, weight: [{d}] = file, bias: [{d}] = file }}\n"
        )
    } else {
        format!("{slot} = rms_norm @ {module} {{ eps: {eps}, weight: [{d}] = file }}\n")
    }
}

/// Block `l`'s lines of the spec.
fn block(reader: &mut Reader, w: Widths, l: usize, eps: &str) -> String {
    let prefix = if w.layers == 1 {
        String::new()
    } else {
        format!("h.{l}.")
    };
    let b = format!("blocks.{l}");
    let (d, hidden) = (w.embd, w.hidden);
    let mut lines = norm(
        reader,
        w,
        &format!("{prefix}attn.norm"),
        &format!("{b}.ln1"),
        eps,
    );
    lines += &attention(reader, w, &format!("{b}.attn"), &prefix);
    let proj = linear(
        reader,
        &format!("{prefix}attn.c_proj"),
        &format!("{b}.attn.proj"),
        d,
        d,
    );
    let _ = writeln!(lines, "{proj}\n");
    lines += &norm(
        reader,
        w,
        &format!("{prefix}mlp.norm"),
        &format!("{b}.ln2"),
        eps,
    );
    let fc1 = linear(
        reader,
        &format!("{prefix}mlp.c_fc"),
        &format!("{b}.mlp.fc1"),
        d,
        hidden,
    );
    let fc2 = linear(
        reader,
        &format!("{prefix}mlp.c_proj"),
        &format!("{b}.mlp.fc2"),
        hidden,
        d,
    );
    let _ = writeln!(lines, "{fc1}\n{fc2}\n");
    lines
}

/// The MLP's width: `fc1`'s output (0 where it has none).
fn hidden_width(reader: &Reader) -> usize {
    if reader.has("blocks.0.mlp.fc1.B") {
        reader.peek("blocks.0.mlp.fc1.B", 1)
    } else {
        reader.peek("blocks.0.mlp.fc1.weight", 0)
    }
}

/// The widths, checked against the config; the heads from it.
fn widths(reader: &mut Reader, config: &Config) -> Widths {
    let embedding = reader.shape("token_emb", 2);
    let layers = (0..reader.checkpoint.tensors.len())
        .take_while(|l| reader.has(&format!("blocks.{l}.ln1.weight")))
        .count();
    let w = Widths {
        vocab: embedding[0],
        embd: embedding[1],
        layers,
        n_head: config.num_attention_heads.unwrap_or(0),
        hidden: hidden_width(reader),
        layer_norm: reader.has("blocks.0.ln1.bias"),
    };
    let checks = [
        ("vocab_size", config.vocab_size, w.vocab),
        ("hidden_size", config.hidden_size, w.embd),
        ("num_hidden_layers", config.num_hidden_layers, w.layers),
        ("intermediate_size", config.intermediate_size, w.hidden),
    ];
    for (key, given, found) in checks {
        if let Err(e) = config.agrees(key, given, found) {
            reader.errors.push(e);
        }
    }
    if config.num_attention_heads.is_none() {
        reader.errors.push(format!(
            "the number of heads cannot be read from the tensors: give `num_attention_heads` (or the code base's `n_head`) in --config{}",
            given_none(config)
        ));
    } else if w.n_head == 0 || !w.embd.is_multiple_of(w.n_head) {
        reader.errors.push(format!(
            "{}: {} heads do not divide the width {}",
            config.path, w.n_head, w.embd
        ));
    }
    if config.use_rmsnorm == Some(w.layer_norm) {
        reader.errors.push(format!(
            "{}: `use_rmsnorm` is {}, but the checkpoint's norms {} biases",
            config.path,
            w.layer_norm,
            if w.layer_norm { "have" } else { "have no" }
        ));
    }
    w
}

/// ` (CONFIG has none)`, where a config was given.
fn given_none(config: &Config) -> String {
    if config.path.is_empty() {
        String::new()
    } else {
        format!(" ({} has none)", config.path)
    }
}

/// The learned positional table, `pos_emb` (low-rank `A`, `B` or a full
/// `weight`): the spec's `wpe` line and its rows, the block size.
fn positions(reader: &mut Reader, w: Widths) -> (String, usize) {
    let d = w.embd;
    if reader.has("pos_emb.A") {
        let (rows, rank) = (reader.peek("pos_emb.A", 0), reader.peek("pos_emb.A", 1));
        reader.expect("pos_emb.A", "wpe", &[rows, rank]);
        reader.expect("pos_emb.B", "wpe", &[rank, d]);
        let line = format!(
            "wpe = factorized @ pos_emb {{ A: [{rows}, {rank}] = file, B: [{rank}, {d}] = file }}"
        );
        (line, rows)
    } else {
        let rows = reader.peek("pos_emb.weight", 0);
        reader.expect("pos_emb.weight", "wpe", &[rows, d]);
        (
            format!("wpe = dense @ pos_emb {{ weight: [{rows}, {d}] = file }}"),
            rows,
        )
    }
}

/// The spec, or every reason it cannot be written.
///
/// # Errors
///
/// Each tensor missing, of another dtype or shape than its role needs, or
/// unknown; a config the shapes contradict; the heads not given.
pub fn spec(
    checkpoint: &Checkpoint,
    config: &Config,
    format: Format,
    weights_file: &str,
) -> Result<String, Vec<String>> {
    let mut reader = Reader::new(checkpoint);
    let w = widths(&mut reader, config);
    let eps = number(if w.layer_norm {
        config.layer_norm_eps.unwrap_or(LAYER_NORM_EPS)
    } else {
        config.rms_norm_eps.unwrap_or(RMS_EPS)
    });
    let (wpe, block_size) = positions(&mut reader, w);
    if block_size != 0 && block_size < format.prompt_len() + 11 {
        reader.errors.push(format!(
            "{}: tensor `pos_emb` has {block_size} positions; the prompt and the answer's 11 digits need {}",
            checkpoint.path,
            format.prompt_len() + 11
        ));
    }
    let mut blocks = String::new();
    for l in 0..w.layers {
        blocks += &block(&mut reader, w, l, &eps);
    }
    let final_norm = norm(&mut reader, w, "norm", "ln_f", &eps);
    reader.tied_head("token_emb.weight");
    reader.leftover("the low-rank GPT (`TinyDecoderLM`)");
    if let Err(e) = format.takes(w.vocab) {
        reader.errors.push(format!("{}: {e}", checkpoint.path));
    }
    if !reader.errors.is_empty() {
        return Err(reader.errors);
    }
    let Widths {
        vocab,
        embd,
        layers,
        n_head,
        hidden,
        ..
    } = w;
    let n_layer = if layers > 1 {
        format!("    n_layer: {layers},\n")
    } else {
        String::new()
    };
    Ok(format!(
        "config {{\n    vocab: {vocab},\n    n_embd: {embd},\n{n_layer}    n_head: {n_head},\n    mlp_hidden: {hidden},\n    block_size: {block_size},\n    activation: gelu,\n}}\n\n{}\nweights = safetensors {{ file: \"{weights_file}\" }}\n\npositions = learned {{}}\n\nwte = dense @ token_emb {{ weight: [{vocab}, {embd}] = file }}\n{wpe}\n\n{blocks}{final_norm}\nlm_head = tied {{}}\n",
        format.section()
    ))
}
