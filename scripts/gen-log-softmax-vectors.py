"""Generates test/fixtures/log-softmax/vectors.json: torch's float32 log_softmax on CPU.

Rows are made by an integer generator that JavaScript reproduces exactly (xorshift32; every value is
a double computed exactly, then rounded to float32), so long rows need not be stored:

    x ^= x << 13; x ^= x >> 17; x ^= x << 5   (uint32)
    v = fround((x / 2**32 - 0.5) * 2 * scale), plus `spike` on every cell whose x % 997 == 0

Short rows (≤ 64 cells) are stored whole with torch's output. Long rows store the generator's
parameters, torch's float32 log-sum-exp L (= −out[argmax], since out = fround(fround(x − max) − L))
and a few output cells; the script checks that formula on every cell of every row.

Run: /work/venv/bin/python scripts/gen-log-softmax-vectors.py > test/fixtures/log-softmax/vectors.json
"""
import json
import platform

import numpy as np
import torch

torch.set_num_threads(1)


def row(seed, n, scale, spike):
    x = seed & 0xFFFFFFFF
    out = np.empty(n, dtype=np.float32)
    for i in range(n):
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        v = (x / 2**32 - 0.5) * 2 * scale
        if x % 997 == 0:
            v += spike
        out[i] = np.float32(v)
    return out


def f32(v):
    return float(np.float32(v))


def log_softmax(values):
    t = torch.from_numpy(values.copy())
    out = torch.log_softmax(t, dim=-1).numpy()
    m = values.max()
    lse = -out[int(np.argmax(values))]
    # torch's formula on every cell: fround(fround(x − max) − L)
    z = (values - m).astype(np.float32)
    assert np.array_equal((z - np.float32(lse)).astype(np.float32), out), 'torch output is not fround(z − L)'
    return out, float(lse)


short_rows = []
seed = 1
for n in [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 47, 48, 63, 64]:
    for scale, spike in [(1, 0), (8, 0), (32, 0), (4, 16)]:
        for _ in range(3):
            seed += 1
            v = row(seed, n, scale, spike)
            out, _ = log_softmax(v)
            short_rows.append({'seed': seed, 'n': n, 'scale': scale, 'spike': spike,
                               'input': [f32(a) for a in v], 'expected': [f32(a) for a in out]})

long_rows = []
for n in [65, 100, 128, 257, 1000, 4096, 32000, 50257, 128256]:
    for scale, spike in [(1, 0), (8, 0), (4, 16), (16, 24)]:
        seed += 1
        v = row(seed, n, scale, spike)
        out, lse = log_softmax(v)
        picks = sorted({int(np.argmax(v)), 0, n - 1, *[(k * 7919) % n for k in range(1, 13)]})
        long_rows.append({'seed': seed, 'n': n, 'scale': scale, 'spike': spike, 'lse': lse,
                          'cells': [[i, f32(out[i])] for i in picks]})

print(json.dumps({
    'meta': {
        'generator': 'scripts/gen-log-softmax-vectors.py',
        'torch': torch.__version__,
        'cpu_capability': torch.backends.cpu.get_cpu_capability(),
        'machine': platform.machine(),
        'threads': 1,
        'op': 'torch.log_softmax(x, dim=-1) on a float32 CPU tensor',
    },
    'short': short_rows,
    'long': long_rows,
}, separators=(',', ':')))
