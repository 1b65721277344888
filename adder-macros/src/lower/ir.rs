//! The intermediate form every architecture lowers to: a decoder of layers,
//! each an attention block and an MLP block, over parameter tensors.
//!
//! The seed's nanoGPT skeleton is the decoder with no norms, additive
//! sinusoid positions and one layer; a Qwen3 model is the decoder with
//! `RMSNorm`s, rotary positions, grouped-query attention and a gated MLP. The
//! emitter knows only this form, so an architecture is a lowering, not a
//! second code generator.

use crate::front::dtype::Dtype;

/// One parameter tensor: a `static` of the generated code.
pub struct Tensor {
    /// The `PyTorch` path, `model.layers.0.self_attn.q_proj.weight`.
    pub path: String,
    pub shape: Vec<usize>,
    /// Row-major, each a value of the model's dtype (held as `f64`).
    pub values: Vec<f64>,
    /// Whether `PARAM_COUNT` counts it: not a `derived` tensor, which is
    /// computed from params (counted themselves) or fixed by the
    /// construction.
    pub counted: bool,
}

pub type TensorId = usize;

/// A linear map `out = W x (+ b)` in one of its parametrisations. Places a
/// parametrisation never stores are structural zeros and cost no code.
pub enum Linear {
    /// `weight [out, in]`.
    Dense {
        weight: TensorId,
        bias: Option<TensorId>,
    },
    /// `weight [out, reads.len()]`: reads only the listed input dims.
    Slim {
        reads: Vec<usize>,
        weight: TensorId,
        bias: Option<TensorId>,
    },
    /// `W = u v`, `u [out, 1]`, `v [1, in]`: computed as `u (v x)`.
    Rank1 {
        u: TensorId,
        v: TensorId,
        bias: Option<TensorId>,
    },
    /// `y = (x A) B`, `A [in, rank]`, `B [rank, out]`: `PyTorch`'s
    /// `x @ A @ B`, the bottleneck computed once.
    LowRank {
        a: TensorId,
        b: TensorId,
        rank: usize,
    },
    /// Scalars at fixed `(row, column)` places.
    Sparse {
        entries: Vec<(TensorId, usize, usize)>,
    },
    /// Output `i` uses row `rows[assign[i]]`.
    SharedRows {
        rows: Vec<TensorId>,
        assign: Vec<usize>,
        bias: Option<TensorId>,
    },
    /// Per head `h`, the 2x2 block `S [[-cos a_h, sin a_h], [sin a_h, cos a_h]]`
    /// on the input dims `reads`.
    Rotation {
        reads: [usize; 2],
        angles: Vec<TensorId>,
        scale: TensorId,
    },
    /// Queries or keys narrower than the heads (`qk_dim`): per head, the
    /// inner map's `qk_dim` outputs, then zeros up to `head_dim`, so the
    /// attention reads every head at one width and the scores are the same
    /// sums (adding `0 * 0` changes no `f32` sum but the sign of a zero).
    Headed {
        inner: Box<Linear>,
        heads: usize,
        qk_dim: usize,
        head_dim: usize,
    },
}

/// The token embedding, `vocab -> n_embd`.
pub enum Embedding {
    Dense {
        weight: TensorId,
    },
    /// `A [vocab, r] B [r, n_embd]`.
    Factorized {
        a: TensorId,
        b: TensorId,
        rank: usize,
    },
}

/// A normalisation of a vector of width `n` (the residual stream, or one
/// head's query or key).
pub enum Norm {
    /// `x / sqrt(mean(x^2) + eps) (* weight)`; parameter-free without one,
    /// or times a fixed `gain` (a setting of the construction, not stored).
    Rms {
        eps: f64,
        weight: Option<TensorId>,
        gain: Option<f64>,
    },
    /// `x * weight`, entry by entry: a fixed rescaling, no statistics.
    Scale { weight: TensorId },
    /// `(x - mean) / sqrt(var + eps) * weight + bias`.
    Layer {
        eps: f64,
        weight: TensorId,
        bias: TensorId,
    },
}

/// How positions enter the network.
pub enum Positions {
    /// A fixed table added to two residual dims: `a(p) sin(2 pi p / period)`
    /// and `a(p) cos(..)`, the amplitude `a` a schedule over positions.
    Sinusoid {
        sin_dim: usize,
        cos_dim: usize,
        period: usize,
        /// `(from position, amplitude)`, sorted, the first from position 0.
        amplitude: Vec<(usize, f64)>,
    },
    /// Rotary embedding of each head's queries and keys.
    Rope(Rope),
    /// A learned table (parameters, the `wpe` slot), `block_size ->
    /// n_embd`, added to the token embedding.
    Learned(Embedding),
    /// None: the attention finds positions some other way (a fixed score
    /// table), and the residual stream starts as the token embedding.
    None,
}

