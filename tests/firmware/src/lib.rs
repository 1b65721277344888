//! What the firmware checks, shared with the host test that proves the
//! checksum is the same on x86-64 (`tests/tests/firmware_checksum.rs`).
#![no_std]

#[path = "suite.rs"]
pub mod suite;

/// Ends the run: QEMU exits with success or failure through semihosting.
pub fn exit(success: bool) -> ! {
    use cortex_m_semihosting::debug;
    debug::exit(if success {
        debug::EXIT_SUCCESS
    } else {
        debug::EXIT_FAILURE
    });
    // Semihosting's exit does not return under QEMU; on a board without a
    // debugger attached, wait.
    loop {
        cortex_m::asm::wfi();
    }
}
