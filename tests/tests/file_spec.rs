//! A spec read from a file, by a crate other than `adder`: the path is
//! relative to this crate's manifest, and the model is the same as the one
//! `adder` compiles from the same file.

adder::model! {
    /// `adder58`, compiled again from its spec file.
    mod again = "../adder/specs/adder58.spec";
}

#[test]
fn a_file_spec_compiles_to_the_same_model() {
    assert_eq!(again::PARAM_COUNT, 58);
    assert_eq!(again::MLP_FC_BIAS, adder::models::adder58::MLP_FC_BIAS);
    assert_eq!(again::POSITIONS, adder::models::adder58::POSITIONS);
    for (a, b) in [(4_192_983_756, 8_790_005_680), (9_999_999_999, 1), (0, 0)] {
        assert_eq!(again::add(a, b), a + b);
        let tokens = adder::tokens::prompt(a, b);
        assert_eq!(
            again::logits(&tokens).map(f32::to_bits),
            adder::models::adder58::logits(&tokens).map(f32::to_bits)
        );
    }
}
