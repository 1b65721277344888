//! Runs `N` additions (distinct pseudo-random pairs) and prints their sum,
//! for counting instructions and branch mispredictions per addition, which
//! stay put on a noisy machine:
//!
//! ```sh
//! cargo build --release -p adder --example adds
//! for n in 0 10000; do valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/adds $n 2>&1 | grep Collected; done
//! for n in 0 10000; do valgrind --tool=cachegrind --cache-sim=no --branch-sim=yes \
//!     --cachegrind-out-file=/dev/null target/release/examples/adds $n 2>&1 | grep Mispredicts; done
//! ```
//!
//! (the difference of the two counts, divided by 10,000). With `lanes`
//! after the count, the same pairs go through `adder::add_lanes`,
//! `adder::LANES` at a time; with a model's name (`qwen3_228`; the board's
//! models need `--features board`), through that model's `add` or
//! `add_lanes` instead of `adder58`'s.

use std::hint::black_box;

/// A model's `add_lanes`.
type AddLanes = fn(&[u64; adder::LANES], &[u64; adder::LANES]) -> [u64; adder::LANES];

fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(10_000);
    let mut state = 0x853c_49e6_748f_ea9b_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % (adder::MAX_OPERAND + 1)
    };
    let rest: Vec<String> = std::env::args().skip(2).collect();
    let lanes = rest.iter().any(|arg| arg == "lanes");
    let (add, add_lanes): (fn(u64, u64) -> u64, AddLanes) =
        match rest.iter().find(|arg| *arg != "lanes") {
            None => (adder::add, adder::add_lanes),
            Some(name) => {
                let Some(model) = adder::models::ALL.iter().find(|m| m.name == name) else {
                    eprintln!("adds: no model named {name}");
                    std::process::exit(2);
                };
                (model.add, model.add_lanes)
            }
        };
    let mut total = 0u64;
    if lanes {
        for _ in 0..n / adder::LANES as u64 {
            let mut a = [0; adder::LANES];
            let mut b = [0; adder::LANES];
            for lane in 0..adder::LANES {
                (a[lane], b[lane]) = (next(), next());
            }
            let sums = add_lanes(black_box(&a), black_box(&b));
            total = sums.iter().fold(total, |t, &s| t.wrapping_add(s));
        }
    } else {
        for _ in 0..n {
            let (a, b) = (next(), next());
            total = total.wrapping_add(add(black_box(a), black_box(b)));
        }
    }
    println!("{total}");
}
