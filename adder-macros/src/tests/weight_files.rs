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
