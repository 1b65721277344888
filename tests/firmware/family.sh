#!/usr/bin/env bash
# The README's family table: flash of each model's `add` on the Cortex-M4F
# (as flash.sh measures it), then parameters, proof, margin and speed from
# `cargo run --release -p adder --example family`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
source ./flash.sh --functions-only

target=thumbv7em-none-eabihf
cargo build --quiet --release --target "$target" --bin flash_without_adder
without=$(bytes "target/$target/release/flash_without_adder")
flash=()
# Every model of adder::models::ALL, by name.
models=$(cd ../.. && cargo run --quiet --release -p adder --example family -- --names)
for model in $models; do
    ADDER_MODEL=$model cargo build --quiet --release --target "$target" --bin flash_with_adder
    flash+=("$model=$(($(bytes "target/$target/release/flash_with_adder") - without))")
done
cd ../..
cargo run --quiet --release -p adder --example family -- "${flash[@]}"
