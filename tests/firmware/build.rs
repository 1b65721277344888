//! Puts the memory map of the board the target runs on where `cortex-m-rt`'s
//! linker script finds it, and names the model `flash_with_adder` calls.

use std::path::PathBuf;

fn main() {
    let target = std::env::var("TARGET").unwrap_or_default();
    // QEMU's mps2-an386 (Cortex-M4F): 4 MiB of code SRAM, 4 MiB of data SRAM.
    // QEMU's microbit (nRF51, Cortex-M0): 256 KiB flash, 16 KiB RAM.
    let memory = if target.starts_with("thumbv6m") {
        "MEMORY { FLASH : ORIGIN = 0x00000000, LENGTH = 256K\n RAM : ORIGIN = 0x20000000, LENGTH = 16K }\n"
    } else {
        "MEMORY { FLASH : ORIGIN = 0x00000000, LENGTH = 4M\n RAM : ORIGIN = 0x20000000, LENGTH = 4M }\n"
    };
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("memory.x"), memory).expect("OUT_DIR is writable");
    println!("cargo:rustc-link-search={}", out.display());
    println!("cargo:rerun-if-changed=build.rs");
    // Which model `flash_with_adder` calls: `ADDER_MODEL`, a module of
    // `adder::models` (`adder58` without it), for the family table.
    let model = std::env::var("ADDER_MODEL").unwrap_or_else(|_| "adder58".to_owned());
    assert!(
        !model.is_empty() && model.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
        "ADDER_MODEL must name a module of adder::models, not `{model}`"
    );
    std::fs::write(
        out.join("model.rs"),
        format!("use adder::models::{model} as model;\n"),
    )
    .expect("OUT_DIR is writable");
    println!("cargo:rerun-if-env-changed=ADDER_MODEL");
}
