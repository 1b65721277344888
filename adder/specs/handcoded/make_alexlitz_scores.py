"""Writes alexlitz_36.safetensors: layer 0's score table of alexlitz_36.spec.

The original (`apply_alibi`) adds `slope_h * (j - i)` to head h's score of
key position j at query position i, the slope ln 10 on head 3 and 0 on the
others (0 * (j - i) is -0.0 there, which adds nothing), and masks j > i
with -inf; here the same products of the same Python floats, over the 34
positions. Run once (python3, no packages); the file is committed, and the
build does not need Python.
"""

import json
import math
import struct

HEADS, BLOCK, ADJUSTMENT_HEAD = 5, 34, 3

values = []
for head in range(HEADS):
    slope = math.log(10) if head == ADJUSTMENT_HEAD else 0.0
    for i in range(BLOCK):
        values.extend(slope * float(j - i) if j <= i else -math.inf for j in range(BLOCK))

data = struct.pack(f"<{len(values)}d", *values)
header = json.dumps(
    {"alibi": {"dtype": "F64", "shape": [HEADS, BLOCK, BLOCK], "data_offsets": [0, len(data)]}},
    separators=(",", ":"),
).encode()
header += b" " * (-len(header) % 8)
with open("alexlitz_36.safetensors", "wb") as out:
    out.write(struct.pack("<Q", len(header)) + header + data)
