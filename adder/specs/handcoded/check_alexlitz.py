"""One-off check (not a project dependency): runs alexlitz's 36p with its own
code (`baselines/alexlitz_36.py` of benedictbrady/addition-challenge, its
path the first argument; float64, greedy decoding over its 10 logits,
batched) on the board's 10,010 pairs and on the pair the board's
verification refuted it with, and prints every pair it gets wrong; checks
that `alexlitz_36.safetensors` holds its ALiBi scores bit for bit; then
writes `tests/data/alexlitz_logits.csv`: for 50 of the pairs (the 10 edge
cases and 40 random ones) and the refuting pair, every step's token and 10
logits, and the same logits in near-exact arithmetic (`exact_logits`: the
forward pass again, in 60-digit decimals, from the same float64
parameters; every logit is a difference of numbers near 1e17, so float64
runs that sum in different orders differ, and this says by how much each
is off). Run from the repository root, with the original saved somewhere:

    python3 adder/specs/handcoded/check_alexlitz.py /path/to/alexlitz_36.py

Printed on 2026-12-05 (torch 2.15 CPU): params 36, the table equal,
10010/10010, and the refuting pair -> 7000000000 (the sum is 6999999940).
"""
import importlib.util, json, math, random, struct, sys, torch
from decimal import Decimal, getcontext

edge = [(0, 0), (0, 1), (9_999_999_999, 0), (9_999_999_999, 1), (9_999_999_999, 9_999_999_999),
        (5_000_000_000, 5_000_000_000), (1_111_111_111, 8_888_888_889), (1_234_567_890, 9_876_543_210),
        (9_999_999_999, 9_999_999_999), (1, 9_999_999_999)]
rng = random.Random(2025)
pairs = edge + [(rng.randint(0, 9_999_999_999), rng.randint(0, 9_999_999_999)) for _ in range(10_000)]
REFUTING = (5_193_798_811, 1_806_201_129)

spec = importlib.util.spec_from_file_location("alexlitz_36", sys.argv[1])
sub = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sub)
model, _ = sub.build_model()
print("params:", sum(p.numel() for p in model.parameters()))

with open("adder/specs/handcoded/alexlitz_36.safetensors", "rb") as f:
    size = struct.unpack("<Q", f.read(8))[0]
    info = json.loads(f.read(size))["alibi"]
    values = struct.unpack(f"<{5 * 34 * 34}d", f.read())
table = torch.tensor(values, dtype=torch.float64).view(info["shape"])
alibi = sub.apply_alibi(34, 5).masked_fill(torch.triu(torch.ones(34, 34), 1).bool(), float("-inf"))
print("table equal:", torch.equal(table, alibi))

getcontext().prec = 60


def exact_logits(seq):
    """The forward pass at the last position, each value a 60-digit decimal."""
    d = lambda x: Decimal(repr(float(x)))
    kw, kb = d(model.attn0.k_weight.item()), d(model.attn0.k_bias.item())
    vw1, vw2, vw3 = d(model.attn0.v_w1.item()), d(model.attn0.v_w2.item()), d(model.attn0.v_w3.item())
    up = [d(x) for x in model.ffn0_up.tolist()]
    slope = d(math.log(10))
    emb = [[d(x) for x in row] for row in model._build_embedding().tolist()]
    h = [emb[t] + [Decimal(0)] * 11 for t in seq]
    streams = []
    for p in range(len(seq)):
        x = list(h[p])
        e3 = [(kw * h[j][1] + kb + slope * (j - p)).exp() for j in range(p + 1)]
        v3 = [h[j][1] * vw1 + h[j][0] * vw2 for j in range(p + 1)]
        x[3] += sum(e * v for e, v in zip(e3, v3)) / (1 + sum(e3))
        x[4] += sum(h[j][0] * vw3 for j in range(p + 1)) / (2 + p)
        for k in range(11):
            x[5 + k] += max(x[4] if k < 10 else x[2], Decimal(0)) * (x[3] * up[k])
        streams.append(x)
    o = sum(x[15] * d(model.attn1.v_weight.item()) + d(model.attn1.v_bias.item()) for x in streams) / (1 + len(seq))
    x = [v + o for v in streams[-1]]
    pos, neg, scale = d(model.ffn1_v_scale_pos.item()), d(model.ffn1_v_scale_neg.item()), d(model.ffn1_up_scale.item())
    return [float(-(x[k] + (max(x[5 + k] * pos, Decimal(0)) + max(x[5 + k] * neg, Decimal(0))) * scale))
            for k in range(10)]


def answer(row):
    return int("".join(str(t) for t in row))

seqs = torch.tensor([sub.encode(a, b) for a, b in pairs + [REFUTING]], dtype=torch.long)
for _ in range(11):
    seqs = torch.cat([seqs, model(seqs)[:, -1].argmax(-1, keepdim=True)], dim=1)
out = seqs[:, 23:].tolist()
wrong = [(a, b, answer(row)) for (a, b), row in zip(pairs, out) if answer(row) != a + b]
print(f"{len(pairs) - len(wrong)}/{len(pairs)}", wrong[:20])
print("refuting pair:", REFUTING, "->", answer(out[-1]))

rows = []
for a, b in pairs[:50] + [REFUTING]:
    seq = sub.encode(a, b)
    for step in range(11):
        logits = model(torch.tensor([seq]))[0, -1].tolist()
        token = max(range(10), key=lambda t: logits[t])
        rows.append([a, b, step, token] + logits + exact_logits(seq))
        seq.append(token)
with open("tests/data/alexlitz_logits.csv", "w") as f:
    f.write("a,b,step,token," + ",".join(f"logit{i}" for i in range(10)) + ","
            + ",".join(f"exact{i}" for i in range(10)) + "\n")
    for row in rows:
        f.write(",".join(repr(v) if isinstance(v, float) else str(v) for v in row) + "\n")
