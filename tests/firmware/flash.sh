#!/usr/bin/env bash
# Flash the adder costs on each target: .text + .rodata of a firmware that
# calls `adder::add`, minus those of the same firmware without the call.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

bytes() {
    local total=0
    # Section rows: [Nr] Name Type Addr Off Size ..; "[ 2]" splits in two fields.
    for hex in $(readelf -SW "$1" | awk '{ for (i = 1; i <= NF; i++) if ($i == ".text" || $i == ".rodata") print $(i + 4) }'); do
        total=$((total + 16#$hex))
    done
    echo "$total"
}

# `source flash.sh --functions-only` takes the function alone.
[ "${1:-}" = --functions-only ] && return 0

for target in thumbv7em-none-eabihf thumbv6m-none-eabi; do
    ADDER_MODEL=adder58 cargo build --quiet --release --target "$target" --bin flash_with_adder --bin flash_without_adder
    with=$(bytes "target/$target/release/flash_with_adder")
    without=$(bytes "target/$target/release/flash_without_adder")
    echo "$target: flash of adder::add = $((with - without)) bytes (.text + .rodata: $with with, $without without)"
    ADDER_MODEL=qwen3_228 cargo build --quiet --release --target "$target" --bin flash_with_adder
    with=$(bytes "target/$target/release/flash_with_adder")
    echo "$target: flash of qwen3_228::add = $((with - without)) bytes"
done
