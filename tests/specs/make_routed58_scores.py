"""Writes routed58_f64.safetensors: the score table of routed58_f64.spec.

adder58's heads attend, at the query position p of answer digit k
(p = 21 + k), to the two prompt positions j <= 21 with j = 8 - p (head 0:
a_k and b_k) and j = 9 - p (head 1: a_k-1 and b_k-1) modulo 11, each with
weight exactly 1/2. This table gives those positions score 0 and every other
-inf; a prompt position looks at itself. Run once (python3, no packages);
the file is committed, and the build does not need Python.
"""

import json
import math
import struct

HEADS, BLOCK, PROMPT = 2, 35, 22

values = []
for head in range(HEADS):
    for p in range(BLOCK):
        row = [-math.inf] * BLOCK
        if p < PROMPT - 1:
            row[p] = 0.0
        else:
            for j in range(PROMPT):
                if j % 11 == (8 + head - p) % 11:
                    row[j] = 0.0
        values.extend(row)

data = struct.pack(f"<{len(values)}d", *values)
header = json.dumps(
    {"scores": {"dtype": "F64", "shape": [HEADS, BLOCK, BLOCK], "data_offsets": [0, len(data)]}},
    separators=(",", ":"),
).encode()
header += b" " * (-len(header) % 8)
with open("routed58_f64.safetensors", "wb") as out:
    out.write(struct.pack("<Q", len(header)) + header + data)
