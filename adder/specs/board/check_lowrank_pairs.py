"""One-off check (not a project dependency): runs the 311p low-rank GPT's own
PyTorch code on the pairs adder's verifier refutes it with, greedy decoding
as its eval does. Run from ../shared/board/lowrank-311p:

    python3 /path/to/adder/specs/board/check_lowrank_pairs.py

Printed on 2026-12-01 (torch 2.15 CPU): 3126110843 + 5000010076 ->
8126110919 (WRONG, as adder's lowrank_311 answers), 8305175533 + 7591858566
-> 15997034099 (WRONG), 8305175505 + 7591858514 -> 15997034019 (WRONG),
7257010527 + 5355010034 -> 12612010561 (WRONG), 8305175560 + 7591858501 ->
15997034061 (WRONG), 1 + 2 -> 3 (right).
"""
import sys, torch
sys.path.insert(0, '.')
from src.data import preprocess
from src.model import ModelConfig, TinyDecoderLM
ckpt = torch.load('checkpoints/best_311p_s34.pt', map_location='cpu', weights_only=False)
cfg = ModelConfig(**ckpt['model_config']); m = TinyDecoderLM(cfg); m.load_state_dict(ckpt['model_state']); m.eval()
for a, b in [(3126110843, 5000010076), (8305175533, 7591858566), (8305175505, 7591858514), (7257010527, 5355010034), (8305175560, 7591858501), (1, 2)]:
    x = list(preprocess(a, b))
    out = []
    with torch.no_grad():
        for k in range(11):
            logits = m(torch.tensor([x]))
            if isinstance(logits, tuple): logits = logits[0]
            d = int(logits[0, -1].argmax()); out.append(d); x.append(d)
    s = int(''.join(str(d) for d in reversed(out)))
    print(a, b, s, a + b, 'WRONG' if s != a + b else 'right')
