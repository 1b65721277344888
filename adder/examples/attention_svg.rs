//! Draws the attention of every step as a heat map over the positions, with
//! the digits each model writes: `adder/attention.svg` in the README.
//!
//! `cargo run -p adder --example attention_svg -- 4192983756 8790005680 > adder/attention.svg`
//! draws `adder58`'s heads beside the digits of `adder58` and `seed58`;
//! `--model NAME` draws any model of `adder::models::ALL`, in its own prompt
//! format.
//!
//! For the seed's models the weights are the same for every prompt (the
//! proof checks it); the digits are not: wrong ones are red.

use std::fmt::Write;
use std::process::ExitCode;

use adder::models::{adder58, seed58};
use adder::tokens::{Format, OUTPUT_DIGITS};
use adder::{Float, Trace, with_model};

const CELL: usize = 18;
const LEFT: usize = 60;
const TOP: usize = 70;
const GAP: usize = 30;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut model = None;
    if let Some(at) = args.iter().position(|arg| arg == "--model") {
        if at + 1 >= args.len() {
            eprintln!("attention_svg: --model needs a name, such as qwen3_228");
            return ExitCode::from(2);
        }
        model = Some(args.remove(at + 1));
        args.remove(at);
    }
    let operands: Vec<Option<u64>> = args
        .iter()
        .map(|arg| arg.parse().ok().filter(|n| *n <= adder::MAX_OPERAND))
        .collect();
    let (a, b) = match operands.as_slice() {
        [] => (4_192_983_756, 8_790_005_680),
        [Some(a), Some(b)] => (*a, *b),
        _ => {
            eprintln!(
                "usage: attention_svg [A B] [--model NAME]   (A, B from 0 to {})",
                adder::MAX_OPERAND
            );
            return ExitCode::from(2);
        }
    };
    let Some(name) = model else {
        print!("{}", svg(a, b));
        return ExitCode::SUCCESS;
    };
    let drawn = with_model!(name.as_str(), m => {
        let trace = m::trace(a, b);
        draw(&m::FORMAT, &trace, &[(name.as_str(), trace.digits, trace.sum())])
    });
    let Some(drawn) = drawn else {
        let names: Vec<&str> = adder::models::ALL.iter().map(|m| m.name).collect();
        eprintln!(
            "attention_svg: unknown model `{name}`; expected one of: {}",
            names.join(", ")
        );
        return ExitCode::from(2);
    };
    print!("{drawn}");
    ExitCode::SUCCESS
}

/// The README's picture: `adder58`'s heads, and the digits of both seed
/// models.
fn svg(a: u64, b: u64) -> String {
    let fixed = adder58::trace(a, b);
    let seed = seed58::trace(a, b);
    draw(
        &adder58::FORMAT,
        &fixed,
        &[
            ("adder58", fixed.digits, fixed.sum()),
            ("seed58", seed.digits, seed.sum()),
        ],
    )
}

/// A panel per head of `trace`'s attention over the prompt and the first
/// ten written digits, and a column of digits per model of `writers`
/// (name, digits, sum), wrong ones red.
fn draw<
    const E: usize,
    const H: usize,
    const T: usize,
    const M: usize,
    const V: usize,
    F: Float,
>(
    format: &Format,
    trace: &Trace<E, H, T, M, V, F>,
    writers: &[(&str, [u8; OUTPUT_DIGITS], u64)],
) -> String {
    let (a, b) = (trace.a, trace.b);
    let truth = a + b;
    let positions = (format.prompt_len() + OUTPUT_DIGITS - 1).min(T);
    let panel = positions * CELL;
    let width = LEFT + H * (panel + GAP) + 45 * writers.len() + 60;
    let height = TOP + OUTPUT_DIGITS * CELL + 60;
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="monospace" font-size="10">"#
    );
    let _ = writeln!(
        out,
        r#"<rect width="{width}" height="{height}" fill="white"/>"#
    );
    let _ = writeln!(
        out,
        r#"<text x="{LEFT}" y="18" font-size="13">{a} + {b} = {truth}: attention of each step (row) over the positions (column)</text>"#
    );
    for head in 0..H {
        let x0 = LEFT + head * (panel + GAP);
        let _ = writeln!(
            out,
            r#"<text x="{x0}" y="38" font-size="12">head {head}</text>"#
        );
        for position in 0..positions {
            let x = x0 + position * CELL + CELL / 2;
            let _ = writeln!(
                out,
                r#"<text x="{x}" y="{}" text-anchor="middle" font-size="8">{}</text>"#,
                TOP - 6,
                format.position(position)
            );
        }
        for (k, step) in trace.steps.iter().enumerate() {
            let y = TOP + k * CELL;
            for position in 0..positions {
                let weight = step.attention[head][position].to_f64();
                let x = x0 + position * CELL;
                let _ = writeln!(
                    out,
                    r##"<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="#1f4e9c" fill-opacity="{:.3}" stroke="#ddd"/>"##,
                    (2.0 * weight).min(1.0)
                );
            }
        }
    }
    for k in 0..OUTPUT_DIGITS {
        let y = TOP + k * CELL + CELL - 5;
        let _ = writeln!(out, r#"<text x="8" y="{y}">step {k}</text>"#);
    }
    let x_digits = LEFT + H * (panel + GAP) - GAP + 20;
    let names: Vec<&str> = writers.iter().map(|(name, _, _)| *name).collect();
    let _ = writeln!(
        out,
        r#"<text x="{x_digits}" y="{}" font-size="9">{}</text>"#,
        TOP - 6,
        names.join(" ")
    );
    for k in 0..OUTPUT_DIGITS {
        let y = TOP + k * CELL + CELL - 5;
        let expected = adder::tokens::encode(truth)[k];
        for (column, (_, digits, _)) in writers.iter().enumerate() {
            let digit = digits[k];
            let colour = if digit == expected {
                "black"
            } else {
                "#c0392b"
            };
            let x = x_digits + 15 + column * 45;
            let _ = writeln!(
                out,
                r#"<text x="{x}" y="{y}" font-size="12" fill="{colour}">{digit}</text>"#
            );
        }
    }
    let y = TOP + OUTPUT_DIGITS * CELL + 25;
    let sums: Vec<String> = writers
        .iter()
        .map(|(name, _, sum)| format!("{name} writes {sum}"))
        .collect();
    let _ = writeln!(
        out,
        r#"<text x="{LEFT}" y="{y}" font-size="11">Positions: the prompt, then the sum's digits s0.. as written. Darker: more weight (0.5 is full). {} (wrong digits in red).</text>"#,
        sums.join("; ")
    );
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The picture in the README is what this command draws.
    #[test]
    fn the_checked_in_picture_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/attention.svg");
        let drawn = svg(4_192_983_756, 8_790_005_680);
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            std::fs::write(path, &drawn).unwrap();
        }
        let checked_in = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            checked_in == drawn,
            "adder/attention.svg is stale: `cargo run -p adder --example attention_svg > adder/attention.svg`"
        );
    }

    /// Every model draws, a panel per head over its own prompt.
    #[test]
    fn every_model_draws() {
        for model in adder::models::ALL {
            let drawn = with_model!(model.name, m => {
                let trace = m::trace(1, 2);
                (draw(&m::FORMAT, &trace, &[(model.name, trace.digits, trace.sum())]), m::N_HEAD)
            })
            .expect("a model of ALL");
            assert_eq!(drawn.0.matches(">head ").count(), drawn.1, "{}", model.name);
            assert!(drawn.0.ends_with("</svg>\n"));
        }
    }
}
