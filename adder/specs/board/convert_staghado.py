"""One-off: staghado's Qwen3 checkpoints (MLX `.npz`, float32, names as in
HF/mlx_lm `qwen3`) as safetensors with the same names, for `adder::model!`.

Run from the repository root, with the board's files in ../shared/board:

    python3 adder/specs/board/convert_staghado.py

Needs numpy and safetensors; the project itself never runs it.
"""

import numpy as np
from safetensors.numpy import save_file

BOARD = "../shared/board/staghado-qwen3/checkpoint"

for count in [122, 137, 146, 155, 173, 200, 228]:
    weights = np.load(f"{BOARD}/best_{count}.npz")
    tensors = {
        name: np.ascontiguousarray(weights[name].astype(np.float32))
        for name in weights.files
    }
    save_file(tensors, f"adder/specs/board/staghado_qwen3_{count}.safetensors")
    print(count, sum(t.size for t in tensors.values()))
