//! `@NAME@`: `@WEIGHTS@` compiled to plain Rust by `adder` (the spec is
//! `model.spec`), with the board's check and a verdict over all 10^20
//! operand pairs.
//!
//! `cargo run --release` prints the check, the verdict and the certified
//! accuracy, and the trace of the first wrong pair where there is one.
//! `cargo expand` shows the code the spec became.

use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use adder::models::Named;
use adder::verdict::Verdict;
use indicatif::{ProgressBar, ProgressStyle};

adder::model! {
    /// The checkpoint, compiled: `model::add`, `model::trace`, ..
    pub mod model = "model.spec";
}

/// The model as `adder::verdict` takes it.
const MODEL: Named = Named {
    name: "@NAME@",
    params: model::PARAM_COUNT,
    add: model::add,
    checked_add: model::checked_add,
    add_lanes: model::add_lanes,
    checked_add_lanes: model::checked_add_lanes,
    architecture: model::ARCHITECTURE,
    prove: model::prove,
    bounds: model::bounds,
};

/// The verdict, with a progress bar on stderr while the verifier runs.
fn verdict() -> Verdict {
    let bar = ProgressBar::new(adder::bounds::JOBS as u64);
    if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} jobs, {elapsed}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    let finished = AtomicBool::new(false);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            while !finished.load(Ordering::Relaxed) {
                let now = adder::bounds::progress();
                bar.set_message(if now.pass == 0 {
                    "verifier: every state"
                } else {
                    "verifier: the open states, split"
                });
                bar.set_position(now.done as u64);
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        let verdict = adder::verdict::verdict(&MODEL);
        finished.store(true, Ordering::Relaxed);
        bar.finish_and_clear();
        verdict
    })
}

/// The check, the verdict and the first wrong pair's trace, on `out`.
fn report(out: &mut impl Write) -> io::Result<()> {
    writeln!(
        out,
        "{}: {} parameters; {}",
        MODEL.name,
        model::PARAM_COUNT,
        model::ARCHITECTURE
    )?;
    let pairs: Vec<(u64, u64)> = adder::board::pairs().collect();
    let wrong: Vec<(u64, u64, Option<u64>)> = pairs
        .iter()
        .map(|&(a, b)| (a, b, model::checked_add(a, b)))
        .filter(|&(a, b, sum)| sum != Some(a + b))
        .collect();
    writeln!(
        out,
        "board check: {}/{}",
        pairs.len() - wrong.len(),
        pairs.len()
    )?;
    for (a, b, sum) in wrong.iter().take(10) {
        match sum {
            Some(sum) => writeln!(out, "  wrong: {a} + {b} = {}, the model says {sum}", a + b)?,
            None => writeln!(
                out,
                "  wrong: {a} + {b} = {}, the model writes a token that is not a digit",
                a + b
            )?,
        }
    }
    out.flush()?;
    let verdict = verdict();
    writeln!(out, "verdict: {verdict}")?;
    writeln!(out, "certified accuracy: {}", verdict.certified())?;
    if let Verdict::Refuted { a, b, .. } = verdict {
        writeln!(out, "\nthe first wrong pair, step by step:\n")?;
        write!(
            out,
            "{}",
            model::trace(a, b).show(MODEL.name, &model::FORMAT)
        )?;
    }
    Ok(())
}

fn main() -> ExitCode {
    match report(&mut io::stdout().lock()) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
