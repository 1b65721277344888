"""One-off: JackCai's 234p checkpoint (JackCai1206/smallest-addition-transformer
@ c9e31ff, `best_model_234.pt`) as safetensors, for `adder::model!`.

Run from the repository root, with the board's files in ../shared/board:

    python3 adder/specs/board/convert_jackcai.py

Needs torch, numpy and safetensors; the project itself never runs it. Kept:
the 234 numbers of the model's parameters, under their state-dict names
(the four spiral scalars as shape [1]). Left out: the buffers, the causal
mask and the position maps its code rebuilds.
"""

import numpy as np
import torch
from safetensors.numpy import save_file

state = torch.load("../shared/board/jackcai-234p/best_model_234.pt", map_location="cpu", weights_only=True)
tensors = {
    key: np.ascontiguousarray(value.numpy().astype(np.float32).reshape(value.shape or (1,)))
    for key, value in state.items()
    if key not in ("_pos_sources", "_pos_indices", "causal_mask")
}
count = sum(t.size for t in tensors.values())
assert count == 234, count
save_file(tensors, "adder/specs/board/jackcai_234.safetensors")
print(sorted(tensors), count)
