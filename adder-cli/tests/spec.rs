//! `adder spec`, run as a user runs it: on the board's Qwen3 checkpoints
//! the spec it prints is the hand-written one up to comments and layout,
//! and on inputs it cannot take it names the file and the tensor or field
//! at fault, every one, and prints no spec.

use std::path::{Path, PathBuf};
use std::process::Command;

use safetensors::{Dtype, tensor::TensorView};

/// `adder/specs/board/`, where the checkpoints and their specs are.
fn board() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../adder/specs/board")
}

/// `adder spec ARGS`: its stdout, its stderr and whether it succeeded.
fn run(args: &[&str]) -> (String, String, bool) {
    let out = Command::new(env!("CARGO_BIN_EXE_adder"))
        .arg("spec")
        .args(args)
        .output()
        .expect("the binary runs");
    (
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
        out.status.success(),
    )
}

/// `adder spec` of `weights`, with `config` where given, in `format`.
fn spec_of(weights: &Path, config: Option<&Path>, format: &str) -> (String, String, bool) {
    let weights = weights.to_str().expect("a path");
    let mut args = vec!["--weights", weights, "--format", format];
    let config = config.map(|config| config.to_str().expect("a path"));
    if let Some(config) = config {
        args.extend(["--config", config]);
    }
    run(&args)
}

/// A spec's meaning: comments, blank lines and runs of spaces left out.
fn meaning(spec: &str) -> Vec<String> {
    spec.lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect()
}

#[test]
fn every_qwen3_checkpoint_gives_its_hand_written_spec() {
    for n in [122, 137, 146, 155, 173, 228] {
        let weights = board().join(format!("staghado_qwen3_{n}.safetensors"));
        let config = board().join(format!("config_{n}.json"));
        let (spec, errors, ok) = spec_of(&weights, Some(&config), "f24");
        assert!(ok, "qwen3_{n}: {errors}");
        let written = std::fs::read_to_string(board().join(format!("qwen3_{n}.spec")))
            .expect("the hand-written spec");
        assert_eq!(meaning(&spec), meaning(&written), "qwen3_{n}");
    }
}

/// A checkpoint of `tensors` (name, dtype, shape), zeros, in a temporary
/// file of its own.
fn checkpoint(file: &str, tensors: &[(&str, Dtype, Vec<usize>)]) -> PathBuf {
    let data: Vec<Vec<u8>> = tensors
        .iter()
        .map(|(_, dtype, shape)| vec![0; shape.iter().product::<usize>() * dtype.bitsize() / 8])
        .collect();
    let views: Vec<(&str, TensorView)> = tensors
        .iter()
        .zip(&data)
        .map(|((name, dtype, shape), bytes)| {
            (
                *name,
                TensorView::new(*dtype, shape.clone(), bytes).expect("a view"),
            )
        })
        .collect();
    let path = std::env::temp_dir().join(format!("adder-cli-{}-{file}", std::process::id()));
    safetensors::serialize_to_file(views, None, &path).expect("written");
    path
}

