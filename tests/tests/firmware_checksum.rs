//! The firmware's suite run on the host: the checksum of every logit, of
//! `adder58` and of the Qwen3 model `qwen3_228`, is the one the Cortex-M4F
//! (hardware float) and the Cortex-M0 (soft float) compute under QEMU (`tests/firmware`, run by `.ci/run`), so the answers are the
//! same bit for bit on all three.

#[path = "../firmware/src/suite.rs"]
mod suite;

#[test]
fn the_host_computes_the_devices_checksum() {
    let (checksum, wrong) = suite::run();
    assert_eq!(wrong, 0);
    assert_eq!(checksum, suite::CHECKSUM, "host checksum {checksum:#010x}");
    let (checksum, wrong) = suite::run_qwen();
    assert_eq!(wrong, 0);
    assert_eq!(
        checksum,
        suite::QWEN_CHECKSUM,
        "host checksum {checksum:#010x}"
    );
}
