// An operand out of range in a const item is a compile error.

const SUM: u64 = adder::add(10_000_000_000, 1);

fn main() {
    let _ = SUM;
}
