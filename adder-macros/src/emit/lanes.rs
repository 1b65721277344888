//! The lanes twin of the stages after the attention: the same code with
//! every value of the residual stream `[f32; LANES]`, one lane per
//! addition, so that the compiler computes [`adder::LANES`] additions with
//! each vector instruction. Made from the emitted code itself, as the
//! interval twin is: each arithmetic operation on a lane value becomes the
//! same operation in every lane (`adder::lanes`), in the same order, so each
//! lane has the bits of the scalar code. Operations on parameters and
//! constants alone stay scalar, computed once for all lanes.

use std::collections::{HashMap, HashSet};

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::punctuated::Punctuated;
use syn::{BinOp, Expr, Item, Pat, Stmt, Type, UnOp, parse_quote};

/// `pub mod lanes { .. }`, the twin of `stages`, or the reason it cannot
/// be made (a construct the rewrite does not know).
pub fn twin_module(stages: TokenStream) -> syn::Result<TokenStream> {
    let file: syn::File = syn::parse2(stages)?;
    let mut items = Vec::new();
    // Each stage's operations on lane values, its callees' included.
    let mut operations: HashMap<String, usize> = HashMap::new();
    for item in file.items {
        let Item::Fn(mut function) = item else {
            return Err(syn::Error::new(
                Span::call_site(),
                "a stage that is not a function",
            ));
        };
        for input in &mut function.sig.inputs {
            if let syn::FnArg::Typed(typed) = input {
                lanes_type(&mut typed.ty);
            }
        }
        if let syn::ReturnType::Type(_, ty) = &mut function.sig.output {
            lanes_type(ty);
        }
        let mut rewrite = Rewrite::default();
        let count = function.block.stmts.len();
        for (i, stmt) in function.block.stmts.iter_mut().enumerate() {
            match stmt {
                Stmt::Local(local) => {
                    let Some(init) = &mut local.init else {
                        return Err(unsupported(&local.pat));
                    };
                    let kind = rewrite.expr(&mut init.expr)?;
                    if let (Kind::Scalar, Pat::Ident(ident)) = (kind, &local.pat) {
                        rewrite.scalars.insert(ident.ident.to_string());
                    }
                }
                Stmt::Expr(expr, None) if i + 1 == count => {
                    let kind = rewrite.expr(expr)?;
                    lane_value(expr, kind);
                }
                other => return Err(unsupported(other)),
            }
        }
        let total = rewrite.operations.len()
            + rewrite
                .calls
                .iter()
                .map(|callee| operations.get(callee).copied().unwrap_or(0))
                .sum::<usize>();
        operations.insert(function.sig.ident.to_string(), total);
        function.attrs.push(parse_quote!(#[inline(always)]));
        function.vis = parse_quote!(pub);
        items.push(function);
    }
    let per_step = ["block", "lm_head"]
        .iter()
        .map(|stage| operations.get(*stage).copied().unwrap_or(0))
        .sum::<usize>();
    Ok(quote! {
        /// The stages after the attention over [`::adder::lanes::Lanes`],
        /// one addition per lane: the `f32` code above, each operation on
        /// a lane value done in every lane (`adder::lanes`), in the same
        /// order; operations on parameters alone stay scalar.
        #[allow(clippy::all, clippy::pedantic, clippy::nursery, unused_parens)]
        pub mod lanes {
            #[allow(unused_imports)]
            use super::*;
            use ::adder::lanes::{Lanes, add, div, mul, neg, splat, sub};

            /// Operations on a lane's values from the attention's output to
            /// the logits (`block` and `lm_head`), per step and lane: each
            /// `+`, `-`, `*`, `/` and negation, and each function of
            /// `adder::math` as one; an operation written twice in a stage
            /// once, and those on parameters alone not at all, as the
            /// compiler computes them.
            pub const OPERATIONS: usize = #per_step;

            #(#items)*
        }
    })
}

/// Whether a value is one `f32` for every lane or one per lane.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Scalar,
    Lane,
}

fn unsupported(tokens: &impl ToTokens) -> syn::Error {
    syn::Error::new_spanned(tokens, "adder: the lanes twin does not know this construct")
}

/// `f32` becomes `Lanes`, within arrays, references and tuples.
fn lanes_type(ty: &mut Type) {
    match ty {
        Type::Path(path) if path.path.is_ident("f32") => *ty = parse_quote!(Lanes),
        Type::Array(array) => lanes_type(&mut array.elem),
        Type::Reference(reference) => lanes_type(&mut reference.elem),
        Type::Tuple(tuple) => tuple.elems.iter_mut().for_each(lanes_type),
        Type::Paren(paren) => lanes_type(&mut paren.elem),
        _ => {}
    }
}

/// A scalar where a lane value goes: the same value in every lane.
fn lane_value(expr: &mut Expr, kind: Kind) {
    if kind == Kind::Scalar {
        let scalar = expr.clone();
        *expr = parse_quote!(splat(#scalar));
    }
}

/// The rewrite of one stage: the names a `let` bound to a scalar, and what
/// the stage computes on lane values (operations, stages it calls).
#[derive(Default)]
struct Rewrite {
    scalars: HashSet<String>,
    /// The distinct operations on lane values, as written: one computed
    /// twice in a stage (two rows of a map that share their weights) is
    /// computed once, as the compiler does.
    operations: HashSet<String>,
    calls: Vec<String>,
}

impl Rewrite {
    /// Rewrites `expr` in place; what it is afterwards. Names in capitals
    /// are the model's statics and constants (scalars); other names are
    /// lane values unless a `let` bound them to a scalar.
    fn expr(&mut self, expr: &mut Expr) -> syn::Result<Kind> {
        Ok(match expr {
            Expr::Lit(_) => Kind::Scalar,
            Expr::Path(path) => match path.path.get_ident() {
                Some(ident) => {
                    let name = ident.to_string();
                    let constant = name.starts_with(|c: char| c.is_ascii_uppercase());
                    if constant || self.scalars.contains(&name) {
                        Kind::Scalar
                    } else {
                        Kind::Lane
                    }
                }
                None => Kind::Scalar,
            },
            Expr::Index(index) => self.expr(&mut index.expr)?,
            Expr::Paren(paren) => self.expr(&mut paren.expr)?,
            Expr::Reference(reference) => self.expr(&mut reference.expr)?,
            Expr::Field(field) => {
                self.expr(&mut field.base)?;
                Kind::Lane
            }
            Expr::Array(syn::ExprArray { elems, .. })
            | Expr::Tuple(syn::ExprTuple { elems, .. }) => {
                self.lane_values(elems)?;
                Kind::Lane
            }
            Expr::Unary(unary) => {
                if !matches!(unary.op, UnOp::Neg(_)) {
                    return Err(unsupported(unary));
                }
                if self.expr(&mut unary.expr)? == Kind::Scalar {
                    Kind::Scalar
                } else {
                    let x = &unary.expr;
                    *expr = parse_quote!(neg(#x));
                    self.operations.insert(expr.to_token_stream().to_string());
                    Kind::Lane
                }
            }
            Expr::Binary(binary) => {
                let function = match binary.op {
                    BinOp::Add(_) => "add",
                    BinOp::Sub(_) => "sub",
                    BinOp::Mul(_) => "mul",
                    BinOp::Div(_) => "div",
                    _ => return Err(unsupported(binary)),
                };
                let left = self.expr(&mut binary.left)?;
                let right = self.expr(&mut binary.right)?;
                if left == Kind::Scalar && right == Kind::Scalar {
                    Kind::Scalar
                } else {
                    lane_value(&mut binary.left, left);
                    lane_value(&mut binary.right, right);
                    let function = syn::Ident::new(function, Span::call_site());
                    let (x, y) = (&binary.left, &binary.right);
                    *expr = parse_quote!(#function(#x, #y));
                    self.operations.insert(expr.to_token_stream().to_string());
                    Kind::Lane
                }
            }
            Expr::Call(call) => self.call(call)?,
            other => return Err(unsupported(other)),
        })
    }

    /// A call: of a function of `adder::math` (on lane values, the same
    /// function of `adder::lanes`), or of another stage.
    fn call(&mut self, call: &mut syn::ExprCall) -> syn::Result<Kind> {
        let mut kinds = Vec::new();
        for arg in &mut call.args {
            kinds.push(self.expr(arg)?);
        }
        let Expr::Path(function) = &mut *call.func else {
            return Err(unsupported(&call.func));
        };
        let segments = &mut function.path.segments;
        let math =
            segments.len() == 3 && segments[0].ident == "adder" && segments[1].ident == "math";
        if !math {
            // A stage of the twin: its arguments are lane arrays.
            if let Some(stage) = function.path.get_ident() {
                self.calls.push(stage.to_string());
            }
            return Ok(Kind::Lane);
        }
        if kinds.iter().all(|kind| *kind == Kind::Scalar) {
            return Ok(Kind::Scalar);
        }
        segments[1].ident = syn::Ident::new("lanes", Span::call_site());
        for (arg, kind) in call.args.iter_mut().zip(kinds) {
            lane_value(arg, kind);
        }
        self.operations.insert(call.to_token_stream().to_string());
        Ok(Kind::Lane)
    }

    /// The elements of an array or tuple of lane values.
    fn lane_values(&mut self, elems: &mut Punctuated<Expr, syn::Token![,]>) -> syn::Result<()> {
        for elem in elems {
            let kind = self.expr(elem)?;
            lane_value(elem, kind);
        }
        Ok(())
    }
}