/// `qwen3_228`'s tensors, with `change` applied.
fn qwen3(
    change: impl Fn(&mut Vec<(&'static str, Dtype, Vec<usize>)>),
) -> Vec<(&'static str, Dtype, Vec<usize>)> {
    let f = Dtype::F32;
    let mut tensors = vec![
        ("model.embed_tokens.weight", f, vec![10, 4]),
        ("model.layers.0.input_layernorm.weight", f, vec![4]),
        ("model.layers.0.self_attn.q_proj.weight", f, vec![8, 4]),
        ("model.layers.0.self_attn.k_proj.weight", f, vec![4, 4]),
        ("model.layers.0.self_attn.v_proj.weight", f, vec![4, 4]),
        ("model.layers.0.self_attn.q_norm.weight", f, vec![4]),
        ("model.layers.0.self_attn.k_norm.weight", f, vec![4]),
        ("model.layers.0.self_attn.o_proj.weight", f, vec![4, 8]),
        ("model.layers.0.post_attention_layernorm.weight", f, vec![4]),
        ("model.layers.0.mlp.gate_proj.weight", f, vec![6, 4]),
        ("model.layers.0.mlp.up_proj.weight", f, vec![6, 4]),
        ("model.layers.0.mlp.down_proj.weight", f, vec![4, 6]),
        ("model.norm.weight", f, vec![4]),
    ];
    change(&mut tensors);
    tensors
}

#[test]
fn a_made_checkpoint_with_its_config_gives_a_spec() {
    let weights = checkpoint("plain.safetensors", &qwen3(|_| {}));
    let config = board().join("config_228.json");
    let (spec, errors, ok) = spec_of(&weights, Some(&config), "f31");
    assert!(ok, "{errors}");
    assert!(spec.contains("block_size: 42,"), "{spec}");
    assert!(
        spec.contains(
            "prompt: [sep, a_lsb, sep, sep, sep, sep, sep, sep, sep, sep, sep, b_lsb, sep]"
        )
    );
}

#[test]
fn what_it_cannot_infer_it_names_every_one() {
    // No config: theta and epsilon, both.
    let weights = board().join("staghado_qwen3_228.safetensors");
    let (spec, errors, ok) = spec_of(&weights, None, "f24");
    assert!(!ok && spec.is_empty());
    assert!(
        errors.contains("`rope_theta` cannot be read from the tensors"),
        "{errors}"
    );
    assert!(
        errors.contains("`rms_norm_eps` cannot be read from the tensors"),
        "{errors}"
    );

    // A tensor of another dtype, one of another shape, one unknown, an
    // untied head: each named with the file.
    let broken = checkpoint(
        "broken.safetensors",
        &qwen3(|tensors| {
            tensors[3].1 = Dtype::F16;
            tensors[9].2 = vec![6, 5];
            tensors.push(("model.layers.0.self_attn.q_proj.bias", Dtype::F32, vec![8]));
            tensors.push(("lm_head.weight", Dtype::F32, vec![10, 4]));
        }),
    );
    let shown = broken.display().to_string();
    let config = board().join("config_228.json");
    let (spec, errors, ok) = spec_of(&broken, Some(&config), "f24");
    assert!(!ok && spec.is_empty());
    for expected in [
        format!("{shown}: tensor `model.layers.0.self_attn.k_proj.weight` is F16"),
        format!("{shown}: tensor `model.layers.0.mlp.gate_proj.weight` has shape [6, 5]"),
        format!("{shown}: tensor `model.layers.0.self_attn.q_proj.bias` has no role"),
        format!("{shown}: tensor `lm_head.weight`: an untied output head"),
    ] {
        assert!(errors.contains(&expected), "{expected}\nnot in\n{errors}");
    }

    // A config the tensors contradict.
    let config = std::env::temp_dir().join(format!("adder-cli-{}-config.json", std::process::id()));
    std::fs::write(
        &config,
        r#"{"hidden_size": 5, "rope_theta": 3, "rms_norm_eps": 1e-6}"#,
    )
    .expect("written");
    let (_, errors, ok) = spec_of(&weights, Some(&config), "f24");
    assert!(!ok);
    assert!(
        errors.contains("`hidden_size` is 5, but the checkpoint's tensors say 4"),
        "{errors}"
    );

    // Not a checkpoint; not an architecture it knows.
    let readme = board().join("../../../README.md");
    let (_, errors, ok) = spec_of(&readme, None, "f24");
    assert!(!ok && errors.contains("not a safetensors file"), "{errors}");
    let lowrank = board().join("yinglunz_lowrank_512.safetensors");
    let (_, errors, ok) = spec_of(&lowrank, None, "f24");
    assert!(
        !ok && errors.contains("no architecture the compiler knows"),
        "{errors}"
    );
}