/// Rotary positions: pair `i` of a head turns by `p * frequency_i`.
pub struct Rope {
    /// `theta^(-2i / head_dim)` for pair `i`, in `f64`.
    pub frequencies: Vec<f64>,
    /// Where they come from, as the spec says it: `theta 3`, `period 19`.
    pub origin: String,
    pub style: RopeStyle,
}

/// Which dims of a head form the rotated pairs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RopeStyle {
    /// `(i, i + head_dim / 2)`: HF transformers, `mlx_lm` `traditional=False`.
    RotateHalf,
    /// `(2i, 2i + 1)`: the original paper, `mlx_lm` `traditional=True`.
    Interleaved,
}

/// The query, key and value maps of the residual stream.
pub enum Qkv {
    Separate {
        q: Linear,
        k: Linear,
        v: Linear,
    },
    /// One map whose rows are Q, K and V, as nanoGPT's `c_attn`.
    Fused(Linear),
}

/// Causal softmax attention with `n_head` query heads sharing `n_kv_head`
/// key/value heads, scale `1 / sqrt(head_dim)`.
pub struct Attention {
    pub norm: Option<Norm>,
    pub qkv: Qkv,
    /// Per head, on its query and its key, before the rotation.
    pub q_norm: Option<Norm>,
    pub k_norm: Option<Norm>,
    /// A fixed table `[head, query position, key position]` added to the
    /// scores (`-inf` where a head never looks): the construction's own
    /// routing, as an additive attention mask.
    pub scores: Option<TensorId>,
    pub output: Linear,
}

/// The MLP's nonlinearity.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Activation {
    Relu,
    /// `x Phi(x)` with the exact `erf`, `PyTorch`'s default.
    Gelu,
    /// `x sigmoid(x)`.
    Silu,
}

/// `down(act(up(x)))`, or with a gate `down(act(gate(x)) * up(x))`
/// (`SwiGLU` when the activation is `SiLU`).
pub struct Mlp {
    pub norm: Option<Norm>,
    pub gate: Option<Linear>,
    pub up: Linear,
    pub activation: Activation,
    pub down: Linear,
}

/// `x += attention(norm(x)); x += mlp(norm(x))`.
pub struct Layer {
    pub attention: Attention,
    pub mlp: Mlp,
}

/// The logits of the last position.
pub enum Head {
    /// `logit(d) = lin d (x[reads] dim_w) + quad d^2`.
    Parabolic {
        lin: TensorId,
        quad: TensorId,
        dim_w: TensorId,
        reads: usize,
    },
    Linear(Linear),
    /// The token embedding's transpose: `logit(v) = wte[v] . x`.
    Tied,
}

/// One piece of the prompt.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Piece {
    /// A fixed token, with the name the spec gives it.
    Token {
        name: String,
        token: usize,
    },
    /// The ten digits of an operand, most significant first or not.
    A {
        msb_first: bool,
    },
    B {
        msb_first: bool,
    },
}

/// How the model is asked for a sum: its prompt; the 11 digits of the
/// answer follow it, least significant first unless `answer_msb_first`.
pub struct Format {
    pub prompt: Vec<Piece>,
    pub answer_msb_first: bool,
}

impl Format {
    /// The seed's: `a` and `b` most significant first, `+` and `=` token 0.
    pub fn nanogpt() -> Self {
        let token = |name: &str| Piece::Token {
            name: name.to_owned(),
            token: 0,
        };
        Format {
            prompt: vec![
                Piece::A { msb_first: true },
                token("+"),
                Piece::B { msb_first: true },
                token("="),
            ],
            answer_msb_first: false,
        }
    }

    pub fn prompt_len(&self) -> usize {
        self.prompt
            .iter()
            .map(|piece| match piece {
                Piece::Token { .. } => 1,
                Piece::A { .. } | Piece::B { .. } => DIGITS,
            })
            .sum()
    }
}

/// Digits of an operand.
pub const DIGITS: usize = 10;
/// Digits of the sum, least significant first.
pub const OUTPUT_DIGITS: usize = 11;

/// The sizes of the model.
#[derive(Clone, Copy)]
pub struct Config {
    pub vocab: usize,
    pub n_embd: usize,
    pub n_layer: usize,
    pub n_head: usize,
    pub n_kv_head: usize,
    pub head_dim: usize,
    /// The width of a query or key head (`head_dim` unless the spec says
    /// `qk_dim`): the first `qk_dim` dims of each head, the rest zero.
    pub qk_dim: usize,
    pub block_size: usize,
    pub mlp_hidden: usize,
    /// The float the model stores and computes in.
    pub dtype: Dtype,
    /// How the attention turns scores into weights.
    pub softmax: Softmax,
}

