// logSoftmax against torch's float32 CPU log_softmax (test/fixtures/log-softmax, made by
// scripts/gen-log-softmax-vectors.py on rows of 1 to 128,256 cells). Both compute
// out = fround(fround(x − max) − L) with one L per row; they differ only in L. torch sums float32
// exps (SIMD exp, not correctly rounded) in float32 across vector lanes, in an order that depends on
// the CPU's vector width; the library sums double exps in double, so its L is within one float32
// rounding of the exact value and torch's is off by its own summation error, which grows with n.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { logSoftmax } from '../../src/processors/log-softmax.js';

interface Row {
  seed: number;
  n: number;
  scale: number;
  spike: number;
}
interface ShortRow extends Row {
  input: number[];
  expected: number[];
}
interface LongRow extends Row {
  lse: number;
  cells: [number, number][];
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/log-softmax/vectors.json', import.meta.url), 'utf8')) as {
  meta: Record<string, unknown>;
  short: ShortRow[];
  long: LongRow[];
};

/** The generator of the fixture's rows (xorshift32; exact doubles rounded to float32). */
function makeRow({ seed, n, scale, spike }: Row): Float32Array {
  let x = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    let v = (x / 2 ** 32 - 0.5) * 2 * scale;
    if (x % 997 === 0) v += spike;
    out[i] = v;
  }
  return out;
}

/** The float32 ulp of |v|. */
function ulp32(v: number): number {
  const a = Math.abs(Math.fround(v));
  const e = Math.floor(Math.log2(a));
  return 2 ** (Math.max(e, -126) - 23);
}

/** log Σ exp(x − max) in double with a compensated (Neumaier) sum: the exact value to ~1e-15. */
function exactLse(x: Float32Array, m: number): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < x.length; i++) {
    const t = Math.exp(x[i] - m);
    const u = s + t;
    c += Math.abs(s) >= t ? s - u + t : t - u + s;
    s = u;
  }
  return Math.log(s + c);
}

interface Case {
  name: string;
  n: number;
  x: Float32Array;
  lseTorch: number;
  torchCells: [number, number][];
}
const cases: Case[] = [
  ...fixture.short.map((r) => ({
    name: `n = ${r.n}, seed ${r.seed}`,
    n: r.n,
    x: Float32Array.from(r.input),
    lseTorch: NaN,
    torchCells: r.expected.map((v, i) => [i, v] as [number, number]),
  })),
  ...fixture.long.map((r) => ({ name: `n = ${r.n}, scale ${r.scale}, spike ${r.spike}`, n: r.n, x: makeRow(r), lseTorch: r.lse, torchCells: r.cells })),
];
for (const c of cases) {
  if (Number.isNaN(c.lseTorch)) {
    let arg = 0;
    for (let i = 1; i < c.x.length; i++) if (c.x[i] > c.x[arg]) arg = i;
    c.lseTorch = -c.torchCells[arg][1];
  }
}

describe('logSoftmax vs torch log_softmax (float32, CPU)', () => {
  it(`the fixture's rows are reproduced by the generator (${fixture.short.length} stored rows)`, () => {
    for (const r of fixture.short) expect(Array.from(makeRow(r))).toEqual(r.input);
  });

  it(`every cell is fround(fround(x − max) − L), as torch's; L within 2⁻²⁴ + ulp(L)/2 of the exact log Σ exp(x − max); |L − L_torch| ≤ max(2, √n/2) · 2⁻²³ (${cases.length} rows, n = 1 … 128,256)`, () => {
    let worst = 0;
    for (const c of cases) {
      const x = c.x;
      let arg = 0;
      for (let i = 1; i < x.length; i++) if (x[i] > x[arg]) arg = i;
      const m = x[arg];
      const out = logSoftmax()(Float32Array.from(x));
      const lse = -out[arg];
      for (let i = 0; i < x.length; i++) {
        if (out[i] !== Math.fround(Math.fround(x[i] - m) - lse)) expect.fail(`${c.name}, cell ${i}: ${out[i]}`);
      }
      // torch's cells follow the same formula with torch's L
      for (const [i, v] of c.torchCells) expect(Math.fround(Math.fround(x[i] - m) - c.lseTorch), c.name).toBe(v);
      const exact = exactLse(x, m);
      expect(Math.abs(lse - exact), c.name).toBeLessThanOrEqual(2 ** -24 + ulp32(lse) / 2);
      const diff = Math.abs(lse - c.lseTorch) / 2 ** -23;
      expect(diff, `${c.name}: L = ${lse}, torch ${c.lseTorch}`).toBeLessThanOrEqual(Math.max(2, Math.sqrt(c.n) / 2));
      worst = Math.max(worst, diff / Math.max(2, Math.sqrt(c.n) / 2));
    }
    // the bound is not slack everywhere: some row comes within a factor 2 of it
    expect(worst).toBeGreaterThan(0.5);
  });

  it("torch's own L is further from the exact value: up to 10× beyond the library's bound on long rows", () => {
    let worst = 0;
    for (const c of cases) {
      let arg = 0;
      for (let i = 1; i < c.x.length; i++) if (c.x[i] > c.x[arg]) arg = i;
      const bound = 2 ** -24 + ulp32(c.lseTorch) / 2;
      worst = Math.max(worst, Math.abs(c.lseTorch - exactLse(c.x, c.x[arg])) / bound);
    }
    expect(worst).toBeGreaterThan(10);
  });
});
