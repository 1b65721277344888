//! The firmware's suite run on the host: the checksum of every logit is the
//! one the Cortex-M4F (hardware float) and the Cortex-M0 (soft float) compute
//! under QEMU (`tests/firmware`, run by `.ci/run`), so the answers are the
//! same bit for bit on all three.

#[path = "../firmware/src/suite.rs"]
mod suite;

#[test]
fn the_host_computes_the_devices_checksum() {
    let (checksum, wrong) = suite::run();
    assert_eq!(wrong, 0);
    assert_eq!(checksum, suite::CHECKSUM, "host checksum {checksum:#010x}");
}
