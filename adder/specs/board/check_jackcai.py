"""One-off check (not a project dependency): runs Jack Cai's 234p with its own
code (`submission_234.py` and `best_model_234.pt`, greedy decoding as its
`add` does, batched) on the board's 10,010 pairs and prints every pair it
gets wrong; then appends its rows to `tests/data/split_logits.csv`
(written first by `check_microadder.py`): for 50 of the pairs, every step's
token and its 10 digit logits in `float32` and in `float64`. Run from the
repository root, with the board's files in ../shared/board:

    python3 adder/specs/board/check_jackcai.py

Printed on 2026-12-03 (torch 2.15 CPU): see the spec's header.
"""
import copy, importlib.util, random, torch

FOLDER = "../shared/board/jackcai-234p"
edge = [(0, 0), (0, 1), (9_999_999_999, 0), (9_999_999_999, 1), (9_999_999_999, 9_999_999_999),
        (5_000_000_000, 5_000_000_000), (1_111_111_111, 8_888_888_889), (1_234_567_890, 9_876_543_210),
        (9_999_999_999, 9_999_999_999), (1, 9_999_999_999)]
rng = random.Random(2025)
pairs = edge + [(rng.randint(0, 9_999_999_999), rng.randint(0, 9_999_999_999)) for _ in range(10_000)]

def prompt(a, b):
    return [(a // 10**i) % 10 for i in range(10)] + [10] + [(b // 10**i) % 10 for i in range(10)] + [11]

spec = importlib.util.spec_from_file_location("sub234", f"{FOLDER}/submission_234.py")
sub = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sub)
model, _ = sub.build_model()
prompts = torch.tensor([prompt(a, b) for a, b in pairs], dtype=torch.long)
out = model.generate(prompts)[:, :11].tolist()
def value(row):
    # The submission's `add`: digits up to the first token that is not one.
    total = 0
    for i, t in enumerate(row):
        if t >= 10:
            break
        total += t * 10**i
    return total
wrong = [(a, b, value(row), row) for (a, b), row in zip(pairs, out) if value(row) != a + b]
print(f"234p: {len(pairs) - len(wrong)}/{len(pairs)}")
for w in wrong:
    print(*w)
exact = copy.deepcopy(model).double()
rows = []
for (a, b) in pairs[:50]:
    seq = prompt(a, b)
    for step in range(11):
        x = torch.tensor([seq])
        with torch.no_grad():
            logits = model(x)[0, -1].tolist()
            torch.set_default_dtype(torch.float64)
            logits64 = exact(x)[0, -1].tolist()
            torch.set_default_dtype(torch.float32)
        token = max(range(14), key=lambda t: logits[t])
        rows.append(["jackcai_234", a, b, step, token] + logits[:10] + logits64[:10])
        seq.append(token)
with open("tests/data/split_logits.csv", "a") as f:
    for row in rows:
        f.write(",".join(repr(v) if isinstance(v, float) else str(v) for v in row) + "\n")
