//! Sums in lockstep: [`adder::LANES`] additions at once, structure of
//! arrays, each step of every lane before the next step, so that the
//! compiler can interleave (and vectorise) independent additions.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{DIGITS, Model, OUTPUT_DIGITS};

/// `checked_add_lanes`, `add_lanes` and the lockstep digits.
pub fn batch(model: &Model) -> TokenStream {
    let (block, output_digits) = (model.config.block_size, OUTPUT_DIGITS);
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
    // The fast path, on hosted targets: every step of every lane, the
    // step's length a constant as in `unrolled_digits`.
    let lockstep = model.is_position_addressed().then(|| {
        let steps = (0..output_digits).map(|k| {
            quote! {
                let mut lane = 0;
                while lane < #lanes {
                    let logits = sparse_logits(&tokens[lane], PROMPT_LEN + #k);
                    let digit = ::adder::tokens::argmax(&logits) as u8;
                    digits[lane][#k] = digit;
                    tokens[lane][PROMPT_LEN + #k] = digit;
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
    });
    quote! {
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
