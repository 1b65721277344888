"""One-off check (not a project dependency): runs lichengliu03's 262p on the
board's 10,010 pairs with its own code (`submission_262p.py`, the state dict
it embeds, greedy decoding as its `add` does, batched), and prints every pair
it gets wrong with its sum. Run from ../shared/board/lichengliu03-262p:

    python3 /path/to/adder/specs/board/check_lichengliu03_262.py

Printed on 2026-12-02 (torch 2.15 CPU): 10005/10010, wrong:
519397816 + 2384862507 -> 1904260323, 542898351 + 2394808167 -> 1937706518,
59211998 + 717644976 -> 776856874, 279985791 + 2672307380 -> 1952293171,
4809941724 + 8949094006 -> 13758035730; `adder::models::lichengliu03_262`
gets these five wrong with these sums and every other pair right
(`adder/examples/verify.rs`), so every answer is the original's.
"""
import importlib.util, random, torch

spec = importlib.util.spec_from_file_location("sub", "submission_262p.py")
sub = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sub)
model, _ = sub.build_model()
edge = [(0, 0), (0, 1), (9_999_999_999, 0), (9_999_999_999, 1), (9_999_999_999, 9_999_999_999),
        (5_000_000_000, 5_000_000_000), (1_111_111_111, 8_888_888_889), (1_234_567_890, 9_876_543_210),
        (9_999_999_999, 9_999_999_999), (1, 9_999_999_999)]
rng = random.Random(2025)
pairs = edge + [(rng.randint(0, 9_999_999_999), rng.randint(0, 9_999_999_999)) for _ in range(10_000)]
prompts = torch.tensor([sub._preprocess(a, b) for a, b in pairs], dtype=torch.long)
out = model.generate(prompts, max_new_tokens=sub.TARGET_LEN)
wrong = []
for (a, b), row in zip(pairs, out[:, -sub.TARGET_LEN:].tolist()):
    s = sub._postprocess(row)
    if s != a + b:
        wrong.append((a, b, s))
print(f"{len(pairs) - len(wrong)}/{len(pairs)}")
for a, b, s in wrong:
    print(a, b, s)
