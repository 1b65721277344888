//! The compiled models, one module each, from the spec files in `specs/`.
//!
//! Each module has the same items: its parameters as `static`s,
//! `PARAM_COUNT`, `MAX_OPERAND`, the positional table, and the `const fn`s
//! [`add`](adder58::add), [`checked_add`](adder58::checked_add),
//! [`digits`](adder58::digits), [`logits`](adder58::logits) and
//! [`step`](adder58::step).

crate::model! {
    /// The seed's 58-parameter adder with its author's corrected wrap biases
    /// (-9045, -9055): the default model, behind [`crate::add`].
    pub mod adder58 = "specs/adder58.spec";
}

crate::model! {
    /// The seed's 58-parameter adder exactly as published, for fidelity.
    ///
    /// **It gets about 8 % of sums wrong**: when a digit sum is 9 with no
    /// carry, the positional sine leaks into the wrap neurons, a 9 comes out
    /// as a 5 and a false carry follows. Use [`adder58`] to add.
    ///
    /// ```
    /// use adder::models::{adder58, seed58};
    ///
    /// assert_eq!(seed58::add(4_192_983_756, 8_790_005_680), 12_983_789_436); // wrong
    /// assert_eq!(adder58::add(4_192_983_756, 8_790_005_680), 12_982_989_436);
    /// ```
    pub mod seed58 = "specs/seed58.spec";
}

crate::model! {
    /// Its author's 130-parameter adder: dense `c_attn` and attention
    /// projection, dense MLP input, rank-1 MLP output and LM head.
    pub mod dense130 = "specs/dense130.spec";
}

crate::model! {
    /// Its author's 66-parameter adder: the 58 with a dense MLP input.
    pub mod adder66 = "specs/adder66.spec";
}

crate::model! {
    /// A wide-margin 58-parameter adder: its smallest logit gap is 1 (in
    /// `f32`, 0.9999962) where `adder58`'s is 0.0195.
    pub mod wide58 = "specs/wide58.spec";
}
