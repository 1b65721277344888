//! The public entry points: logits, digits and the sums, and the fast
//! path's table where the attention does not depend on the prompt.

use proc_macro2::TokenStream;
use quote::quote;

use super::idents::answer_slot;
use crate::lower::ir::{DIGITS, Model, OUTPUT_DIGITS};

/// The public entry points: logits, digits, and the sums (the lanes'
/// attention in lanes where the model has its twin, `lane_attention`).
pub fn api(model: &Model, lane_attention: bool) -> TokenStream {
    let (block, vocab) = (model.config.block_size, model.config.vocab);
    let output_digits = OUTPUT_DIGITS;
    let logits = if model.is_position_addressed() {
        sparse_logits(model)
    } else if super::routed::applies(model) {
        quote! {
            /// The logits of the next token after `tokens`: those of [`step`],
            /// by [`ROUTED_ATTENTION`]'s positions alone where it applies
            /// (hosted targets).
            ///
            /// # Panics
            ///
            /// As [`step`].
            #[must_use]
            pub const fn logits(tokens: &[u8]) -> [f32; #vocab] {
                let len = tokens.len();
                #[cfg(not(target_os = "none"))]
                if len >= 1 && len <= BLOCK_SIZE && ROUTED_ATTENTION.applies[len] {
                    let mut position = 0;
                    while position < len {
                        assert!((tokens[position] as usize) < VOCAB, "adder: token out of vocabulary");
                        position += 1;
                    }
                    return routed_logits(tokens, len);
                }
                step(tokens).logits
            }
        }
    } else {
        quote! {
            /// The logits of the next token after `tokens`: those of [`step`].
            ///
            /// # Panics
            ///
            /// As [`step`].
            #[must_use]
            pub const fn logits(tokens: &[u8]) -> [f32; #vocab] {
                step(tokens).logits
            }
        }
    };
    let unrolled = unrolled_digits(model);
    let slot = answer_slot(model, &quote!(k));
    let batch = super::batch::batch(model, lane_attention);
    let (decode, none_doc, panic_doc, message) = decode(vocab);
    let none_doc =
        format!(" `a + b` as this network computes it, or `None` if an operand{none_doc}");
    let panic_doc =
        format!(" If an operand exceeds [`MAX_OPERAND`] (9 999 999 999){panic_doc} in a `const`");
    quote! {
        #logits
        #unrolled

        /// The greedy digits of `a + b`, least significant first: 11 forward
        /// passes, each appending the argmax of the last.
        ///
        /// # Panics
        ///
        /// If an operand exceeds [`MAX_OPERAND`].
        #[must_use]
        pub const fn digits(a: u64, b: u64) -> [u8; #output_digits] {
            let mut tokens: [u8; #block] = FORMAT.sequence(a, b);
            let mut digits = [0u8; #output_digits];
            if unrolled_digits(&mut tokens, &mut digits) {
                return digits;
            }
            let mut k = 0;
            while k < #output_digits {
                let len = PROMPT_LEN + k;
                let digit = ::adder::tokens::argmax(&logits(tokens.split_at(len).0)) as u8;
                digits[#slot] = digit;
                tokens[len] = digit;
                k += 1;
            }
            digits
        }

        /// What the network computes at each of the 11 steps of `a + b`, as
        /// data: the same forward passes as [`digits`], with their insides.
        ///
        /// # Panics
        ///
        /// If an operand exceeds [`MAX_OPERAND`].
        #[must_use]
        pub const fn trace(a: u64, b: u64) -> Trace {
            let mut tokens: [u8; #block] = FORMAT.sequence(a, b);
            let mut steps = [step(tokens.split_at(PROMPT_LEN).0); #output_digits];
            let mut digits = [0u8; #output_digits];
            let mut k = 0;
            while k < #output_digits {
                let len = PROMPT_LEN + k;
                steps[k] = step(tokens.split_at(len).0);
                let digit = ::adder::tokens::argmax(&steps[k].logits) as u8;
                digits[#slot] = digit;
                tokens[len] = digit;
                k += 1;
            }
            ::adder::Trace { a, b, steps, digits }
        }

        #[doc = #none_doc]
        #[must_use]
        pub const fn checked_add(a: u64, b: u64) -> ::core::option::Option<u64> {
            if a > MAX_OPERAND || b > MAX_OPERAND {
                return ::core::option::Option::None;
            }
            sum_of(&digits(a, b))
        }

        /// The sum the network's digits stand for, if they are digits.
        const fn sum_of(digits: &[u8; #output_digits]) -> ::core::option::Option<u64> {
            #decode
        }

        /// `a + b` as this network computes it.
        ///
        /// # Panics
        ///
        #[doc = #panic_doc]
        /// item that is a compile error. [`checked_add`] returns `None` instead.
        #[must_use]
        pub const fn add(a: u64, b: u64) -> u64 {
            match checked_add(a, b) {
                ::core::option::Option::Some(sum) => sum,
                ::core::option::Option::None => {
                    panic!(#message)
                }
            }
        }

        #batch
    }
}

/// The body of `sum_of`, and what `checked_add` and `add` say of it.
fn decode(vocab: usize) -> (TokenStream, &'static str, &'static str, &'static str) {
    let output_digits = OUTPUT_DIGITS;
    // With tokens beyond the digits, the network could write one where a
    // digit goes: then there is no sum to return.
    if vocab > DIGITS {
        (
            quote! {
                let mut k = 0;
                while k < #output_digits {
                    if digits[k] > 9 {
                        return ::core::option::Option::None;
                    }
                    k += 1;
                }
                ::core::option::Option::Some(::adder::tokens::decode(digits))
            },
            " exceeds [`MAX_OPERAND`], or the network writes a token that is not a digit.",
            " or the network writes a token that is not a digit;",
            "adder: an operand exceeds MAX_OPERAND (9_999_999_999, ten digits), or the network wrote a token that is not a digit",
        )
    } else {
        (
            quote!(::core::option::Option::Some(::adder::tokens::decode(
                digits
            ))),
            " exceeds [`MAX_OPERAND`].",
            ";",
            "adder: an operand exceeds MAX_OPERAND (9_999_999_999, ten digits)",
        )
    }
}

/// `unrolled_digits`: [`digits`]'s steps written out where that pays.
fn unrolled_digits(model: &Model) -> TokenStream {
    let slot = answer_slot(model, &quote!(k));
    let (block, output_digits) = (model.config.block_size, OUTPUT_DIGITS);
    let kv_width = model.config.n_kv_head * model.config.head_dim;
    // Where the fast path applies, the 11 steps are written out, each with
    // its length a constant: the positions and weights of its attention and
    // the positional rows it reads fold into the code. Not on bare metal,
    // where the loop's flash counts more than its speed.
    if model.is_position_addressed() {
        let steps = (0..output_digits).map(|k| {
            quote! {
                let digit = ::adder::tokens::argmax(&sparse_logits(tokens, PROMPT_LEN + #k, &SPARSE_ATTENTION, PROMPT_LEN + #k)) as u8;
                digits[#k] = digit;
                tokens[PROMPT_LEN + #k] = digit;
            }
        });
        quote! {
            /// [`digits`] with its steps written out, where the fast path
            /// applies: whether it did.
            #[cfg(not(target_os = "none"))]
            #[inline(always)]
            const fn unrolled_digits(
                tokens: &mut [u8; #block],
                digits: &mut [u8; #output_digits],
            ) -> bool {
                if !SPARSE_ATTENTION.applies {
                    return false;
                }
                #(#steps)*
                true
            }

            /// On bare metal the steps run in a loop, from the table's rows
            /// of the answer steps alone: the other rows' flash is not paid
            /// where `logits` is not called.
            #[cfg(target_os = "none")]
            const fn unrolled_digits(
                tokens: &mut [u8; #block],
                digits: &mut [u8; #output_digits],
            ) -> bool {
                /// [`SPARSE_ATTENTION`]'s rows of the answer steps.
                const ANSWER_ATTENTION: ::adder::sparse::SparseAttention<N_HEAD, #output_digits> =
                    SPARSE_ATTENTION.rows(PROMPT_LEN);
                if !ANSWER_ATTENTION.applies {
                    return false;
                }
                let mut k = 0;
                while k < #output_digits {
                    let logits = sparse_logits(tokens, PROMPT_LEN + k, &ANSWER_ATTENTION, k);
                    let digit = ::adder::tokens::argmax(&logits) as u8;
                    digits[k] = digit;
                    tokens[PROMPT_LEN + k] = digit;
                    k += 1;
                }
                true
            }
        }
    } else if model.layers.len() == 1 {
        // Where the heads route by position alone, each step by the routed
        // positions' values, its length a constant.
        let routed_steps = (0..output_digits).map(|k| {
            quote! {
                let digit = ::adder::tokens::argmax(&routed_logits(tokens, PROMPT_LEN + #k)) as u8;
                digits[#k] = digit;
                tokens[PROMPT_LEN + #k] = digit;
            }
        });
        let routed = super::routed::applies(model).then(|| {
            quote! {
                #[cfg(not(target_os = "none"))]
                if ROUTED_ATTENTION.every_step {
                    #(#routed_steps)*
                    return true;
                }
            }
        });
        quote! {
            /// [`digits`] with each position's key and value computed once
            /// for all 11 steps: in one layer they depend on the position's
            /// token and place alone, and [`step`] would compute all of them
            /// again at every step. The same code as [`step`] ([`step_at`]),
            /// so the same bits. (On hosted targets, where the heads route
            /// by position alone, by the routed values.)
            const fn unrolled_digits(
                tokens: &mut [u8; #block],
                digits: &mut [u8; #output_digits],
            ) -> bool {
                #routed
                let mut keys = [[0.0f32; #kv_width]; BLOCK_SIZE];
                let mut values = [[0.0f32; #kv_width]; BLOCK_SIZE];
                keys_values(tokens.split_at(PROMPT_LEN).0, &mut keys, &mut values);
                let mut k = 0;
                while k < #output_digits {
                    let len = PROMPT_LEN + k;
                    let logits = step_at(tokens[len - 1], &keys, &values, len).logits;
                    let digit = ::adder::tokens::argmax(&logits) as u8;
                    digits[#slot] = digit;
                    tokens[len] = digit;
                    if k + 1 < #output_digits {
                        (keys[len], values[len]) = key_value(digit as usize, len);
                    }
                    k += 1;
                }
                true
            }
        }
    } else {
        super::step::cached_digits(model)
    }
}

/// `logits` by the fast path where [`SPARSE_ATTENTION`] applies.
fn sparse_logits(model: &Model) -> TokenStream {
    let vocab = model.config.vocab;
    let head_dim = model.config.head_dim;
    let sparse_mixing = (0..model.config.n_head).map(|h| {
        let mix =
            (h * head_dim..(h + 1) * head_dim).map(|d| quote!(mixed[#d] += weight * value[#d];));
        quote! {
            let mut target = 0;
            while target < table.count[row][#h] as usize {
                let position = table.position[row][#h][target] as usize;
                let weight = table.weight[row][#h][target];
                // On hosted targets from the table `value` filled at
                // compile time; on bare metal, where flash counts, computed.
                #[cfg(not(target_os = "none"))]
                let value = VALUE_TABLE[position][tokens[position] as usize];
                #[cfg(target_os = "none")]
                let value = value(&embed(tokens[position] as usize, position));
                #(#mix)*
                target += 1;
            }
        }
    });
    quote! {
        /// The logits of the next token after `tokens`: bit for bit those of
        /// [`step`], computed from the positions the heads read alone where
        /// [`SPARSE_ATTENTION`] applies.
        ///
        /// # Panics
        ///
        /// As [`step`].
        #[must_use]
        pub const fn logits(tokens: &[u8]) -> [f32; #vocab] {
            if !SPARSE_ATTENTION.applies {
                return step(tokens).logits;
            }
            let len = tokens.len();
            assert!(len >= 1 && len <= BLOCK_SIZE, "adder: a step reads 1 to BLOCK_SIZE tokens");
            sparse_logits(tokens, len, &SPARSE_ATTENTION, len)
        }

        /// The fast path of [`logits`] for the first `len` of `tokens`, by
        /// `row` of `table` (the table's row of `len`): inlined, so that a
        /// constant `len` folds its table lookups.
        #[inline(always)]
        const fn sparse_logits<const L: usize>(
            tokens: &[u8],
            len: usize,
            table: &::adder::sparse::SparseAttention<N_HEAD, L>,
            row: usize,
        ) -> [f32; #vocab] {
            #[cfg(not(target_os = "none"))]
            let residual = EMBEDDING_TABLE[len - 1][tokens[len - 1] as usize];
            #[cfg(target_os = "none")]
            let residual = embed(tokens[len - 1] as usize, len - 1);
            let mut mixed = [0.0f32; N_EMBD];
            #(#sparse_mixing)*
            lm_head(&block(&residual, &mixed).2)
        }
    }
}

/// `SPARSE_ATTENTION`: the compile-time table of where each head looks.
pub fn sparse_attention(model: &Model) -> TokenStream {
    let c = &model.config;
    let heads = c.n_head;
    let block_plus_one = c.block_size + 1;
    let vocab = c.vocab;
    if !model.is_position_addressed() {
        return quote! {
            /// Where each head looks when that is the same for every prompt:
            /// never, for this model (its attention reads the tokens, through
            /// norms, rotations or earlier layers), so [`logits`] runs the
            /// full pass.
            pub const SPARSE_ATTENTION: ::adder::sparse::SparseAttention<N_HEAD, #block_plus_one> =
                ::adder::sparse::SparseAttention::NONE;
        };
    }
    let targets = (0..heads).map(|h| {
        quote! {
            let mut count = 0;
            let mut position = 0;
            while position < len {
                let weight = attention[#h][position];
                if weight != 0.0 {
                    if count == ::adder::sparse::MAX_TARGETS {
                        return ::adder::sparse::SparseAttention::NONE;
                    }
                    table.position[len][#h][count] = position as u16;
                    table.weight[len][#h][count] = weight;
                    count += 1;
                }
                position += 1;
            }
            table.count[len][#h] = count as u8;
        }
    });
    quote! {
        /// Where each head looks, for every sequence length, when that is
        /// the same for every prompt: computed at compile time from the
        /// parameters, by the code of [`step`] itself. It applies when every
        /// key and query is the same for all tokens (checked for each token
        /// at each position, so the weights cannot depend on the prompt),
        /// every value is finite (so the positions of weight 0 add exactly
        /// nothing) and no head has more than
        /// `adder::sparse::MAX_TARGETS` positions of weight above 0. Then
        /// [`logits`] reads only those positions, with the same bits.
        pub const SPARSE_ATTENTION: ::adder::sparse::SparseAttention<N_HEAD, #block_plus_one> =
            sparse_attention();

        /// Computes [`SPARSE_ATTENTION`].
        const fn sparse_attention() -> ::adder::sparse::SparseAttention<N_HEAD, #block_plus_one> {
            let mut table = ::adder::sparse::SparseAttention::NONE;
            let mut position = 0;
            while position < BLOCK_SIZE {
                let first = embed(0, position);
                let (key_0, query_0) = (key(&first), query(&first));
                let mut token = 1;
                while token < #vocab {
                    let x = embed(token, position);
                    if !::adder::sparse::same_bits(&key(&x), &key_0)
                        || !::adder::sparse::same_bits(&query(&x), &query_0)
                        || !::adder::sparse::all_finite(&value(&x))
                    {
                        return ::adder::sparse::SparseAttention::NONE;
                    }
                    token += 1;
                }
                if !::adder::sparse::all_finite(&value(&first)) {
                    return ::adder::sparse::SparseAttention::NONE;
                }
                position += 1;
            }
            let prompt = [0u8; BLOCK_SIZE];
            let mut keys = [[0.0f32; N_EMBD]; BLOCK_SIZE];
            let mut values = [[0.0f32; N_EMBD]; BLOCK_SIZE];
            keys_values(&prompt, &mut keys, &mut values);
            let mut len = 1;
            while len <= BLOCK_SIZE {
                let (attention, _) = attend(&query(&embed(0, len - 1)), &keys, &values, len);
                #(#targets)*
                len += 1;
            }
            table.applies = true;
            table
        }
    }
}
