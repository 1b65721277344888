"""One-off: MicroAdder's 57p and 67p checkpoints (evindor/MicroAdder @ fafb573,
`submission_57p/checkpoint_57p.pt`, `submission_67p/checkpoint_67p.pt`) as
safetensors, for `adder::model!`.

Run from the repository root, with the board's files in ../shared/board:

    python3 adder/specs/board/convert_microadder.py

Needs torch, numpy and safetensors; the project itself never runs it. Kept:
the tensors the submissions' own `build_model` loads as parameters (57 and
67 numbers), under their names in the 57p state dict. Left out, each checked
to be what the submission's code uses in its place: the shared norm's two
copies (`norm2`, `norm_f`; `ln2`, `ln_f`), equal to the first; the 67p's
`tok_arc_B`, tied to `tok_arc_A`; the frozen spiral constants (amp 3.5,
phase 0, slope 0.15, offset 0) and the zero PLUS/EOS positions, which the
submissions' code fixes; the causal mask and the position maps.
"""

import numpy as np
import torch
from safetensors.numpy import save_file

BOARD = "../shared/board/microadder"
RENAME_67 = {
    "blocks.0.attn.q_proj.weight": "q_proj.weight",
    "blocks.0.attn.out_proj.A": "out_proj.A",
    "blocks.0.attn.out_proj.B": "out_proj.B",
    "blocks.0.attn.q_phase_angle": "q_phase_angle",
    "blocks.0.ln1.weight": "norm1.weight",
    "blocks.0.ffn.fc1.weight": "fc1.weight",
    "blocks.0.ffn.fc2.weight": "fc2.weight",
}
KEEP = {
    "tok_arc_A", "tok_arc_start", "tok_arc_stride", "special_pos_equals", "z_hi_pos",
    "q_phase_angle", "q_proj.weight", "out_proj.A", "out_proj.B", "fc1.weight",
    "fc2.weight", "head_proj.weight", "norm1.weight",
}

for params in (57, 67):
    path = f"{BOARD}/submission_{params}p/checkpoint_{params}p.pt"
    state = torch.load(path, map_location="cpu", weights_only=False)["model_state_dict"]
    state = {RENAME_67.get(key, key): value for key, value in state.items()}
    norms = [key for key in state if key.endswith(("norm2.weight", "norm_f.weight", "ln2.weight", "ln_f.weight"))]
    for key in norms:
        assert torch.equal(state[key], state["norm1.weight"]), key
    if "tok_arc_B" in state:
        assert torch.equal(state["tok_arc_B"], state["tok_arc_A"])
    assert float(state["spiral_amp"]) == 3.5 and float(state["spiral_phase"]) == 0.0
    assert state["spiral_slope"].item() == np.float32(0.15) and float(state["spiral_offset"]) == 0.0
    assert not state["_plus_pos"].any() and not state["_eos_pos"].any()
    tensors = {
        key: np.ascontiguousarray(value.numpy().astype(np.float32))
        for key, value in state.items()
        if key in KEEP
    }
    count = sum(t.size for t in tensors.values())
    assert count == params, count
    save_file(tensors, f"adder/specs/board/microadder_{params}.safetensors")
    print(params, sorted(tensors), count)
