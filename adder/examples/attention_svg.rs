//! Draws the attention of every step as a heat map over the positions, with
//! the digits each model writes: `adder/attention.svg` in the README.
//!
//! `cargo run -p adder --example attention_svg -- 4192983756 8790005680 > adder/attention.svg`
//!
//! The weights are the same for both models and every prompt (the proof
//! checks it); the digits are not: `seed58`'s wrong ones are red.

use std::fmt::Write;
use std::process::ExitCode;

use adder::models::{adder58, seed58};
use adder::tokens::Position;

const CELL: usize = 18;
const LEFT: usize = 60;
const TOP: usize = 70;
const GAP: usize = 30;
const POSITIONS: usize = 33;
const STEPS: usize = 11;

fn main() -> ExitCode {
    let operands: Vec<Option<u64>> = std::env::args()
        .skip(1)
        .map(|arg| arg.parse().ok().filter(|n| *n <= adder::MAX_OPERAND))
        .collect();
    let (a, b) = match operands.as_slice() {
        [] => (4_192_983_756, 8_790_005_680),
        [Some(a), Some(b)] => (*a, *b),
        _ => {
            eprintln!(
                "usage: attention_svg [A B]   (A, B from 0 to {})",
                adder::MAX_OPERAND
            );
            return ExitCode::from(2);
        }
    };
    print!("{}", svg(a, b));
    ExitCode::SUCCESS
}

fn svg(a: u64, b: u64) -> String {
    let fixed = adder58::trace(a, b);
    let seed = seed58::trace(a, b);
    let truth = a + b;
    let panel = POSITIONS * CELL;
    let width = LEFT + 2 * panel + GAP + 150;
    let height = TOP + STEPS * CELL + 60;
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
    for head in 0..2 {
        let x0 = LEFT + head * (panel + GAP);
        let _ = writeln!(
            out,
            r#"<text x="{x0}" y="38" font-size="12">head {head}</text>"#
        );
        for position in 0..POSITIONS {
            let x = x0 + position * CELL + CELL / 2;
            let _ = writeln!(
                out,
                r#"<text x="{x}" y="{}" text-anchor="middle" font-size="8">{}</text>"#,
                TOP - 6,
                Position::of(position)
            );
        }
        for (k, step) in fixed.steps.iter().enumerate() {
            let y = TOP + k * CELL;
            for position in 0..POSITIONS {
                let weight = step.attention[head][position];
                let x = x0 + position * CELL;
                let _ = writeln!(
                    out,
                    r##"<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="#1f4e9c" fill-opacity="{:.3}" stroke="#ddd"/>"##,
                    (2.0 * weight).min(1.0)
                );
            }
        }
    }
    for k in 0..STEPS {
        let y = TOP + k * CELL + CELL - 5;
        let _ = writeln!(out, r#"<text x="8" y="{y}">step {k}</text>"#);
    }
    let x_digits = LEFT + 2 * panel + GAP + 20;
    let _ = writeln!(
        out,
        r#"<text x="{x_digits}" y="{}" font-size="9">adder58 seed58</text>"#,
        TOP - 6
    );
    for k in 0..STEPS {
        let y = TOP + k * CELL + CELL - 5;
        let expected = adder::tokens::encode(truth)[k];
        for (column, digit) in [fixed.digits[k], seed.digits[k]].into_iter().enumerate() {
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
    let y = TOP + STEPS * CELL + 25;
    let _ = writeln!(
        out,
        r#"<text x="{LEFT}" y="{y}" font-size="11">Positions: a (a9..a0), +, b (b9..b0), =, then the sum's digits s0.. as written. Darker: more weight (0.5 is full). adder58 writes {}; seed58 writes {} (wrong digits in red).</text>"#,
        fixed.sum(),
        seed.sum()
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
}
