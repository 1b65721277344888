#!/usr/bin/env bash
# The README's family table: flash of each model's `add` on the Cortex-M4F
# (as flash.sh measures it), then parameters, proof, margin and speed from
# `cargo run --release -p adder --example family`.
set -euo pipefail
cd "$(dirname "$0")"
source ./flash.sh --functions-only

target=thumbv7em-none-eabihf
cargo build --quiet --release --target "$target" --bin flash_without_adder
without=$(bytes "target/$target/release/flash_without_adder")
flash=()
for model in adder58 wide58 adder66 dense130 seed58 qwen3_228; do
    features=()
    [ "$model" = adder58 ] || features=(--features "$model")
    cargo build --quiet --release --target "$target" --bin flash_with_adder "${features[@]}"
    flash+=("$model=$(($(bytes "target/$target/release/flash_with_adder") - without))")
done
cd ../..
cargo run --quiet --release -p adder --example family -- "${flash[@]}"
