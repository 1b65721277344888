//! Watch the network add: for each of the 11 steps, where each head looks
//! and with what weight, the residual stream, the MLP's hidden units, the
//! logits and the digit written.
//!
//! `cargo run -p adder --example trace -- 4192983756 8790005680 [--model seed58]`
//! (any model of `adder::models::ALL`).

use std::process::ExitCode;

use adder::tokens::Format;
use adder::{Trace, with_model};

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut model = "adder58".to_owned();
    if let Some(at) = args.iter().position(|arg| arg == "--model") {
        if at + 1 >= args.len() {
            eprintln!("trace: --model needs a name, such as adder58 or qwen3_228");
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
            "usage: trace A B [--model NAME]   (A, B from 0 to {})",
            adder::MAX_OPERAND
        );
        return ExitCode::from(2);
    };
    let Some(text) =
        with_model!(model.as_str(), m => render(&model, &m::FORMAT, &m::trace(*a, *b)))
    else {
        let names: Vec<&str> = adder::models::ALL.iter().map(|m| m.name).collect();
        eprintln!(
            "trace: unknown model `{model}`; expected one of: {}",
            names.join(", ")
        );
        return ExitCode::from(2);
    };
    print!("{text}");
    ExitCode::SUCCESS
}

/// The trace of `a + b` by `model`, as text.
fn render<
    const E: usize,
    const H: usize,
    const T: usize,
    const M: usize,
    const V: usize,
    F: adder::Float,
>(
    model: &str,
    format: &Format,
    trace: &Trace<E, H, T, M, V, F>,
) -> String {
    trace.show(model, format).to_string()
}

#[cfg(test)]
mod tests {
    use adder::models::{adder58, seed58};

    use super::*;

    #[test]
    fn the_trace_shows_where_seed58_goes_wrong() {
        let (a, b) = (4_192_983_756, 8_790_005_680);
        let fixed = render("adder58", &adder58::FORMAT, &adder58::trace(a, b));
        let seed = render("seed58", &seed58::FORMAT, &seed58::trace(a, b));
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

    /// Every model traces, in its own format.
    #[test]
    fn every_model_traces() {
        for model in adder::models::ALL {
            let text = with_model!(model.name, m => render(model.name, &m::FORMAT, &m::trace(9_999_999_999, 1)))
                .expect("a model of ALL");
            let sum = (model.add)(9_999_999_999, 1);
            let verdict = if sum == 10_000_000_000 {
                "right"
            } else {
                "WRONG"
            };
            assert!(
                text.contains(&format!("{} wrote {sum}: {verdict}", model.name)),
                "{text}"
            );
        }
        #[cfg(feature = "board")]
        {
            use adder::models::qwen3_228;
            let text = render("qwen3_228", &qwen3_228::FORMAT, &qwen3_228::trace(1, 2));
            assert!(
                text.contains("positions 0-23 hold sep, a (a0..a9), sep, sep, b (b0..b9), sep"),
                "{text}"
            );
        }
    }

    #[test]
    fn the_trace_is_the_forward_pass_of_add() {
        let trace = seed58::trace(9_000, 0);
        assert_eq!(trace.sum(), seed58::add(9_000, 0));
        assert_eq!(trace.digits, seed58::digits(9_000, 0));
        assert_eq!(adder58::trace(9_000, 0).sum(), 9_000);
    }
}
