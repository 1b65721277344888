"""One-off check (not a project dependency): runs fblissjr's 33p with its own
code (`submission_1l.py`, float64, greedy decoding as its `add` does,
batched) on the board's 10,010 pairs and prints every pair it gets wrong;
checks that `fblissjr_33.safetensors` holds its score buffer `M` bit for bit;
then writes `tests/data/fblissjr_logits.csv`: for 50 of the pairs (the 10
edge cases and 40 random ones), every step's token and 11 logits. Run from
the repository root, with the board's files in ../shared/board:

    python3 adder/specs/handcoded/check_fblissjr.py

Printed on 2026-12-05 (torch 2.15 CPU): 10010/10010, the table equal.
"""
import importlib.util, json, random, struct, torch

SOURCE = "../shared/board/fblissjr-33p/submission_1l.py"
edge = [(0, 0), (0, 1), (9_999_999_999, 0), (9_999_999_999, 1), (9_999_999_999, 9_999_999_999),
        (5_000_000_000, 5_000_000_000), (1_111_111_111, 8_888_888_889), (1_234_567_890, 9_876_543_210),
        (9_999_999_999, 9_999_999_999), (1, 9_999_999_999)]
rng = random.Random(2025)
pairs = edge + [(rng.randint(0, 9_999_999_999), rng.randint(0, 9_999_999_999)) for _ in range(10_000)]

def prompt(a, b):
    return [(a // 10**i) % 10 for i in range(10)] + [10] + [(b // 10**i) % 10 for i in range(10)] + [10]

spec = importlib.util.spec_from_file_location("submission_1l", SOURCE)
sub = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sub)
model, meta = sub.build_model()
print("params (distinct values):", meta["params"],
      "stored:", sum(p.numel() for p in model.parameters()))

with open("adder/specs/handcoded/fblissjr_33.safetensors", "rb") as f:
    size = struct.unpack("<Q", f.read(8))[0]
    info = json.loads(f.read(size))["M"]
    values = struct.unpack(f"<{3 * 33 * 33}d", f.read())
table = torch.tensor(values, dtype=torch.float64).view(info["shape"])
print("table equal:", torch.equal(table, model.M[:, :33, :33]))

seqs = torch.tensor([prompt(a, b) for a, b in pairs], dtype=torch.long)
with torch.no_grad():
    for _ in range(11):
        seqs = torch.cat([seqs, model(seqs)[:, -1].argmax(-1, keepdim=True)], dim=1)
out = seqs[:, 22:].tolist()
wrong = [(a, b, sum(t * 10**i for i, t in enumerate(row)))
         for (a, b), row in zip(pairs, out) if sum(t * 10**i for i, t in enumerate(row)) != a + b]
print(f"{len(pairs) - len(wrong)}/{len(pairs)}", wrong)
assert all(sub.add(model, a, b) == a + b for a, b in pairs[:20])

rows = []
for a, b in pairs[:50]:
    seq = prompt(a, b)
    for step in range(11):
        with torch.no_grad():
            logits = model(torch.tensor([seq]))[0, -1].tolist()
        token = max(range(11), key=lambda t: logits[t])
        rows.append([a, b, step, token] + logits)
        seq.append(token)
with open("tests/data/fblissjr_logits.csv", "w") as f:
    f.write("a,b,step,token," + ",".join(f"logit{i}" for i in range(11)) + "\n")
    for row in rows:
        f.write(",".join(repr(v) if isinstance(v, float) else str(v) for v in row) + "\n")
