/**
 * fast-check helpers shared by the warper tests: rows with ties and -Infinity cells, candidate
 * supersets, and the check that the Candidates methods leave exactly what the plain call leaves.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Candidates, Processor } from '../../src/core/types.js';

/** A finite-or-(-Infinity) row of 1..64 cells, with many ties. */
export const rowArb = (opts: { negInf?: boolean; min?: number } = {}) =>
  fc.array(
    fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: -12, max: 12 }).map((v) => v / 2) },
      { weight: 3, arbitrary: fc.float({ min: -20, max: 20, noNaN: true }) },
      { weight: opts.negInf === false ? 0 : 1, arbitrary: fc.constant(-Infinity) },
    ),
    { minLength: opts.min ?? 1, maxLength: 64 },
  );

/** Copies a row to float32. */
export const f32 = (vals: number[]) => Float32Array.from(vals);

/** Every cell of a and b is the same float (NaN equal to NaN). */
export function expectSameRow(a: Float32Array, b: Float32Array): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (!(Object.is(a[i], b[i]) || (a[i] !== a[i] && b[i] !== b[i]))) {
      throw new Error(`cell ${i}: ${a[i]} vs ${b[i]}\n${Array.from(a)}\n${Array.from(b)}`);
    }
  }
}

/** A candidate superset of the non -Infinity cells of x: those plus some -Infinity ones, shuffled by `seed`. */
export function candsFor(x: Float32Array, seed: number): Candidates {
  const ids = new Int32Array(x.length);
  let size = 0;
  let s = seed >>> 0 || 1;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  for (let i = 0; i < x.length; i++) if (x[i] !== -Infinity || rnd() < 0.3) ids[size++] = i;
  for (let i = size - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const t = ids[i];
    ids[i] = ids[j];
    ids[j] = t;
  }
  return { ids, size };
}

/** Every cell outside cands is -Infinity. */
export function expectOutsideNegInf(x: Float32Array, cands: Candidates): void {
  const inside = new Set(Array.from(cands.ids.subarray(0, cands.size)));
  for (let i = 0; i < x.length; i++) if (!inside.has(i)) expect(x[i]).toBe(-Infinity);
}

/** plain, sparse (on a superset) and truncate (if any) leave the same row; cands stay valid. */
export function checkCandidateMethods(make: () => Processor, vals: number[], seed: number): void {
  const a = f32(vals);
  make()(a);
  const proc = make();
  if (proc.sparse) {
    const b = f32(vals);
    const cands = candsFor(b, seed);
    proc.sparse(b, cands);
    expectSameRow(b, a);
    expectOutsideNegInf(b, cands);
  }
  if (proc.truncate) {
    const c = f32(vals);
    const cands: Candidates = { ids: new Int32Array(c.length), size: 0 };
    if (make().truncate!(c, cands)) expectOutsideNegInf(c, cands);
    expectSameRow(c, a);
  }
}

/**
 * A cutoff warper's `sparse` on the survivors of a truncation of large (3,000-cell) rows: the same row as
 * the plain call, and the candidates shrink to exactly the survivors. `make(seed)` builds the processor.
 */
export function checkSparseOnLargeRows(make: (seed: number) => Processor): void {
  for (let seed = 1; seed <= 6; seed++) {
    const n = 3000;
    const row = new Float32Array(n);
    let s = seed;
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      row[i] = i % 7 === 0 ? -Infinity : Math.round((s / 4294967296) * 64 - Math.log(1 + i)) / 4;
    }
    const a = Float32Array.from(row);
    make(seed)(a);
    const b = Float32Array.from(row);
    const ids = new Int32Array(n);
    let size = 0;
    for (let i = n - 1; i >= 0; i--) if (b[i] !== -Infinity) ids[size++] = i; // descending, as a truncation hands over
    const cands = { ids, size };
    make(seed).sparse!(b, cands);
    expectSameRow(b, a);
    expectOutsideNegInf(b, cands);
    expect(cands.size).toBe(a.filter((v) => v !== -Infinity).length);
  }
}

/**
 * Property: for any finite row, at least minTokensToKeep cells survive with their exact value and no
 * cell becomes NaN (a finite filter value, so survivors are told apart by value).
 */
export function checkKeepsMinTokens(
  make: (param: number, mtk: number) => Processor,
  param: fc.Arbitrary<number>,
): void {
  fc.assert(
    fc.property(rowArb({ negInf: false }), param, fc.integer({ min: 1, max: 4 }), (vals, p, mtk) => {
      const x = f32(vals);
      make(p, mtk)(x);
      let kept = 0;
      for (let i = 0; i < x.length; i++) {
        expect(Number.isNaN(x[i])).toBe(false);
        if (x[i] === Math.fround(vals[i])) kept++;
      }
      expect(kept).toBeGreaterThanOrEqual(Math.min(mtk, vals.length));
    }),
    { numRuns: 1000 },
  );
}

/** Property: `sparse` on a shuffled candidate superset leaves bit for bit the plain result (checkCandidateMethods). */
export function checkSparseSuperset(make: (param: number, mtk: number, filter: number) => Processor): void {
  fc.assert(
    fc.property(
      rowArb(),
      fc.oneof(fc.double({ min: 1e-6, max: 0.999, noNaN: true }), fc.constantFrom(1e-3, 0.05, 0.2)),
      fc.integer({ min: 1, max: 6 }),
      fc.constantFrom(-Infinity, -Infinity, -1e4),
      fc.integer(),
      (vals, p, mtk, filter, seed) => {
        checkCandidateMethods(() => make(p, mtk, filter), vals, seed);
      },
    ),
    { numRuns: 1000 },
  );
}
