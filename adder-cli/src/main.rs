//! `adder`: from a board entrant's checkpoint to a spec the `adder-macros`
//! compiler reads.
//!
//! `adder spec --weights M.safetensors [--config config.json] [--format
//! f24]` prints the spec: the architecture recognised from the tensors'
//! names and shapes, the hyperparameters shapes cannot give from a HF-style
//! `config.json`, and an error naming the file and tensor for whatever it
//! cannot infer, never a guess.

mod checkpoint;
mod config;
mod format;
mod qwen3;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    /// Prints a spec for a checkpoint (Qwen3, as HF transformers and
    /// `mlx_lm` name its tensors).
    Spec {
        /// The checkpoint (safetensors).
        #[arg(long)]
        weights: PathBuf,
        /// Its HF-style config (`rope_theta`, `rms_norm_eps`, and widths to
        /// check the tensors against).
        #[arg(long)]
        config: Option<PathBuf>,
        /// How the model is prompted (a checkpoint cannot say).
        #[arg(long, value_enum)]
        format: Format,
    },
}

/// The spec of `weights`, or every reason there is none.
fn spec(
    weights: &std::path::Path,
    config: Option<&std::path::Path>,
    format: Format,
) -> Result<String, Vec<String>> {
    let checkpoint = Checkpoint::read(weights).map_err(|e| vec![e])?;
    let config = match config {
        Some(path) => Config::read(path).map_err(|e| vec![e])?,
        None => Config::default(),
    };
    if !qwen3::recognises(&checkpoint) {
        let names: Vec<&str> = checkpoint.tensors.keys().map(String::as_str).collect();
        return Err(vec![format!(
            "{}: no architecture the compiler knows names its tensors so ({}); known: Qwen3 (`model.embed_tokens.weight`, `model.layers.N.self_attn.q_norm.weight`, ..)",
            checkpoint.path,
            names.join(", ")
        )]);
    }
    let file = weights
        .file_name()
        .map_or_else(String::new, |name| name.to_string_lossy().into_owned());
    qwen3::spec(&checkpoint, &config, format, &file)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Spec {
            weights,
            config,
            format,
        } => match spec(&weights, config.as_deref(), format) {
            Ok(spec) => {
                print!("{spec}");
                ExitCode::SUCCESS
            }
            Err(errors) => {
                for error in errors {
                    eprintln!("error: {error}");
                }
                ExitCode::from(2)
            }
        },
    }
}
