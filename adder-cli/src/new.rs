//! `adder new`: a crate of its own for a checkpoint, whose `cargo run
//! --release` runs the board's check and the verdict over all 10^20 pairs:
//! `Cargo.toml` (its own workspace, `adder` by path), `model.spec`, the
//! weights beside it, and `src/main.rs` (`template/main.rs`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The generated `src/main.rs`, `@NAME@` and `@WEIGHTS@` filled in.
const MAIN: &str = include_str!("../template/main.rs");

/// The `adder` crate of the workspace this binary was built in.
pub fn default_adder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../adder")
}

/// The package name of a crate at `path`: its last component, if cargo
/// takes it as a name.
fn package_name(path: &Path) -> Result<String, String> {
    let shown = path.display();
    let name = path
        .file_name()
        .and_then(|name| name.to_str())
        .ok_or_else(|| format!("{shown}: no name for a crate in this path"))?;
    let mut chars = name.chars();
    let starts = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if !starts || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        return Err(format!(
            "{shown}: `{name}` is not a crate name (a letter or `_`, then letters, digits, `_` and `-`)"
        ));
    }
    Ok(name.to_owned())
}

/// A TOML basic string of `text`.
fn toml_string(text: &str) -> String {
    let mut out = String::from('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The crate's `Cargo.toml`.
fn manifest(name: &str, adder: &Path) -> String {
    format!(
        "[package]\nname = {}\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n# The compiler and its verifier, by path until `adder` is published; without\n# its default `board` feature, which compiles the board's models too.\nadder = {{ path = {}, default-features = false, features = [\"std\"] }}\nindicatif = \"0.18\"\n\n# A workspace of its own: the crate builds wherever it is made.\n[workspace]\n",
        toml_string(name),
        toml_string(&adder.display().to_string()),
    )
}

/// An I/O error on `what`, naming it.
fn io(what: &Path) -> impl Fn(std::io::Error) -> String + '_ {
    move |e| format!("{}: {e}", what.display())
}

/// Writes the crate at `path`: the spec, which names its weights `file`,
/// and those weights, `weights` (a safetensors file's bytes).
///
/// # Errors
///
/// If `path` exists, is not a crate name, or cannot be written; if the
/// `adder` crate is not at `adder`.
pub fn write(
    path: &Path,
    file: &str,
    weights: &[u8],
    spec: &str,
    adder: &Path,
) -> Result<(), String> {
    let name = package_name(path)?;
    let shown = path.display();
    if path.exists() {
        return Err(format!(
            "{shown}: already exists; `adder new` makes a new crate"
        ));
    }
    let adder = adder
        .canonicalize()
        .ok()
        .filter(|adder| adder.join("Cargo.toml").is_file())
        .ok_or_else(|| {
            format!(
                "{}: no `adder` crate there; give its path with --adder",
                adder.display()
            )
        })?;
    let main = MAIN.replace("@NAME@", &name).replace("@WEIGHTS@", file);
    let src = path.join("src");
    std::fs::create_dir_all(&src).map_err(io(&src))?;
    let files = [
        (
            path.join("Cargo.toml"),
            manifest(&name, &adder).into_bytes(),
        ),
        (path.join("model.spec"), spec.as_bytes().to_vec()),
        (path.join(file), weights.to_vec()),
        (path.join(".gitignore"), b"/target\n".to_vec()),
        (src.join("main.rs"), main.into_bytes()),
    ];
    for (file, bytes) in files {
        std::fs::write(&file, bytes).map_err(io(&file))?;
    }
    Ok(())
}