/// The attention's weights from its scores.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Softmax {
    /// `exp(s - max) / sum exp(s - max)`: PyTorch's `softmax`.
    Standard,
    /// `exp(s) / (1 + sum exp(s))` ("softmax1"), as its constructions write
    /// it, no max subtracted: a head may attend to nothing, its weights
    /// summing to less than 1.
    PlusOne,
}

/// A whole model, ready to emit.
pub struct Model {
    pub config: Config,
    pub format: Format,
    pub positions: Positions,
    pub tensors: Vec<Tensor>,
    pub embedding: Embedding,
    pub layers: Vec<Layer>,
    pub final_norm: Option<Norm>,
    pub head: Head,
}

impl Model {
    /// Whether the model computes in `f32`: the fast paths, the lanes and
    /// the verifier's twins are `f32` code; an `f64` model runs its
    /// stages alone.
    pub fn is_f32(&self) -> bool {
        self.config.dtype == Dtype::F32
    }

    /// Whether the seed's proof and fast path can apply: `f32`, one layer,
    /// no norms, positions added to the residual stream, one key per head,
    /// heads that tile the residual stream.
    pub fn is_position_addressed(&self) -> bool {
        let c = &self.config;
        self.is_f32()
            && matches!(self.positions, Positions::Sinusoid { .. })
            && self.final_norm.is_none()
            && c.n_layer == 1
            && c.n_kv_head == c.n_head
            && c.n_head * c.head_dim == c.n_embd
            && c.qk_dim == c.head_dim
            && self.layers.iter().all(|layer| {
                layer.attention.norm.is_none()
                    && layer.attention.q_norm.is_none()
                    && layer.attention.k_norm.is_none()
                    && layer.mlp.norm.is_none()
                    && layer.mlp.gate.is_none()
            })
    }
}

impl Model {
    /// The architecture in a line, for docs and tables: `1 layer, d 3,
    /// 2 heads / 1 kv head of dim 4, RMSNorm, RoPE theta 3, SwiGLU 6, tied`.
    pub fn describe(&self) -> String {
        let c = &self.config;
        let mut parts = vec![
            format!(
                "{} layer{}",
                c.n_layer,
                if c.n_layer == 1 { "" } else { "s" }
            ),
            format!("d {}", c.n_embd),
        ];
        let kv = if c.n_kv_head == c.n_head {
            String::new()
        } else {
            format!(" / {} kv", c.n_kv_head)
        };
        let qk = if c.qk_dim == c.head_dim {
            String::new()
        } else {
            format!(" (q/k {})", c.qk_dim)
        };
        parts.push(format!(
            "{} head{}{kv} of dim {}{qk}",
            c.n_head,
            if c.n_head == 1 { "" } else { "s" },
            c.head_dim
        ));
        let layer = self.layers.first();
        let norms: Vec<&Norm> = layer
            .iter()
            .flat_map(|l| [&l.attention.norm, &l.mlp.norm, &l.attention.q_norm])
            .chain([&self.final_norm])
            .filter_map(Option::as_ref)
            .collect();
        if let Some(norm) = norms.first() {
            parts.push(match norm {
                Norm::Rms { .. } => "RMSNorm".to_owned(),
                Norm::Layer { .. } => "LayerNorm".to_owned(),
                Norm::Scale { .. } => "scaled head".to_owned(),
            });
        }
        parts.push(match &self.positions {
            Positions::Sinusoid { period, .. } => format!("sinusoid table (period {period})"),
            Positions::None => "no positional encoding".to_owned(),
            Positions::Learned(Embedding::Dense { .. }) => "learned positions".to_owned(),
            Positions::Learned(Embedding::Factorized { rank, .. }) => {
                format!("learned positions of rank {rank}")
            }
            Positions::Rope(rope) => format!(
                "RoPE {}, {}",
                rope.origin,
                match rope.style {
                    RopeStyle::RotateHalf => "rotate-half",
                    RopeStyle::Interleaved => "interleaved",
                }
            ),
        });
        if let Some(layer) = layer {
            let activation = match (layer.mlp.activation, layer.mlp.gate.is_some()) {
                (Activation::Silu, true) => "SwiGLU",
                (Activation::Relu, _) => "ReLU",
                (Activation::Gelu, _) => "GELU",
                (Activation::Silu, false) => "SiLU",
            };
            parts.push(format!("{activation} MLP {}", c.mlp_hidden));
        }
        if matches!(self.head, Head::Tied) {
            parts.push("tied head".to_owned());
        }
        if self
            .layers
            .iter()
            .any(|layer| layer.attention.scores.is_some())
        {
            parts.push("fixed score table".to_owned());
        }
        if c.softmax == Softmax::PlusOne {
            parts.push("softmax1".to_owned());
        }
        if !self.is_f32() {
            parts.push("float64".to_owned());
        }
        parts.join(", ")
    }
}
