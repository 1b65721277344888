//! The compiled models, one module each, from the spec files in `specs/`.
//!
//! Each module has the same items: its parameters as `static`s,
//! `PARAM_COUNT`, `MAX_OPERAND`, the positional table, and the `const fn`s
//! [`add`](adder58::add), [`checked_add`](adder58::checked_add),
//! [`digits`](adder58::digits), [`logits`](adder58::logits) and
//! [`step`](adder58::step).

adder_macros::model! {
    /// The seed's 58-parameter adder with its author's corrected wrap biases
    /// (-9045, -9055): the default model, behind [`crate::add`].
    pub mod adder58 = "specs/adder58.spec";
}

adder_macros::model! {
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

adder_macros::model! {
    /// Its author's 130-parameter adder: dense `c_attn` and attention
    /// projection, dense MLP input, rank-1 MLP output and LM head.
    pub mod dense130 = "specs/dense130.spec";
}

adder_macros::model! {
    /// Its author's 66-parameter adder: the 58 with a dense MLP input.
    pub mod adder66 = "specs/adder66.spec";
}

adder_macros::model! {
    /// A wide-margin 58-parameter adder: its smallest logit gap is 1 (in
    /// `f32`, 0.9999962) where `adder58`'s is 0.0195.
    pub mod wide58 = "specs/wide58.spec";
}

/// The public AdderBoard's trained Qwen3 models, compiled from their
/// published weights (the `board` feature, on by default).
#[cfg(feature = "board")]
mod board {
    adder_macros::model! {
        /// staghado's 122-parameter Qwen3 (1 query head): see its spec,
        /// `specs/board/qwen3_122.spec`, for the source and the layout.
        pub mod qwen3_122 = "specs/board/qwen3_122.spec";
    }
    adder_macros::model! {
        /// staghado's 137-parameter Qwen3 (2 query heads, MLP width 2).
        pub mod qwen3_137 = "specs/board/qwen3_137.spec";
    }
    adder_macros::model! {
        /// staghado's 146-parameter Qwen3 (2 query heads, MLP width 3).
        pub mod qwen3_146 = "specs/board/qwen3_146.spec";
    }
    adder_macros::model! {
        /// staghado's 155-parameter Qwen3 (2 query heads, MLP width 4).
        pub mod qwen3_155 = "specs/board/qwen3_155.spec";
    }
    adder_macros::model! {
        /// staghado's 173-parameter Qwen3 (2 query heads, MLP width 6).
        pub mod qwen3_173 = "specs/board/qwen3_173.spec";
    }
    adder_macros::model! {
        /// The file staghado names `best_200.npz`: 173 parameters, not 200
        /// (MLP width 6, not 9), weights of another training run than
        /// [`qwen3_173`](super::qwen3_173).
        pub mod qwen3_200 = "specs/board/qwen3_200.spec";
    }
    adder_macros::model! {
        /// staghado's 228-parameter Qwen3 (residual width 4, MLP width 6).
        pub mod qwen3_228 = "specs/board/qwen3_228.spec";
    }
    adder_macros::model! {
        /// rezabyt's 311-parameter low-rank GPT (seed 34): see its spec,
        /// `specs/board/lowrank_311.spec`, for the source and the layout.
        pub mod lowrank_311 = "specs/board/lowrank_311.spec";
    }
    adder_macros::model! {
        /// yinglunz's 456-parameter low-rank GPT, seed 43.
        pub mod lowrank_456_s43 = "specs/board/lowrank_456_s43.spec";
    }
    adder_macros::model! {
        /// yinglunz's 456-parameter low-rank GPT, seed 44 (other weights).
        pub mod lowrank_456_s44 = "specs/board/lowrank_456_s44.spec";
    }
    adder_macros::model! {
        /// yinglunz's 512-parameter low-rank GPT (LayerNorm, fused QKV).
        pub mod lowrank_512 = "specs/board/lowrank_512.spec";
    }
    adder_macros::model! {
        /// lichengliu03's 262-parameter low-rank GPT (positions of rank 2, MLP 6).
        pub mod lichengliu03_262 = "specs/board/lichengliu03_262.spec";
    }
    adder_macros::model! {
        /// MicroAdder's 57-parameter trained adder: a residual of token and
        /// position dims side by side, Q/K on the positions, V and the MLP's
        /// down map tied to the output head.
        pub mod microadder_57 = "specs/board/microadder_57.spec";
    }
    adder_macros::model! {
        /// MicroAdder's 67-parameter trained adder: the 57's design with an
        /// MLP down map of its own.
        pub mod microadder_67 = "specs/board/microadder_67.spec";
    }
    adder_macros::model! {
        /// Jack Cai's 234-parameter trained adder: 3 token dims and 3
        /// position dims side by side, Q/K on the positions, V on the tokens,
        /// a spiral of positions from 4 learned scalars.
        pub mod jackcai_234 = "specs/board/jackcai_234.spec";
    }
}

#[cfg(feature = "board")]
pub use board::*;

/// The public AdderBoard's hand-coded models, transcribed from the code
/// that computes their weights (the `board` feature).
#[cfg(feature = "board")]
mod handcoded {
    adder_macros::model! {
        /// Wonderfall's hand-coded 121-parameter Qwen3: see its spec,
        /// `specs/handcoded/wonderfall_121.spec`, for the construction.
        pub mod wonderfall_121 = "specs/handcoded/wonderfall_121.spec";
    }
    adder_macros::model! {
        /// jacobli99's hand-coded 93-parameter adder (92 stored numbers):
        /// see `specs/handcoded/jacobli99_93.spec`.
        pub mod jacobli99_93 = "specs/handcoded/jacobli99_93.spec";
    }
    adder_macros::model! {
        /// corbensorenson's hand-coded 111-parameter Qwen3-style adder (q/k
        /// norms with a fixed gain): see
        /// `specs/handcoded/corbensorenson_111.spec`.
        pub mod corbensorenson_111 = "specs/handcoded/corbensorenson_111.spec";
    }
    adder_macros::model! {
        /// nino's hand-coded 116-parameter Qwen3: Wonderfall's 121 with two
        /// norm weights shared; see `specs/handcoded/nino_116.spec`.
        pub mod nino_116 = "specs/handcoded/nino_116.spec";
    }
    adder_macros::model! {
        /// Wonderfall's hand-coded 139-parameter Qwen3 (stock mlx_lm, SwiGLU
        /// 4: a unit pair for the carry in, one for the carry out): see
        /// `specs/handcoded/wonderfall_139.spec`.
        pub mod wonderfall_139 = "specs/handcoded/wonderfall_139.spec";
    }
    adder_macros::model! {
        /// lichengliu03's hand-coded 50-parameter adder of the seed's
        /// family (three vectors read twice, as params of derived tensors):
        /// see `specs/handcoded/lichengliu03_50.spec`.
        pub mod lichengliu03_50 = "specs/handcoded/lichengliu03_50.spec";
    }
    adder_macros::model! {
        /// kswain98's hand-coded 8-parameter adder: every weight derived
        /// from eight stored scalars, RoPE of period 19; see
        /// `specs/handcoded/kswain98_8.spec`.
        pub mod kswain98_8 = "specs/handcoded/kswain98_8.spec";
    }
    adder_macros::model! {
        /// lokimorty's hand-coded 10-parameter adder (RoPE period 19, a
        /// parametric tied embedding): see `specs/handcoded/lokimorty_10.spec`.
        pub mod lokimorty_10 = "specs/handcoded/lokimorty_10.spec";
    }
    adder_macros::model! {
        /// Wonderfall's hand-coded 27-parameter adder (26 stored numbers: Q
        /// and K share a matrix, V, O and the MLP's down projection another):
        /// see `specs/handcoded/wonderfall_27.spec`.
        pub mod wonderfall_27 = "specs/handcoded/wonderfall_27.spec";
    }
    adder_macros::model! {
        /// jacobli99's hand-coded 28-parameter adder (24 stored numbers, its
        /// weights derived from them in f32): see
        /// `specs/handcoded/jacobli99_28.spec`.
        pub mod jacobli99_28 = "specs/handcoded/jacobli99_28.spec";
    }
    adder_macros::model! {
        /// bingbangboom-lab's hand-coded 87-parameter two-layer Qwen3
        /// (rank-1 maps, a sparse gate, a rank-2 head from an SVD): see
        /// `specs/handcoded/bingbangboom_87.spec`.
        pub mod bingbangboom_87 = "specs/handcoded/bingbangboom_87.spec";
    }
    adder_macros::model! {
        /// xangma's hand-coded 197-parameter two-layer Qwen3 (rank-1 maps,
        /// a factorised embedding, an untied head): see
        /// `specs/handcoded/xangma_197.spec`.
        pub mod xangma_197 = "specs/handcoded/xangma_197.spec";
    }
    adder_macros::model! {
        /// fblissjr's hand-coded 33-parameter adder in `f64` (141 stored
        /// numbers, 33 distinct): `Q = K = 0` and a fixed table of scores,
        /// `e^80` anchors, two hinge pairs `5e-12` apart; see
        /// `specs/handcoded/fblissjr_33.spec`.
        pub mod fblissjr_33 = "specs/handcoded/fblissjr_33.spec";
    }
    adder_macros::model! {
        /// alexlitz's hand-coded 36-parameter two-layer adder in `f64`:
        /// softmax1, ALiBi, the answer most significant digit first; wrong on
        /// 5193798811 + 1806201129, as its original. See
        /// `specs/handcoded/alexlitz_36.spec`.
        pub mod alexlitz_36 = "specs/handcoded/alexlitz_36.spec";
    }
}

#[cfg(feature = "board")]
pub use handcoded::*;

/// A compiled model by name, for tools that take any of them.
#[derive(Clone, Copy, Debug)]
pub struct Named {
    /// The module's name, `adder58`.
    pub name: &'static str,
    /// Its `PARAM_COUNT`.
    pub params: usize,
    /// Its `add`.
    pub add: fn(u64, u64) -> u64,
    /// Its `checked_add`.
    pub checked_add: fn(u64, u64) -> Option<u64>,
    /// Its `add_lanes`.
    pub add_lanes:
        fn(&[u64; crate::lanes::LANES], &[u64; crate::lanes::LANES]) -> [u64; crate::lanes::LANES],
    /// Its `checked_add_lanes`.
    pub checked_add_lanes: fn(
        &[u64; crate::lanes::LANES],
        &[u64; crate::lanes::LANES],
    ) -> [Option<u64>; crate::lanes::LANES],
    /// Its architecture, in a line.
    pub architecture: &'static str,
    /// Its `prove`.
    pub prove: fn() -> Result<crate::verify::proof::Proof, crate::verify::proof::Refutation>,
    /// Its `bounds`: the interval verifier's outcome.
    pub bounds: fn() -> crate::verify::bounds::Outcome,
}

impl Named {
    /// [`checked_add`](Named::checked_add) of each of `pairs` into `sums`,
    /// by the fastest path, [`checked_add_lanes`](Named::checked_add_lanes):
    /// `LANES` pairs at a time, the last set filled out with `0 + 0`. `None`
    /// where an answer digit is not a digit (a model whose vocab has more
    /// tokens may write one), so that a tool that scores a model never stops
    /// at a pair.
    ///
    /// # Panics
    ///
    /// If `sums` is shorter than `pairs`.
    pub fn checked_add_all(&self, pairs: &[(u64, u64)], sums: &mut [Option<u64>]) {
        assert!(sums.len() >= pairs.len(), "adder: a sum for every pair");
        for (chunk, out) in pairs
            .chunks(crate::lanes::LANES)
            .zip(sums.chunks_mut(crate::lanes::LANES))
        {
            let (mut a, mut b) = ([0; crate::lanes::LANES], [0; crate::lanes::LANES]);
            for (lane, (x, y)) in chunk.iter().enumerate() {
                (a[lane], b[lane]) = (*x, *y);
            }
            let lanes = (self.checked_add_lanes)(&a, &b);
            out[..chunk.len()].copy_from_slice(&lanes[..chunk.len()]);
        }
    }
}

/// Defines [`ALL`], [`with_model!`](crate::with_model) and
/// [`with_f32_model!`](crate::with_f32_model) from the lists of the models
/// this build has, `f32` ones first.
macro_rules! models {
    // `$d` is a `$`, passed in: the inner macros' own variables need one.
    ($d:tt; f32: [$($f32:ident),* $(,)?], f64: [$($f64:ident),* $(,)?] $(,)?) => {
        /// Every model of this module, the default first.
        pub const ALL: &[Named] = &[$(
            Named {
                name: stringify!($f32),
                params: $f32::PARAM_COUNT,
                add: $f32::add,
                checked_add: $f32::checked_add,
                add_lanes: $f32::add_lanes,
                checked_add_lanes: $f32::checked_add_lanes,
                architecture: $f32::ARCHITECTURE,
                prove: $f32::prove,
                bounds: $f32::bounds,
            },
        )* $(
            Named {
                name: stringify!($f64),
                params: $f64::PARAM_COUNT,
                add: $f64::add,
                checked_add: $f64::checked_add,
                add_lanes: $f64::add_lanes,
                checked_add_lanes: $f64::checked_add_lanes,
                architecture: $f64::ARCHITECTURE,
                prove: $f64::prove,
                bounds: $f64::bounds,
            },
        )*];

        /// Evaluates `$body` with `$module` naming the model module called
        /// `$name` (a `&str`): `Some` of its value, `None` for a name this
        /// build does not have. For code that works on any model's items
        /// (its `trace`, its `FORMAT`), which differ in type between models.
        ///
        /// ```
        /// let params = adder::with_model!("qwen3_228", model => model::PARAM_COUNT);
        /// assert_eq!(params, Some(228));
        /// assert_eq!(adder::with_model!("nope", model => model::PARAM_COUNT), None);
        /// ```
        #[macro_export]
        macro_rules! with_model {
            ($d name:expr, $d module:ident => $d body:expr) => {
                match $d name {
                    $(stringify!($f32) => {
                        #[allow(unused_imports)]
                        use $d crate::models::$f32 as $d module;
                        ::core::option::Option::Some($d body)
                    })*
                    $(stringify!($f64) => {
                        #[allow(unused_imports)]
                        use $d crate::models::$f64 as $d module;
                        ::core::option::Option::Some($d body)
                    })*
                    _ => ::core::option::Option::None,
                }
            };
        }

        /// [`with_model!`](crate::with_model) over the `f32` models alone
        /// (`None` for an `f64` one): for code that reads what only they
        /// have (the lanes' logits, the interval verifier's `KERNEL`).
        ///
        /// ```
        /// let lanes = adder::with_f32_model!("qwen3_228", model => model::PARAM_COUNT);
        /// assert_eq!(lanes, Some(228));
        /// assert_eq!(adder::with_f32_model!("fblissjr_33", model => model::PARAM_COUNT), None);
        /// ```
        #[macro_export]
        macro_rules! with_f32_model {
            ($d name:expr, $d module:ident => $d body:expr) => {
                match $d name {
                    $(stringify!($f32) => {
                        #[allow(unused_imports)]
                        use $d crate::models::$f32 as $d module;
                        ::core::option::Option::Some($d body)
                    })*
                    _ => ::core::option::Option::None,
                }
            };
        }
    };
}

#[cfg(not(feature = "board"))]
models![$; f32: [adder58, seed58, dense130, adder66, wide58], f64: []];

#[cfg(feature = "board")]
models![
    $;
    f32: [
        adder58, seed58, dense130, adder66, wide58, qwen3_122, qwen3_137, qwen3_146, qwen3_155,
        qwen3_173, qwen3_200, qwen3_228, lowrank_311, lowrank_456_s43, lowrank_456_s44,
        lowrank_512, lichengliu03_262, microadder_57, microadder_67, jackcai_234, wonderfall_121,
        jacobli99_93, corbensorenson_111, nino_116, wonderfall_139, lichengliu03_50, kswain98_8,
        lokimorty_10, wonderfall_27, jacobli99_28, bingbangboom_87, xangma_197,
    ],
    f64: [fblissjr_33, alexlitz_36],
];

/// The model named `name`, if this build has it.
#[must_use]
pub fn by_name(name: &str) -> Option<&'static Named> {
    ALL.iter().find(|model| model.name == name)
}
