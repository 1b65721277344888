//! Weight files: every way a file can be bad is a compile error naming the
//! file and the tensor.

use proc_macro2::Literal;
use quote::quote;

use super::messages;
use crate::expand;

/// A tensor of a test's weight file: name, dtype, shape, bytes.
type RawTensor = (&'static str, safetensors::Dtype, Vec<usize>, Vec<u8>);

/// A weight file of `tensors`, in a fresh file.
fn weight_file(tensors: &[RawTensor]) -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let views: Vec<(&str, safetensors::tensor::TensorView)> = tensors
        .iter()
        .map(|(name, dtype, shape, bytes)| {
            let view = safetensors::tensor::TensorView::new(*dtype, shape.clone(), bytes)
                .expect("a consistent tensor");
            (*name, view)
        })
        .collect();
    let bytes = safetensors::serialize(views, None).expect("serialises");
    let path = std::env::temp_dir().join(format!(
        "adder-weights-{}-{}.safetensors",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&path, bytes).unwrap();
    path
}

fn f32_bytes(values: &[f32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// The messages of a small decoder spec whose embedding is read from the
/// weight file at `path`.
fn weight_file_messages(path: &std::path::Path) -> Vec<String> {
    let file = Literal::string(path.to_str().unwrap());
    let output = expand(quote! {
        mod from_weights {
            config { vocab: 10, n_embd: 2, n_head: 1, head_dim: 2, mlp_hidden: 1, block_size: 35 }
            weights = safetensors { file: #file }
            positions = rope { theta: 3.0, style: rotate_half }
            wte = dense @ model.embed_tokens { weight: [10, 2] = file }
            attn.q = dense { weight: [2, 2] = [1.0, 0.0, 0.0, 1.0] }
            attn.k = dense { weight: [2, 2] = [1.0, 0.0, 0.0, 1.0] }
            attn.v = dense { weight: [2, 2] = [1.0, 0.0, 0.0, 1.0] }
            attn.c_proj = dense { weight: [2, 2] = [1.0, 0.0, 0.0, 1.0] }
            mlp.c_fc = dense { weight: [1, 2] = [1.0, 1.0] }
            mlp.c_proj = dense { weight: [2, 1] = [1.0, 1.0] }
            lm_head = tied {}
        }
    });
    std::fs::remove_file(path).unwrap();
    messages(&output)
}

/// Bad weight files are compile errors that name the file and the tensor.
#[test]
fn weight_file_errors_name_the_file_and_the_tensor() {
    use safetensors::Dtype::{F32, F64};
    let name = "model.embed_tokens.weight";
    let good = f32_bytes(&[0.5; 20]);
    let cases: Vec<(Vec<RawTensor>, &str)> = vec![
        (vec![], "has no tensor `model.embed_tokens.weight`"),
        (
            vec![
                (name, F32, vec![10, 2], good.clone()),
                ("extra.bias", F32, vec![1], f32_bytes(&[1.0])),
            ],
            "holds tensors the spec never reads: extra.bias",
        ),
        (
            vec![(name, F32, vec![2, 10], good.clone())],
            "has shape [2, 10]; the spec says [10, 2]",
        ),
        (vec![(name, F64, vec![10, 1], good)], "is F64; expected F32"),
        (
            vec![(
                name,
                F32,
                vec![10, 2],
                f32_bytes(&[[0.0; 19].as_slice(), &[f32::NAN]].concat()),
            )],
            "holds a value that is not finite (NaN, at flat index 19)",
        ),
    ];
    for (tensors, expected) in cases {
        let path = weight_file(&tensors);
        let messages = weight_file_messages(&path);
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(
            messages[0].contains(expected),
            "{messages:?} lacks {expected}"
        );
        assert!(
            messages[0].contains(&path.display().to_string()),
            "{messages:?}"
        );
    }
    let path = std::env::temp_dir().join(format!(
        "adder-not-weights-{}.safetensors",
        std::process::id()
    ));
    std::fs::write(&path, b"not a safetensors file").unwrap();
    let messages = weight_file_messages(&path);
    assert!(
        messages[0].contains("is not a safetensors file"),
        "{messages:?}"
    );
}

/// Params read from the weight file: their values reach the derived
/// tensors, a slot reading the same tensor ties to the param (counted
/// once), and a file tensor of another shape is an error on the param.
#[test]
fn params_of_the_weight_file_are_read_before_derived_tensors() {
    use safetensors::Dtype::F32;
    let spec = |path: &std::path::Path, shape: usize| {
        let file = Literal::string(path.to_str().unwrap());
        let shape = Literal::usize_unsuffixed(shape);
        expand(quote! {
            mod from_params {
                config { vocab: 10, n_embd: 2, n_head: 1, head_dim: 2, mlp_hidden: 1, block_size: 35 }
                weights = safetensors { file: #file }
                positions = rope { theta: 3.0, style: rotate_half }
                params { w: [#shape, 2] = file("shared.weight") }
                wte = dense { weight: [10, 2] = [0.0, 1.0, 1.0, 0.0, 2.0, 1.0, 3.0, 0.5, 4.0, 0.0, 5.0, 1.0, 6.0, 0.0, 7.0, 1.0, 8.0, 0.0, 9.0, 1.0] }
                attn.q = dense { weight: [2, 2] = derived [w[1, 1] * 4.0, 0.0, 0.0, 1.0] }
                attn.k = dense { weight: [2, 2] = file("shared.weight") }
                attn.v = dense { weight: [2, 2] = [1.0, 0.0, 0.0, 1.0] }
                attn.c_proj = dense { weight: [2, 2] = [1.0, 0.0, 0.0, 1.0] }
                mlp.c_fc = dense { weight: [1, 2] = [1.0, 1.0] }
                mlp.c_proj = dense { weight: [2, 1] = [1.0, 1.0] }
                lm_head = tied {}
            }
        })
    };
    let tensors: Vec<RawTensor> = vec![(
        "shared.weight",
        F32,
        vec![2, 2],
        f32_bytes(&[0.5, 0.25, 0.125, 1.5]),
    )];
    let path = weight_file(&tensors);
    let code = spec(&path, 2).to_string();
    assert!(messages(&code.parse().unwrap()).is_empty(), "{code}");
    // w[1, 1] * 4 = 6, in the derived query; the key is the param's static.
    assert!(
        code.contains("ATTN_Q_WEIGHT : [[f32 ; 2] ; 2] = [[6.0"),
        "{code}"
    );
    assert!(code.contains("x [0] * PARAMS_W [0] [0]"), "{code}");
    assert!(!code.contains("SHARED_WEIGHT"), "{code}");
    let messages = messages(&spec(&path, 3));
    std::fs::remove_file(&path).unwrap();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].contains("has shape [2, 2]; the spec says [3, 2]"),
        "{messages:?}"
    );
}

/// An `f64` model reads `F64` tensors exactly, and its derived tensors are
/// computed in `f64`; an `f32` model refuses them, naming the dtype.
#[test]
fn an_f64_model_reads_f64_tensors_exactly() {
    use safetensors::Dtype::F64;
    let spec = |path: &std::path::Path, dtype: &str| {
        let file = Literal::string(path.to_str().unwrap());
        let dtype = proc_macro2::Ident::new(dtype, proc_macro2::Span::call_site());
        expand(quote! {
            mod wide {
                config { dtype: #dtype, vocab: 10, n_embd: 2, n_head: 1, head_dim: 2, mlp_hidden: 1, block_size: 35 }
                weights = safetensors { file: #file }
                positions = rope { theta: 3.0, style: rotate_half }
                params { w: [2, 2] = file("shared.weight") }
                wte = dense { weight: [10, 2] = [0.0, 1.0, 1.0, 0.0, 2.0, 1.0, 3.0, 0.5, 4.0, 0.0, 5.0, 1.0, 6.0, 0.0, 7.0, 1.0, 8.0, 0.0, 9.0, 1.0] }
                attn.q = dense { weight: [2, 2] = derived [w[0, 0] * 3.0, 0.0, 0.0, 1.0] }
                attn.k = dense { weight: [2, 2] = [1.0, 0.0, 0.0, 1.0] }
                attn.v = dense { weight: [2, 2] = [1.0, 0.0, 0.0, 1.0] }
                attn.c_proj = dense { weight: [2, 2] = [1.0, 0.0, 0.0, 1.0] }
                mlp.c_fc = dense { weight: [1, 2] = [1.0, 1.0] }
                mlp.c_proj = dense { weight: [2, 1] = [1.0, 1.0] }
                lm_head = tied {}
            }
        })
    };
    let bytes: Vec<u8> = [0.1f64, 0.2, 0.3, 1e-11]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let path = weight_file(&[("shared.weight", F64, vec![2, 2], bytes)]);
    let code = spec(&path, "f64").to_string();
    assert!(messages(&code.parse().unwrap()).is_empty(), "{code}");
    assert!(
        code.contains("PARAMS_W : [[f64 ; 2] ; 2] = [[0.1 , 0.2] , [0.3 , 0.00000000001]]"),
        "{code}"
    );
    // 0.1 * 3 in f64 is 0.30000000000000004 (in f32 it would be 0.3).
    assert!(
        code.contains("ATTN_Q_WEIGHT : [[f64 ; 2] ; 2] = [[0.30000000000000004"),
        "{code}"
    );
    let messages = messages(&spec(&path, "f32"));
    std::fs::remove_file(&path).unwrap();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].contains("is F64; expected F32 (an F64 file needs `dtype: f64`"),
        "{messages:?}"
    );
}

/// A fixed score table (`attn.scores = table`): read from the weight file
/// with its `-inf`s, added to the scores, not counted; refused in an `f32`
/// model (the verifier does not read one), and where a head would look
/// nowhere.
#[test]
fn a_score_table_is_read_with_its_masks_and_checked() {
    use safetensors::Dtype::F64;
    let spec = |path: &std::path::Path, dtype: &str| {
        let file = Literal::string(path.to_str().unwrap());
        let dtype = proc_macro2::Ident::new(dtype, proc_macro2::Span::call_site());
        expand(quote! {
            mod routed {
                config { dtype: #dtype, vocab: 10, n_embd: 2, n_head: 1, head_dim: 2, mlp_hidden: 1, block_size: 35 }
                weights = safetensors { file: #file }
                positions = rope { theta: 3.0, style: rotate_half }
                wte = dense { weight: [10, 2] = [0.0, 1.0, 1.0, 0.0, 2.0, 1.0, 3.0, 0.5, 4.0, 0.0, 5.0, 1.0, 6.0, 0.0, 7.0, 1.0, 8.0, 0.0, 9.0, 1.0] }
                attn.q = dense { weight: [2, 2] = [0.0, 0.0, 0.0, 0.0] }
                attn.k = dense { weight: [2, 2] = [0.0, 0.0, 0.0, 0.0] }
                attn.v = dense { weight: [2, 2] = [1.0, 0.0, 0.0, 1.0] }
                attn.scores = table { scores: [1, 35, 35] = file("mask") }
                attn.c_proj = dense { weight: [2, 2] = [1.0, 0.0, 0.0, 1.0] }
                mlp.c_fc = dense { weight: [1, 2] = [1.0, 1.0] }
                mlp.c_proj = dense { weight: [2, 1] = [1.0, 1.0] }
                lm_head = tied {}
            }
        })
    };
    // Each position looks at itself (0) and at position 0 (80), nowhere else.
    let mask = |hole: Option<(usize, f64)>| {
        let mut values = vec![f64::NEG_INFINITY; 35 * 35];
        for q in 0..35 {
            values[q * 35] = 80.0;
            values[q * 35 + q] = 0.0;
        }
        if let Some((at, value)) = hole {
            values[at] = value;
        }
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        weight_file(&[("mask", F64, vec![1, 35, 35], bytes)])
    };
    let path = mask(None);
    let code = spec(&path, "f64").to_string();
    assert!(messages(&code.parse().unwrap()).is_empty());
    assert!(
        code.contains("pub static MASK : [[[f64 ; 35] ; 35] ; 1] = [[[0.0 , f64 :: NEG_INFINITY"),
        "the table's static"
    );
    assert!(
        code.contains("[80.0 , 0.0 , f64 :: NEG_INFINITY"),
        "row 1 of the table"
    );
    assert!(
        code.contains("* ATTENTION_SCALE + MASK [0] [len - 1] [position]"),
        "the expansion"
    );
    assert!(
        !code.contains("size_of_val (& MASK)"),
        "a table is not counted: {code}"
    );
    assert!(
        code.contains("fixed score table, float64"),
        "the architecture"
    );
    let refused = messages(&spec(&path, "f32"));
    std::fs::remove_file(&path).unwrap();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(
        refused[0].contains("a score table in an f32 model"),
        "{refused:?}"
    );
    // Position 0 of head 0 looks nowhere once its one entry is -inf; a NaN
    // or +inf is no mask.
    for (hole, expected) in [
        (
            (0, f64::NEG_INFINITY),
            "head 0 at position 0 is -inf at every position up to it",
        ),
        (
            (3, f64::INFINITY),
            "holds a value that is not finite (inf, at flat index 3)",
        ),
        (
            (5, f64::NAN),
            "holds a value that is not finite (NaN, at flat index 5)",
        ),
    ] {
        let path = mask(Some(hole));
        let found = messages(&spec(&path, "f64"));
        std::fs::remove_file(&path).unwrap();
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains(expected), "{found:?} lacks {expected}");
    }
}
