"""One-off check (not a project dependency): runs MicroAdder's 57p and 67p
with their own code (`submission_{57,67}p.py` and their checkpoints, greedy
decoding as their `add` does, batched) on the board's 10,010 pairs and
prints every pair each gets wrong; then writes `tests/data/split_logits.csv`:
for 50 of the pairs (the 10 edge cases and 40 random ones), every step's
token and 10 logits in `float32` (the run the board scored) and in `float64`
(the same network in exact-enough math). Run from the repository root, with
the board's files in ../shared/board:

    python3 adder/specs/board/check_microadder.py

Printed on 2026-12-03 (torch 2.15 CPU): 57p 10010/10010, 67p 10010/10010;
`adder::models::microadder_57` and `microadder_67` get every pair right too
(`adder/examples/verify.rs`), so every answer is the original's.
"""
import copy, importlib.util, os, random, sys, torch

BOARD = "../shared/board/microadder"
edge = [(0, 0), (0, 1), (9_999_999_999, 0), (9_999_999_999, 1), (9_999_999_999, 9_999_999_999),
        (5_000_000_000, 5_000_000_000), (1_111_111_111, 8_888_888_889), (1_234_567_890, 9_876_543_210),
        (9_999_999_999, 9_999_999_999), (1, 9_999_999_999)]
rng = random.Random(2025)
pairs = edge + [(rng.randint(0, 9_999_999_999), rng.randint(0, 9_999_999_999)) for _ in range(10_000)]

def prompt(a, b):
    return [(a // 10**i) % 10 for i in range(10)] + [0] + [(b // 10**i) % 10 for i in range(10)] + [0]

rows = []
for params in (57, 67):
    folder = f"{BOARD}/submission_{params}p"
    spec = importlib.util.spec_from_file_location(f"sub{params}", f"{folder}/submission_{params}p.py")
    sub = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sub)
    model, _ = sub.build_model()
    prompts = torch.tensor([prompt(a, b) for a, b in pairs], dtype=torch.long)
    out = model.generate(prompts)[:, :11].tolist()
    wrong = [(a, b, sum(t * 10**i for i, t in enumerate(row)))
             for (a, b), row in zip(pairs, out)
             if sum(t * 10**i for i, t in enumerate(row)) != a + b]
    print(f"{params}p: {len(pairs) - len(wrong)}/{len(pairs)}", wrong)
    exact = copy.deepcopy(model).double()
    for (a, b) in pairs[:50]:
        seq = prompt(a, b)
        for step in range(11):
            x = torch.tensor([seq])
            with torch.no_grad():
                logits = model(x)[0, -1].tolist()
                # The code builds its position table with the default dtype.
                torch.set_default_dtype(torch.float64)
                logits64 = exact(x)[0, -1].tolist()
                torch.set_default_dtype(torch.float32)
            token = max(range(10), key=lambda t: logits[t])
            rows.append([f"microadder_{params}", a, b, step, token] + logits + logits64)
            seq.append(token)

with open("tests/data/split_logits.csv", "w") as f:
    f.write("model,a,b,step,token," + ",".join(f"logit{i}" for i in range(10)) + ","
            + ",".join(f"exact{i}" for i in range(10)) + "\n")
    for row in rows:
        f.write(",".join(repr(v) if isinstance(v, float) else str(v) for v in row) + "\n")
