//! The macro's compile errors, each on its token (`tests/ui/*.rs` with the
//! expected `.stderr`), and specs that compile (`tests/pass/*.rs`). Refresh
//! the `.stderr` files with `TRYBUILD=overwrite cargo test --test compiletest`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
    t.pass("tests/pass/*.rs");
}
