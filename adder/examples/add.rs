//! Adds two numbers of up to ten digits with the default network.
//!
//! `cargo run -p adder --example add -- 1234567890 987654321` prints
//! `2222222211`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [a, b] = args.as_slice() else {
        eprintln!("usage: add A B   (each from 0 to {})", adder::MAX_OPERAND);
        return ExitCode::from(2);
    };
    let (Some(a), Some(b)) = (operand(a), operand(b)) else {
        return ExitCode::from(2);
    };
    if let Some(sum) = adder::checked_add(a, b) {
        println!("{sum}");
        ExitCode::SUCCESS
    } else {
        eprintln!("add: operands must be at most {}", adder::MAX_OPERAND);
        ExitCode::from(2)
    }
}

fn operand(text: &str) -> Option<u64> {
    match text.parse::<u64>() {
        Ok(value) if value <= adder::MAX_OPERAND => Some(value),
        Ok(_) | Err(_) => {
            eprintln!(
                "add: `{text}` is not a number from 0 to {}",
                adder::MAX_OPERAND
            );
            None
        }
    }
}
