//! Sums in lockstep: [`adder::LANES`] additions at once, structure of
//! arrays, each step of every lane before the next step, so that the
//! compiler can interleave (and vectorise) independent additions.

use proc_macro2::TokenStream;
use quote::quote;

use crate::lower::ir::{DIGITS, Model, OUTPUT_DIGITS};

/// `checked_add_lanes`, `add_lanes` and the lockstep digits; with
/// `lane_attention`, the whole steps in lanes, every layer.
pub fn batch(model: &Model, lane_attention: bool) -> TokenStream {
    let output_digits = OUTPUT_DIGITS;
    let lanes = quote!(::adder::LANES);
    let written = if model.config.vocab > DIGITS {
        ", or where the network writes a token that is not a digit"
    } else {
        ""
    };
    let none_doc = format!(
        " [`checked_add`] of each lane's pair: `None` in a lane whose operand exceeds \
         [`MAX_OPERAND`]{written}, the other lanes unaffected."
    );
    // An `f64` model's lanes run each lane's `digits`: the lanes' types
    // are `f32`.
    let lane_logits = model.is_f32().then(|| lane_logits(model, lane_attention));
    let (lockstep, lane_functions) = if lane_attention {
        let routed = super::routed::applies(model);
        let (routed_lockstep, routed_pass) = (
            routed.then(|| super::routed::lockstep(model)),
            routed.then(|| super::routed::lane_pass(model)),
        );
        let (lockstep, functions) = (
            super::lane_attention::lockstep(model),
            super::lane_attention::functions(model),
        );
        (
            Some(quote!(#routed_lockstep #lockstep)),
            Some(quote!(#routed_pass #functions)),
        )
    } else {
        (table_lockstep(model), None)
    };
    quote! {
        #lane_logits
        #lane_functions

        /// The digits of every lane's sum, the lanes in lockstep.
        const fn lane_digits(
            a: &[u64; #lanes],
            b: &[u64; #lanes],
        ) -> [[u8; #output_digits]; #lanes] {
            let mut digits = [[0u8; #output_digits]; #lanes];
            #lockstep
            let mut lane = 0;
            while lane < #lanes {
                digits[lane] = self::digits(a[lane], b[lane]);
                lane += 1;
            }
            digits
        }

        #[doc = #none_doc]
        /// Each lane's answer is exactly [`checked_add`]'s: the same
        /// operations on the same numbers, [`adder::LANES`] additions
        /// interleaved.
        #[must_use]
        pub const fn checked_add_lanes(
            a: &[u64; #lanes],
            b: &[u64; #lanes],
        ) -> [::core::option::Option<u64>; #lanes] {
            // Out-of-range lanes add 0 + 0 in step with the others.
            let (mut x, mut y) = ([0u64; #lanes], [0u64; #lanes]);
            let mut lane = 0;
            while lane < #lanes {
                if a[lane] <= MAX_OPERAND && b[lane] <= MAX_OPERAND {
                    (x[lane], y[lane]) = (a[lane], b[lane]);
                }
                lane += 1;
            }
            let digits = lane_digits(&x, &y);
            let mut sums = [::core::option::Option::None; #lanes];
            let mut lane = 0;
            while lane < #lanes {
                if a[lane] <= MAX_OPERAND && b[lane] <= MAX_OPERAND {
                    sums[lane] = sum_of(&digits[lane]);
                }
                lane += 1;
            }
            sums
        }

        /// [`add`] of each lane's pair, the lanes in lockstep.
        ///
        /// # Panics
        ///
        /// As [`add`], if that would panic for any lane.
        /// [`checked_add_lanes`] returns `None` in that lane instead.
        #[must_use]
        pub const fn add_lanes(a: &[u64; #lanes], b: &[u64; #lanes]) -> [u64; #lanes] {
            let sums = checked_add_lanes(a, b);
            let mut out = [0u64; #lanes];
            let mut lane = 0;
            while lane < #lanes {
                out[lane] = match sums[lane] {
                    ::core::option::Option::Some(sum) => sum,
                    ::core::option::Option::None => add(a[lane], b[lane]),
                };
                lane += 1;
            }
            out
        }
    }
}

/// The statement in `lane_digits` for a position-addressed model, on hosted
/// targets: every step of every lane, the step's length a constant as in
/// `unrolled_digits`, the lanes' numbers side by side (`lane_logits`).
fn table_lockstep(model: &Model) -> Option<TokenStream> {
    let (block, output_digits) = (model.config.block_size, OUTPUT_DIGITS);
    let lanes = quote!(::adder::LANES);
    model.is_position_addressed().then(|| {
        let steps = (0..output_digits).map(|k| {
            quote! {
                let written = ::adder::lanes::argmax(&lane_logits(&tokens, PROMPT_LEN + #k));
                let mut lane = 0;
                while lane < #lanes {
                    digits[lane][#k] = written[lane];
                    tokens[lane][PROMPT_LEN + #k] = written[lane];
                    lane += 1;
                }
            }
        });
        quote! {
            #[cfg(not(target_os = "none"))]
            if SPARSE_ATTENTION.applies {
                let mut tokens = [[0u8; #block]; #lanes];
                let mut lane = 0;
                while lane < #lanes {
                    tokens[lane] = FORMAT.sequence(a[lane], b[lane]);
                    lane += 1;
                }
                #(#steps)*
                return digits;
            }
        }
    })
}

/// `lane_logits`, the fast path of `logits` for [`adder::LANES`]
/// sequences at once (with `lane_attention`, the whole step in lanes).
fn lane_logits(model: &Model, lane_attention: bool) -> TokenStream {
    let c = &model.config;
    let (embd, vocab, block, head_dim) = (c.n_embd, c.vocab, c.block_size, c.head_dim);
    let lanes = quote!(::adder::LANES);
    let heads = (0..c.n_head).map(|h| {
        let mix = (h * head_dim..(h + 1) * head_dim).map(|d| {
            quote! {
                mixed[#d] = ::adder::lanes::add(mixed[#d], ::adder::lanes::mul(weight, value[#d]));
            }
        });
        quote! {
            let mut target = 0;
            while target < SPARSE_ATTENTION.count[len][#h] as usize {
                let position = SPARSE_ATTENTION.position[len][#h][target] as usize;
                let weight = ::adder::lanes::splat(SPARSE_ATTENTION.weight[len][#h][target]);
                let value = ::adder::lanes::gather(&VALUE_TABLE[position], tokens, position);
                #(#mix)*
                target += 1;
            }
        }
    });
    let fast = if lane_attention {
        // Not on bare metal, where the lanes' keys and values would take
        // kilobytes of stack.
        let routed = super::routed::applies(model).then(|| {
            quote! {
                #[cfg(not(target_os = "none"))]
                if len >= 1 && len <= BLOCK_SIZE && ROUTED_ATTENTION.applies[len] {
                    let mut lane = 0;
                    while lane < #lanes {
                        let mut position = 0;
                        while position < len {
                            assert!((tokens[lane][position] as usize) < VOCAB, "adder: token out of vocabulary");
                            position += 1;
                        }
                        lane += 1;
                    }
                    return lane_routed_logits(tokens, len);
                }
            }
        });
        Some(quote! {
            #routed
            if !cfg!(target_os = "none") {
                return lane_pass(tokens, len);
            }
        })
    } else {
        model.is_position_addressed().then(|| {
        quote! {
            if SPARSE_ATTENTION.applies {
                assert!(len >= 1 && len <= BLOCK_SIZE, "adder: a step reads 1 to BLOCK_SIZE tokens");
                let residual = ::adder::lanes::gather(&EMBEDDING_TABLE[len - 1], tokens, len - 1);
                let mut mixed = [[0.0f32; #lanes]; #embd];
                #(#heads)*
                let (_, _, after_mlp) = lanes::block(&residual, &mixed);
                return lanes::lm_head(&after_mlp);
            }
        }
        })
    };
    let tables = model.is_position_addressed().then(|| tables(model));
    quote! {
        #tables

        /// The logits after the first `len` tokens of each lane's sequence,
        /// side by side: lane `l` of logit `v` is
        /// `logits(&tokens[l][..len])[v]`, bit for bit. Where
        /// [`SPARSE_ATTENTION`] applies, the fast path with every lane's
        /// numbers in one array (`lanes`), so that each operation is one
        /// vector instruction for all lanes; for the other models on hosted
        /// targets, the whole step so, every layer (by the routed positions'
        /// values where [`ROUTED_ATTENTION`] applies); otherwise [`logits`]
        /// per lane.
        ///
        /// # Panics
        ///
        /// As [`step`]: if `len` is 0 or above [`BLOCK_SIZE`], or a token is
        /// not below [`VOCAB`].
        #[must_use]
        #[inline(always)]
        pub const fn lane_logits(
            tokens: &[[u8; #block]; #lanes],
            len: usize,
        ) -> [::adder::lanes::Lanes; #vocab] {
            #fast
            let mut out = [[0.0f32; #lanes]; #vocab];
            let mut lane = 0;
            while lane < #lanes {
                let alone = logits(tokens[lane].split_at(len).0);
                let mut v = 0;
                while v < #vocab {
                    out[v][lane] = alone[v];
                    v += 1;
                }
                lane += 1;
            }
            out
        }
    }
}

/// The tables of a position-addressed model's lanes: each token's
/// embedding and value at each position, and the count of operations.
fn tables(model: &Model) -> TokenStream {
    let output_digits = OUTPUT_DIGITS;
    let c = &model.config;
    let (embd, vocab, block) = (c.n_embd, c.vocab, c.block_size);
    quote! {
        /// `embed(token, position)` of every token at every position,
        /// computed at compile time by [`embed`] itself: the lanes read
        /// their residual streams here.
        pub static EMBEDDING_TABLE: [[[f32; #embd]; #vocab]; #block] =
            table_of(false);
        /// `value(&embed(token, position))` of every token at every
        /// position, computed at compile time by [`value`] itself: the
        /// lanes read the values their heads mix here.
        pub static VALUE_TABLE: [[[f32; #embd]; #vocab]; #block] = table_of(true);

        /// Floating-point operations per addition on the fast path,
        /// counted from its code (0 where [`SPARSE_ATTENTION`] does not
        /// apply): per step, a multiplication and an addition per dim of
        /// each position a head mixes, and [`lanes::OPERATIONS`] after
        /// the attention. Without the argmax's comparisons, and without
        /// what the compiler folds (operations on parameters alone).
        pub const OPERATIONS_PER_ADDITION: usize = operations_per_addition();

        /// Computes [`OPERATIONS_PER_ADDITION`].
        const fn operations_per_addition() -> usize {
            if !SPARSE_ATTENTION.applies {
                return 0;
            }
            let mut total = 0;
            let mut k = 0;
            while k < #output_digits {
                let mut head = 0;
                while head < N_HEAD {
                    let targets = SPARSE_ATTENTION.count[PROMPT_LEN + k][head] as usize;
                    total += 2 * HEAD_DIM * targets;
                    head += 1;
                }
                total += lanes::OPERATIONS;
                k += 1;
            }
            total
        }

        /// [`EMBEDDING_TABLE`], or with `values` [`VALUE_TABLE`].
        const fn table_of(values: bool) -> [[[f32; #embd]; #vocab]; #block] {
            let mut table = [[[0.0f32; #embd]; #vocab]; #block];
            let mut position = 0;
            while position < #block {
                let mut token = 0;
                while token < #vocab {
                    let x = embed(token, position);
                    table[position][token] = if values { value(&x) } else { x };
                    token += 1;
                }
                position += 1;
            }
            table
        }
    }
}
