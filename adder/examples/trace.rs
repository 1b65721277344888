//! Watch the network add: for each of the 11 steps, where each head looks
//! and with what weight, the residual stream, the MLP's hidden units, the
//! logits and the digit written.
//!
//! `cargo run -p adder --example trace -- 4192983756 8790005680 [--model seed58]`

use std::process::ExitCode;

use adder::models::{adder58, seed58};
use adder::tokens::Position;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut model = "adder58".to_owned();
    if let Some(at) = args.iter().position(|arg| arg == "--model") {
        if at + 1 >= args.len() {
            eprintln!("trace: --model needs a name: adder58 or seed58");
            return ExitCode::from(2);
        }
        model = args.remove(at + 1);
        args.remove(at);
    }
    let operands: Vec<Option<u64>> = args
        .iter()
        .map(|arg| arg.parse().ok().filter(|n| *n <= adder::MAX_OPERAND))
        .collect();
    let [Some(a), Some(b)] = operands.as_slice() else {
        eprintln!(
            "usage: trace A B [--model adder58|seed58]   (A, B from 0 to {})",
            adder::MAX_OPERAND
        );
        return ExitCode::from(2);
    };
    let trace = match model.as_str() {
        "adder58" => adder58::trace(*a, *b),
        "seed58" => seed58::trace(*a, *b),
        other => {
            eprintln!("trace: unknown model `{other}`; expected adder58 or seed58");
            return ExitCode::from(2);
        }
    };
    print!("{}", render(&model, &trace));
    ExitCode::SUCCESS
}

fn row(values: &[f32]) -> String {
    use std::fmt::Write;
    values.iter().fold(String::new(), |mut out, v| {
        let _ = write!(out, "{v:>10.3}");
        out
    })
}

fn render(model: &str, trace: &adder58::Trace) -> String {
    use std::fmt::Write;
    let (a, b) = (trace.a, trace.b);
    let truth = a + b;
    let tokens = adder::tokens::prompt(a, b);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{a} + {b} with {model}: positions 0-21 hold a (a9..a0), +, b (b9..b0), ="
    );
    for (k, step) in trace.steps.iter().enumerate() {
        let expected = adder::tokens::encode(truth)[k];
        let digit = trace.digits[k];
        let verdict = if digit == expected {
            "ok".to_owned()
        } else {
            format!("WRONG, should be {expected}")
        };
        let _ = writeln!(out, "\nstep {k:>2}: writes s{k} = {digit}   {verdict}");
        for (h, weights) in step.attention.iter().enumerate() {
            let reads: Vec<String> = weights
                .iter()
                .enumerate()
                .filter(|(_, w)| **w > 0.0)
                .map(|(p, w)| {
                    let token = if p < 22 {
                        tokens[p]
                    } else {
                        trace.digits[p - 22]
                    };
                    format!("{}:{token} (pos {p}) x {w:.3}", Position::of(p))
                })
                .collect();
            let _ = writeln!(out, "  head {h} reads   {}", reads.join(",  "));
        }
        let _ = writeln!(out, "  residual      {}", row(&step.residual));
        let _ = writeln!(out, "  after attn    {}", row(&step.after_attention));
        let _ = writeln!(out, "  hidden        {}", row(&step.hidden));
        let _ = writeln!(out, "  after MLP     {}", row(&step.after_mlp));
        let _ = writeln!(out, "  logits 0-9    {}", row(&step.logits));
    }
    let sum = trace.sum();
    let _ = writeln!(
        out,
        "\n{a} + {b} = {truth}; {model} wrote {sum}: {}",
        if sum == truth { "right" } else { "WRONG" }
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trace_shows_where_seed58_goes_wrong() {
        let (a, b) = (4_192_983_756, 8_790_005_680);
        let fixed = render("adder58", &adder58::trace(a, b));
        let seed = render("seed58", &seed58::trace(a, b));
        assert!(fixed.contains("adder58 wrote 12982989436: right"));
        assert!(!fixed.contains("WRONG"));
        assert!(
            seed.contains("step  5: writes s5 = 7   WRONG, should be 9"),
            "{seed}"
        );
        assert!(seed.contains("seed58 wrote 12983789436: WRONG"));
        // Step 0 reads the last digits of a and b, half each.
        assert!(
            fixed.contains("head 0 reads   a0:6 (pos 9) x 0.500,  b0:0 (pos 20) x 0.500"),
            "{fixed}"
        );
    }

    #[test]
    fn the_trace_is_the_forward_pass_of_add() {
        let trace = seed58::trace(9_000, 0);
        assert_eq!(trace.sum(), seed58::add(9_000, 0));
        assert_eq!(trace.digits, seed58::digits(9_000, 0));
        assert_eq!(adder58::trace(9_000, 0).sum(), 9_000);
    }
}
