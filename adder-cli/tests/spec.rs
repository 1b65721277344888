//! `adder spec`, run as a user runs it: on the board's Qwen3 and low-rank
//! checkpoints the spec it prints is the hand-written one up to comments
//! and layout,
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

/// A spec's meaning: its tokens, comments, whitespace and trailing commas
/// left out.
fn meaning(spec: &str) -> String {
    let code: String = spec
        .lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect();
    let tokens: String = code.split_whitespace().collect();
    tokens.replace(",}", "}")
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

#[test]
fn a_pytorch_checkpoint_gives_the_spec_its_safetensors_does() {
    // rezabyt's `.pt` as published, with no config: the heads and the norm
    // come from the `model_config` saved beside the weights.
    let weights = board().join("rezabyt_best_311p_s34.pt");
    let (spec, said, ok) = spec_of(&weights, None, "plus-equals");
    assert!(ok, "{said}");
    // The spec names the safetensors `adder new` writes, and says so.
    assert!(
        said.contains("note: the spec reads `rezabyt_best_311p_s34.safetensors`"),
        "{said}"
    );
    let written = std::fs::read_to_string(board().join("lowrank_311.spec"))
        .expect("the hand-written spec")
        .replace(
            "rezabyt_lowrank_311.safetensors",
            "rezabyt_best_311p_s34.safetensors",
        );
    assert_eq!(meaning(&spec), meaning(&written));
    // lichengliu03's `.pt` gives the spec `adder::models::lichengliu03_262` is
    // compiled from.
    let weights_262 = board().join("lichengliu03_best_262p_s256.pt");
    let (spec, said, ok) = spec_of(&weights_262, None, "plus-equals");
    assert!(ok, "{said}");
    let written = std::fs::read_to_string(board().join("lichengliu03_262.spec"))
        .expect("the spec")
        .replace(
            "lichengliu03_lowrank_262.safetensors",
            "lichengliu03_best_262p_s256.safetensors",
        );
    assert_eq!(meaning(&spec), meaning(&written));
    // A config given wins over the saved one.
    let config = lowrank_config(r#"{"n_head": 2}"#);
    let (spec, said, ok) = spec_of(&weights, Some(&config), "plus-equals");
    assert!(ok, "{said}");
    assert!(spec.contains("n_head: 2,"), "{spec}");
}

/// A config of the low-rank code base's own fields.
fn lowrank_config(json: &str) -> PathBuf {
    static MADE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path =
        std::env::temp_dir().join(format!("adder-cli-{}-lowrank-{n}.json", std::process::id()));
    std::fs::write(&path, json).expect("written");
    path
}

#[test]
fn every_low_rank_checkpoint_gives_its_hand_written_spec() {
    let config = lowrank_config(r#"{"n_head": 1}"#);
    for (file, spec) in [
        ("rezabyt_lowrank_311", "lowrank_311"),
        ("yinglunz_lowrank_456_s43", "lowrank_456_s43"),
        ("yinglunz_lowrank_456_s44", "lowrank_456_s44"),
        ("yinglunz_lowrank_512", "lowrank_512"),
    ] {
        let weights = board().join(format!("{file}.safetensors"));
        let (printed, errors, ok) = spec_of(&weights, Some(&config), "plus-equals");
        assert!(ok, "{spec}: {errors}");
        let written = std::fs::read_to_string(board().join(format!("{spec}.spec")))
            .expect("the hand-written spec");
        assert_eq!(meaning(&printed), meaning(&written), "{spec}");
    }
}

/// A checkpoint of `tensors` (name, dtype, shape), in a temporary file of
/// its own; each tensor's bytes its own (its index), so no two are one
/// saved twice.
fn checkpoint(file: &str, tensors: &[(&str, Dtype, Vec<usize>)]) -> PathBuf {
    checkpoint_filled(file, tensors, |i, _| i)
}

/// A checkpoint of `tensors`, each filled with the byte `byte_of(index, name)`.
fn checkpoint_filled(
    file: &str,
    tensors: &[(&str, Dtype, Vec<usize>)],
    byte_of: impl Fn(usize, &str) -> usize,
) -> PathBuf {
    let data: Vec<Vec<u8>> = tensors
        .iter()
        .enumerate()
        .map(|(i, (name, dtype, shape))| {
            let byte = u8::try_from(byte_of(i, name)).expect("a few tensors");
            vec![byte; shape.iter().product::<usize>() * dtype.bitsize() / 8]
        })
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

    // No prompt format: a checkpoint cannot say, so it is asked for.
    let out = Command::new(env!("CARGO_BIN_EXE_adder"))
        .args(["spec", "--weights", weights.to_str().expect("a path")])
        .output()
        .expect("the binary runs");
    let errors = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && out.stdout.is_empty() && errors.contains("--format <FORMAT>"),
        "{errors}"
    );
    assert!(errors.contains("required"), "{errors}");

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
    assert!(
        !ok && errors.contains("not a safetensors file or a PyTorch checkpoint"),
        "{errors}"
    );
    let zip = std::env::temp_dir().join(format!("adder-cli-{}-broken.pt", std::process::id()));
    std::fs::write(&zip, b"PK\x03\x04 and then nothing a ZIP archive holds").expect("written");
    let (_, errors, ok) = spec_of(&zip, None, "f24");
    assert!(
        !ok && errors.contains(&format!(
            "{}: not a PyTorch checkpoint it can read",
            zip.display()
        )),
        "{errors}"
    );
    let other = checkpoint(
        "other.safetensors",
        &[("transformer.wte.weight", Dtype::F32, vec![10, 4])],
    );
    let (_, errors, ok) = spec_of(&other, None, "f24");
    assert!(
        !ok && errors.contains("no architecture the compiler knows"),
        "{errors}"
    );
}

/// rezabyt's 311's tensors, with `change` applied.
fn lowrank(
    change: impl Fn(&mut Vec<(&'static str, Dtype, Vec<usize>)>),
) -> Vec<(&'static str, Dtype, Vec<usize>)> {
    let f = Dtype::F32;
    let mut tensors = vec![
        ("token_emb.weight", f, vec![14, 4]),
        ("pos_emb.A", f, vec![33, 3]),
        ("pos_emb.B", f, vec![3, 4]),
        ("blocks.0.ln1.weight", f, vec![4]),
        ("blocks.0.attn.qkv_A", f, vec![4, 3]),
        ("blocks.0.attn.qkv_Bq", f, vec![3, 4]),
        ("blocks.0.attn.qkv_Bkv", f, vec![3, 4]),
        ("blocks.0.attn.proj.A", f, vec![4, 3]),
        ("blocks.0.attn.proj.B", f, vec![3, 4]),
        ("blocks.0.ln2.weight", f, vec![4]),
        ("blocks.0.mlp.fc1.A", f, vec![4, 3]),
        ("blocks.0.mlp.fc1.B", f, vec![3, 8]),
        ("blocks.0.mlp.fc2.A", f, vec![8, 3]),
        ("blocks.0.mlp.fc2.B", f, vec![3, 4]),
        ("ln_f.weight", f, vec![4]),
    ];
    change(&mut tensors);
    tensors
}

#[test]
fn the_low_rank_variants_are_told_apart_by_their_tensors() {
    let config = lowrank_config(r#"{"n_head": 2}"#);
    // Full-rank maps (`nn.Linear`, `[out, in]`), a full positional table,
    // shared Q = K modules, two blocks.
    let f = Dtype::F32;
    let full = checkpoint(
        "full.safetensors",
        &[
            ("token_emb.weight", f, vec![14, 4]),
            ("pos_emb.weight", f, vec![40, 4]),
            ("blocks.0.ln1.weight", f, vec![4]),
            ("blocks.0.attn.qk_shared.weight", f, vec![4, 4]),
            ("blocks.0.attn.v_proj.A", f, vec![4, 2]),
            ("blocks.0.attn.v_proj.B", f, vec![2, 4]),
            ("blocks.0.attn.proj.weight", f, vec![4, 4]),
            ("blocks.0.ln2.weight", f, vec![4]),
            ("blocks.0.mlp.fc1.weight", f, vec![6, 4]),
            ("blocks.0.mlp.fc2.weight", f, vec![4, 6]),
            ("blocks.1.ln1.weight", f, vec![4]),
            ("blocks.1.attn.qkv.weight", f, vec![12, 4]),
            ("blocks.1.attn.proj.weight", f, vec![4, 4]),
            ("blocks.1.ln2.weight", f, vec![4]),
            ("blocks.1.mlp.fc1.weight", f, vec![6, 4]),
            ("blocks.1.mlp.fc2.weight", f, vec![4, 6]),
            ("ln_f.weight", f, vec![4]),
        ],
    );
    let (spec, errors, ok) = spec_of(&full, Some(&config), "plus-equals");
    assert!(ok, "{errors}");
    for line in [
        "n_layer: 2,",
        "n_head: 2,",
        "mlp_hidden: 6,",
        "block_size: 40,",
        "wpe = dense @ pos_emb { weight: [40, 4] = file }",
        "h.0.attn.q = dense @ blocks.0.attn.qk_shared { weight: [4, 4] = file }",
        "h.0.attn.k = dense @ blocks.0.attn.qk_shared { weight: [4, 4] = file }",
        "h.0.attn.v = low_rank @ blocks.0.attn.v_proj { A: [4, 2] = file, B: [2, 4] = file }",
        "h.1.attn.qkv = dense @ blocks.1.attn.qkv { weight: [12, 4] = file }",
        "h.1.mlp.c_proj = dense @ blocks.1.mlp.fc2 { weight: [4, 6] = file }",
        "norm = rms_norm @ ln_f { eps: 1e-8, weight: [4] = file }",
    ] {
        assert!(spec.contains(line), "{line}\nnot in\n{spec}");
    }
    // A shared B (`qkv_Aq`, `qkv_Akv` with `qkv_B`).
    let shared_b = checkpoint(
        "shared_b.safetensors",
        &lowrank(|tensors| {
            tensors.retain(|(name, ..)| !name.starts_with("blocks.0.attn.qkv"));
            tensors.push(("blocks.0.attn.qkv_Aq", Dtype::F32, vec![4, 3]));
            tensors.push(("blocks.0.attn.qkv_Akv", Dtype::F32, vec![4, 3]));
            tensors.push(("blocks.0.attn.qkv_B", Dtype::F32, vec![3, 4]));
        }),
    );
    let (spec, errors, ok) = spec_of(&shared_b, Some(&config), "plus-equals");
    assert!(ok, "{errors}");
    assert!(
        spec.contains(
            r#"attn.v = low_rank @ blocks.0.attn { A: [4, 3] = file("blocks.0.attn.qkv_Akv"), B: [3, 4] = file("blocks.0.attn.qkv_B") }"#
        ),
        "{spec}"
    );
}

#[test]
fn what_a_low_rank_checkpoint_cannot_say_it_names() {
    let weights = checkpoint("lowrank.safetensors", &lowrank(|_| {}));
    // The heads: not in the shapes.
    let (spec, errors, ok) = spec_of(&weights, None, "plus-equals");
    assert!(!ok && spec.is_empty());
    assert!(
        errors.contains("the number of heads cannot be read from the tensors"),
        "{errors}"
    );
    // A config the tensors contradict; a format the vocabulary cannot write.
    let config = lowrank_config(r#"{"n_head": 3, "d_ff": 9, "use_rmsnorm": false}"#);
    let (_, errors, _) = spec_of(&weights, Some(&config), "plus-equals");
    for expected in [
        "3 heads do not divide the width 4",
        "`intermediate_size` is 9, but the checkpoint's tensors say 8",
        "`use_rmsnorm` is false, but the checkpoint's norms have no biases",
    ] {
        assert!(errors.contains(expected), "{expected}\nnot in\n{errors}");
    }
    let small = checkpoint(
        "small.safetensors",
        &lowrank(|tensors| tensors[0].2 = vec![11, 4]),
    );
    let config = lowrank_config(r#"{"n_head": 1}"#);
    let (_, errors, _) = spec_of(&small, Some(&config), "plus-equals");
    assert!(
        errors.contains("a vocabulary of 11 tokens; format `plus-equals` writes 12"),
        "{errors}"
    );
    // No value projection; a short positional table; a wrong rank; an
    // untied head; a tensor with no role.
    let broken = checkpoint(
        "broken_lowrank.safetensors",
        &lowrank(|tensors| {
            tensors.retain(|(name, ..)| *name != "blocks.0.attn.qkv_Bkv");
            tensors.push(("blocks.0.attn.qkv_Bk", Dtype::F32, vec![3, 4]));
            for (name, _, shape) in tensors.iter_mut() {
                match *name {
                    "pos_emb.A" => *shape = vec![30, 3],
                    "blocks.0.mlp.fc1.A" => *shape = vec![4, 2],
                    _ => {}
                }
            }
            tensors.push(("lm_head.weight", Dtype::F32, vec![14, 4]));
            tensors.push(("blocks.0.attn.mask", Dtype::F32, vec![33, 33]));
        }),
    );
    let shown_broken = broken.display().to_string();
    let (spec, errors, ok) = spec_of(&broken, Some(&config), "plus-equals");
    assert!(!ok && spec.is_empty());
    for expected in [
        format!("{shown_broken}: no value projection in `blocks.0.attn`"),
        format!(
            "{shown_broken}: tensor `pos_emb` has 30 positions; the prompt and the answer's 11 digits need 33"
        ),
        format!(
            "{shown_broken}: tensor `blocks.0.mlp.fc1.B` has shape [3, 8]; as `mlp.c_fc` it needs [2, 8]"
        ),
        format!("{shown_broken}: tensor `lm_head.weight`: an untied output head"),
        format!("{shown_broken}: tensor `blocks.0.attn.mask` has no role in the low-rank GPT"),
    ] {
        assert!(errors.contains(&expected), "{expected}\nnot in\n{errors}");
    }
    // A head saved twice (PyTorch's tied head) is the embedding: accepted.
    let tied = checkpoint_filled(
        "tied.safetensors",
        &lowrank(|tensors| tensors.push(("lm_head.weight", Dtype::F32, vec![14, 4]))),
        |i, name| if name == "lm_head.weight" { 0 } else { i },
    );
    let (spec, errors, ok) = spec_of(&tied, Some(&config), "plus-equals");
    assert!(ok, "{errors}");
    assert!(spec.contains("lm_head = tied {}"), "{spec}");
}
