//! `adder new`, end to end as a user runs it: the crate it writes for a
//! board checkpoint builds on its own and its `cargo run --release` prints
//! the board's check, the verdict, the certified accuracy and the trace of
//! the first wrong pair; and what it cannot do, it says, writing nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `adder/specs/board/`, where the checkpoints are.
fn board() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../adder/specs/board")
}

/// A fresh directory of this test binary's own, for the crates it writes.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("adder-new-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

/// `adder ARGS`: its stdout, its stderr and whether it succeeded.
fn adder(args: &[&str]) -> (String, String, bool) {
    let out = Command::new(env!("CARGO_BIN_EXE_adder"))
        .args(args)
        .output()
        .expect("the binary runs");
    (
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
        out.status.success(),
    )
}

/// `cargo run --release` in the crate at `dir`, built in a target
/// directory shared by these tests (not the workspace's, which the outer
/// `cargo test` holds): its stdout.
fn run_crate(dir: &Path) -> String {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("adder-new-target");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args(["run", "--release", "--quiet"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    stdout
}

/// `adder new` for `weights` (with `config` where given) in `format`,
/// built and run: the crate's path and its output.
fn new_and_run(
    name: &str,
    weights: &str,
    config: Option<&Path>,
    format: &str,
) -> (PathBuf, String) {
    let dir = scratch(name).join(name);
    let weights = board().join(weights);
    let (weights, crate_path) = (
        weights.to_str().expect("a path"),
        dir.to_str().expect("a path"),
    );
    let mut source = vec!["--weights", weights, "--format", format];
    if let Some(config) = config {
        source.extend(["--config", config.to_str().expect("a path")]);
    }
    let (said, errors, ok) = adder(&[&["new", crate_path][..], &source].concat());
    assert!(ok, "{errors}");
    assert!(said.contains("cargo run --release"), "{said}");
    // The crate's spec is the one `adder spec` prints.
    let (spec, _, _) = adder(&[&["spec"][..], &source].concat());
    let written = std::fs::read_to_string(dir.join("model.spec")).expect("model.spec");
    assert_eq!(written, spec);
    let out = run_crate(&dir);
    (dir, out)
}

#[test]
fn a_qwen3_checkpoint_becomes_a_crate_that_checks_and_refutes_it() {
    let config = board().join("config_146.json");
    let (dir, out) = new_and_run(
        "mine",
        "staghado_qwen3_146.safetensors",
        Some(&config),
        "f24",
    );
    // The weights beside the spec are the checkpoint's own.
    let copied = std::fs::read(dir.join("staghado_qwen3_146.safetensors")).expect("the weights");
    let original = std::fs::read(board().join("staghado_qwen3_146.safetensors")).expect("read");
    assert_eq!(tensors(&copied), tensors(&original));
    assert!(
        out.starts_with("mine: 146 parameters; 1 layer, d 3"),
        "{out}"
    );
    assert!(out.contains("\nboard check: 10008/10010\n"), "{out}");
    assert!(
        out.contains("  wrong: 1296765438 + 313638727 = 1610404165, the model says 610404165"),
        "{out}"
    );
    assert!(
        out.contains(
            "\nverdict: refuted: 1296765438 + 313638727 gives 610404165, not 1610404165\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("\ncertified accuracy: 99.9400 % to 99.9951 % of 10^20 pairs right\n"),
        "{out}"
    );
    // The trace of the wrong pair: the step that writes the wrong digit.
    assert!(
        out.contains("1296765438 + 313638727 with mine: positions 0-23"),
        "{out}"
    );
    assert!(out.contains("WRONG, should be 1"), "{out}");
    assert!(out.contains("mine wrote 610404165: WRONG"), "{out}");
}

/// A safetensors file's tensors: name, dtype, shape and bytes.
fn tensors(bytes: &[u8]) -> Vec<(String, String, Vec<usize>, Vec<u8>)> {
    let file = safetensors::SafeTensors::deserialize(bytes).expect("safetensors");
    let mut all: Vec<_> = file
        .tensors()
        .into_iter()
        .map(|(name, view)| {
            let dtype = format!("{:?}", view.dtype());
            (name, dtype, view.shape().to_vec(), view.data().to_vec())
        })
        .collect();
    all.sort();
    all
}

#[test]
fn a_pytorch_low_rank_checkpoint_becomes_a_crate_that_checks_and_refutes_it() {
    // rezabyt's `.pt` as published: its state dict under `model_state`,
    // its `model_config` (the heads, the norm) beside it; no config given.
    let (dir, out) = new_and_run("lowrank", "rezabyt_best_311p_s34.pt", None, "plus-equals");
    // Its tensors, as safetensors: those of the board's conversion by
    // PyTorch, bit for bit, the tied head left out.
    let converted = std::fs::read(dir.join("rezabyt_best_311p_s34.safetensors")).expect("written");
    let by_python = std::fs::read(board().join("rezabyt_lowrank_311.safetensors")).expect("read");
    assert_eq!(tensors(&converted), tensors(&by_python));
    assert!(
        out.starts_with("lowrank: 311 parameters; 1 layer, d 4"),
        "{out}"
    );
    assert!(out.contains("\nboard check: 10010/10010\n"), "{out}");
    assert!(
        out.contains("\nverdict: refuted: 1204010382 + 7495110297 gives "),
        "{out}"
    );
    assert!(
        out.contains("\ncertified accuracy: 99.9400 % to 100.0000 % of 10^20 pairs right\n"),
        "{out}"
    );
    assert!(
        out.contains("1204010382 + 7495110297 with lowrank: positions 0-21"),
        "{out}"
    );
}

#[test]
fn what_it_cannot_make_it_says_and_writes_nothing() {
    let dir = scratch("errors");
    let weights = board().join("staghado_qwen3_146.safetensors");
    let config = board().join("config_146.json");
    let (weights, config) = (
        weights.to_str().expect("a path"),
        config.to_str().expect("a path"),
    );
    let source = ["--weights", weights, "--config", config, "--format", "f24"];
    let at = |name: &str| dir.join(name).to_str().expect("a path").to_owned();

    // A path that exists.
    let taken = at("taken");
    std::fs::create_dir_all(&taken).expect("made");
    let (_, errors, ok) = adder(&[&["new", taken.as_str()][..], &source].concat());
    assert!(
        !ok && errors.contains(&format!("{taken}: already exists")),
        "{errors}"
    );

    // A name cargo does not take.
    let bad = at("9lives");
    let (_, errors, ok) = adder(&[&["new", bad.as_str()][..], &source].concat());
    assert!(
        !ok && errors.contains("`9lives` is not a crate name"),
        "{errors}"
    );
    assert!(!Path::new(&bad).exists());

    // No `adder` crate where it is told to look.
    let elsewhere = at("elsewhere");
    let nowhere = at("nowhere");
    let (_, errors, ok) = adder(
        &[
            &["new", elsewhere.as_str(), "--adder", nowhere.as_str()][..],
            &source,
        ]
        .concat(),
    );
    assert!(!ok && errors.contains("no `adder` crate there"), "{errors}");
    assert!(!Path::new(&elsewhere).exists());

    // A checkpoint it cannot read: the spec's errors, and no crate.
    let unread = at("unread");
    let readme = board().join("../../../README.md");
    let (_, errors, ok) = adder(&[
        "new",
        unread.as_str(),
        "--weights",
        readme.to_str().expect("a path"),
        "--format",
        "f24",
    ]);
    assert!(!ok && errors.contains("not a safetensors file"), "{errors}");
    assert!(!Path::new(&unread).exists());
}
