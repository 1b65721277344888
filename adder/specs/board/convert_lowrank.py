"""One-off: the low-rank GPT checkpoints of the board (PyTorch `.pt` files
holding `model_state`) as safetensors, for `adder::model!`.

Run from the repository root, with the board's files in ../shared/board:

    python3 adder/specs/board/convert_lowrank.py

Needs torch, numpy and safetensors; the project itself never runs it. The
state dicts store the tied `lm_head.weight` beside `token_emb.weight`; it is
checked equal and left out (the specs say `lm_head = tied`).
"""

import numpy as np
import torch
from safetensors.numpy import save_file

BOARD = "../shared/board"
CHECKPOINTS = {
    "rezabyt_lowrank_311": "lowrank-311p/checkpoints/best_311p_s34.pt",
    "yinglunz_lowrank_456_s43": "lowrank-456p/checkpoints/best_456p_s43.pt",
    "yinglunz_lowrank_456_s44": "lowrank-456p/checkpoints/best_456p_s44.pt",
    "yinglunz_lowrank_512": "lowrank-456p/checkpoints/best_512params.pt",
}

for name, path in CHECKPOINTS.items():
    checkpoint = torch.load(f"{BOARD}/{path}", map_location="cpu", weights_only=False)
    state = checkpoint["model_state"]
    assert torch.equal(state["lm_head.weight"], state["token_emb.weight"])
    tensors = {
        key: np.ascontiguousarray(value.numpy().astype(np.float32))
        for key, value in state.items()
        if key != "lm_head.weight"
    }
    save_file(tensors, f"adder/specs/board/{name}.safetensors")
    print(name, checkpoint["model_config"], sum(t.size for t in tensors.values()))
