//! `adder`: from a board entrant's checkpoint to a spec the `adder-macros`
//! compiler reads, and to a crate that checks and proves it.
//!
//! `adder spec --weights M.safetensors [--config config.json] --format f24`
//! prints the spec: the architecture recognised from the tensors' names
//! and shapes, the hyperparameters shapes cannot give from a HF-style
//! `config.json`, and an error naming the file and tensor for whatever it
//! cannot infer, never a guess. `adder new NAME ..` writes a crate at
//! `NAME` whose `cargo run --release` runs the board's check and the
//! verdict over all 10^20 pairs.

mod checkpoint;
mod config;
mod format;
mod lowrank;
mod new;
mod qwen3;
mod reader;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use checkpoint::Checkpoint;
use config::Config;
use format::Format;

/// Compiles tiny transformers to plain Rust: the command line.
#[derive(Parser)]
#[command(name = "adder", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Prints a spec for a checkpoint: Qwen3 (as HF transformers and
    /// `mlx_lm` name its tensors) or the board's low-rank GPTs.
    Spec(Source),
    /// Writes a crate at NAME that runs the board's check and the verdict
    /// over all 10^20 pairs: `cd NAME && cargo run --release`.
    New {
        /// The crate's path; its last component names it.
        name: PathBuf,
        #[command(flatten)]
        source: Source,
        /// The `adder` crate to depend on (by default, this workspace's).
        #[arg(long)]
        adder: Option<PathBuf>,
    },
}

/// A checkpoint and what it cannot say about itself.
#[derive(Args)]
struct Source {
    /// The checkpoint (safetensors, `float32`).
    #[arg(long)]
    weights: PathBuf,
    /// Its HF-style config (`rope_theta`, `rms_norm_eps`, the heads, and
    /// widths to check the tensors against).
    #[arg(long)]
    config: Option<PathBuf>,
    /// How the model is prompted (a checkpoint cannot say).
    #[arg(long, value_enum)]
    format: Format,
}

/// The spec of `source`'s checkpoint, or every reason there is none.
fn spec(source: &Source) -> Result<String, Vec<String>> {
    let checkpoint = Checkpoint::read(&source.weights).map_err(|e| vec![e])?;
    let config = match &source.config {
        Some(path) => Config::read(path).map_err(|e| vec![e])?,
        None => Config::default(),
    };
    let file = source
        .weights
        .file_name()
        .map_or_else(String::new, |name| name.to_string_lossy().into_owned());
    let body = if qwen3::recognises(&checkpoint) {
        qwen3::spec(&checkpoint, &config, source.format, &file)?
    } else if lowrank::recognises(&checkpoint) {
        lowrank::spec(&checkpoint, &config, source.format, &file)?
    } else {
        let names: Vec<&str> = checkpoint.tensors.keys().map(String::as_str).collect();
        return Err(vec![format!(
            "{}: no architecture the compiler knows names its tensors so ({}); known: Qwen3 (`model.embed_tokens.weight`, `model.layers.N.self_attn.q_norm.weight`, ..), the low-rank GPTs (`token_emb.weight`, `blocks.N.attn.*`, ..)",
            checkpoint.path,
            names.join(", ")
        )]);
    };
    let from = match &source.config {
        Some(config) => format!("{file} and {}", display_name(config)),
        None => file,
    };
    Ok(format!("// Written by `adder spec` from {from}.\n\n{body}"))
}

/// A path's file name, for a comment.
fn display_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    )
}

/// Each error on stderr, and the exit code of bad input.
fn fail(errors: Vec<String>) -> ExitCode {
    for error in errors {
        eprintln!("error: {error}");
    }
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Spec(source) => match spec(&source) {
            Ok(spec) => {
                print!("{spec}");
                ExitCode::SUCCESS
            }
            Err(errors) => fail(errors),
        },
        Command::New {
            name,
            source,
            adder,
        } => {
            let adder = adder.unwrap_or_else(new::default_adder);
            match spec(&source).and_then(|spec| {
                new::write(&name, &source.weights, &spec, &adder).map_err(|e| vec![e])
            }) {
                Ok(()) => {
                    println!(
                        "wrote {0}: `cd {0} && cargo run --release` runs the board's check and the verdict",
                        name.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(errors) => fail(errors),
            }
        }
    }
}
