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
    /// The checkpoint: safetensors, or a PyTorch `.pt` (its tensors
    /// `float32`).
    #[arg(long)]
    weights: PathBuf,
    /// Its HF-style config (`rope_theta`, `rms_norm_eps`, the heads, and
    /// widths to check the tensors against); by default, the config a
    /// PyTorch checkpoint saves beside its weights.
    #[arg(long)]
    config: Option<PathBuf>,
    /// How the model is prompted (a checkpoint cannot say).
    #[arg(long, value_enum)]
    format: Format,
}

/// A spec, and the checkpoint it was written for.
struct Written {
    spec: String,
    checkpoint: Checkpoint,
    /// The weight file the spec names: the checkpoint's, as safetensors.
    file: String,
}

/// The spec of `source`'s checkpoint, or every reason there is none.
fn spec(source: &Source) -> Result<Written, Vec<String>> {
    let checkpoint = Checkpoint::read(&source.weights).map_err(|e| vec![e])?;
    let config = match (&source.config, &checkpoint.config) {
        (Some(path), _) => Config::read(path).map_err(|e| vec![e])?,
        (None, Some(saved)) => Config::of(saved, format!("{} (its saved config)", checkpoint.path))
            .map_err(|e| vec![e])?,
        (None, None) => Config::default(),
    };
    let stem = source.weights.file_stem().map_or_else(
        || "model".to_owned(),
        |stem| stem.to_string_lossy().into_owned(),
    );
    let file = format!("{stem}.safetensors");
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
        Some(config) => format!(
            "{} and {}",
            display_name(&source.weights),
            display_name(config)
        ),
        None => display_name(&source.weights),
    };
    Ok(Written {
        spec: format!("// Written by `adder spec` from {from}.\n\n{body}"),
        checkpoint,
        file,
    })
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

/// A tied head the file saves again: the spec reads the embedding, and
/// the compiler wants every tensor of its weight file read.
const TIED_HEAD: &str = "lm_head.weight";

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Spec(source) => match spec(&source) {
            Ok(written) => {
                print!("{}", written.spec);
                let copied = source.weights.file_name() == Some(written.file.as_ref());
                if !copied || written.checkpoint.tensors.contains_key(TIED_HEAD) {
                    eprintln!(
                        "note: the spec reads `{}`, the checkpoint's tensors as safetensors without a tied `{TIED_HEAD}`: `adder new` writes it",
                        written.file
                    );
                }
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
            let made = spec(&source).and_then(|written| {
                let weights = written
                    .checkpoint
                    .safetensors(&[TIED_HEAD])
                    .map_err(|e| vec![e])?;
                new::write(&name, &written.file, &weights, &written.spec, &adder)
                    .map_err(|e| vec![e])
            });
            match made {
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
