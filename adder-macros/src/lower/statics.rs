//! The names of the generated statics: a parameter's static is named
//! after its `PyTorch` path, so two paths may clash, with each other or
//! with an item every generated module defines. Lowering reports such a
//! clash on its token; the emitter names the statics by the same rule.

/// Whether two `PyTorch` paths map to the same `static` name.
pub fn same_static(a: &str, b: &str) -> bool {
    static_name(a) == static_name(b)
}

/// The constants and statics every generated module defines beside the
/// parameters' statics (and the rotations' `{MODULE}_ROTATION`).
const GENERATED: &[&str] = &[
    "PARAM_COUNT",
    "MAX_OPERAND",
    "VOCAB",
    "N_EMBD",
    "N_LAYER",
    "N_HEAD",
    "N_KV_HEAD",
    "HEAD_DIM",
    "BLOCK_SIZE",
    "MLP_HIDDEN",
    "FORMAT",
    "PROMPT_LEN",
    "POSITIONS",
    "ROPE",
    "ATTENTION_SCALE",
    "ARCHITECTURE",
    "STAGES",
    "KERNEL",
    "SPARSE_ATTENTION",
    "EMBEDDING_TABLE",
    "VALUE_TABLE",
    "OPERATIONS_PER_ADDITION",
];

/// The generated item a parameter at `path` would share its static's name
/// with, if any.
pub fn generated_item(path: &str) -> Option<String> {
    let name = static_name(path);
    (GENERATED.contains(&name.as_str()) || name.ends_with("_ROTATION")).then_some(name)
}

/// `attn.q_proj.angle_h0` -> `ATTN_Q_PROJ_ANGLE_H0`.
pub fn static_name(path: &str) -> String {
    path.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}
