//! Errors collected across the stages, reported together.

use proc_macro2::Span;

/// Every error found so far: the macro reports them all at once, each on the
/// token at fault, instead of stopping at the first.
#[derive(Default)]
pub struct Errors {
    errors: Vec<syn::Error>,
}

impl Errors {
    pub fn push(&mut self, error: syn::Error) {
        self.errors.push(error);
    }

    pub fn at(&mut self, span: Span, message: impl std::fmt::Display) {
        self.errors.push(syn::Error::new(span, message));
    }

    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// All errors combined into one, each still on its own span.
    pub fn into_error(self) -> syn::Error {
        let mut errors = self.errors.into_iter();
        let mut combined = errors
            .next()
            .unwrap_or_else(|| syn::Error::new(Span::call_site(), "invalid spec"));
        for error in errors {
            combined.combine(error);
        }
        combined
    }
}
