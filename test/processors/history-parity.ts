/**
 * Shared checks for the history-based processors' tests: HF parity rows run three ways (plain
 * array history, TokenHistory, and the sparse path with a random candidate superset), and the
 * property "TokenHistory path = plain-array path" after pushes and truncation.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TokenHistory } from '../../src/core/token-history.js';
import type { Candidates, Processor } from '../../src/core/types.js';
import { compareRow, loadHf, namedErrorProblems, row, rowsToCompare, type HfCase } from '../helpers/fixtures.js';
import type { Reference } from './naive-references.js';

export type Build = (params: Record<string, any>, rowIndex: number, rows: number) => Processor;

/** Every cell outside `cands` must be -Infinity. */
export function checkSuperset(logits: Float32Array, cands: Candidates): string | null {
  const inside = new Set<number>();
  for (let i = 0; i < cands.size; i++) inside.add(cands.ids[i]);
  for (let i = 0; i < logits.length; i++) {
    if (!inside.has(i) && logits[i] !== -Infinity) return `cell ${i} = ${logits[i]} is outside the candidates`;
  }
  return null;
}

/** The candidate set of every cell that is not -Infinity, plus `extra` -Infinity cells. */
export function candsOf(logits: Float32Array, extra = 0): Candidates {
  const ids = new Int32Array(logits.length);
  let size = 0;
  let added = 0;
  for (let i = 0; i < logits.length; i++) {
    if (logits[i] !== -Infinity || added++ < extra) ids[size++] = i;
  }
  return { ids, size };
}

/** Runs one fixture row through the plain call (array and TokenHistory) and the sparse call. */
export function runRow(c: HfCase, r: number, proc: () => Processor): string[] {
  rowsToCompare(c); // a case with nothing to compare throws
  const scores = c.scores![r];
  const ids = c.input_ids ? c.input_ids[r] : [];
  const problems: string[] = [];
  const a = row(scores);
  proc()(a, ids.slice());
  problems.push(...compareRow(c, r, a, c.expected![r]).map((p) => `array: ${p}`));
  const b = row(scores);
  proc()(b, new TokenHistory(ids));
  problems.push(...compareRow(c, r, b, c.expected![r]).map((p) => `TokenHistory: ${p}`));
  const p = proc();
  if (p.sparse) {
    const s = row(scores);
    const cands = candsOf(s, 1);
    p.sparse(s, cands, new TokenHistory(ids));
    problems.push(...compareRow(c, r, s, c.expected![r]).map((q) => `sparse: ${q}`));
    const bad = checkSuperset(s, cands);
    if (bad) problems.push(`sparse: ${bad}`);
  }
  return problems;
}

/** A parity `describe` block over every case of test/fixtures/hf/<fixture>.json. */
export function parity(
  fixture: string,
  build: Build,
  special: Record<string, (c: HfCase) => void> = {},
  aliases: Record<string, string[]> = {},
): void {
  const fx = loadHf(fixture);
  describe(`${fixture} parity (transformers ${String(fx.meta.transformers_version)})`, () => {
    for (const c of fx.cases) {
      if (special[c.name]) {
        it(`${c.name} (documented deviation)`, () => special[c.name](c));
        continue;
      }
      if (c.expected_error) {
        it(`${c.name} throws`, () => {
          let caught: unknown = null;
          try {
            const p = build(c.params, 0, 1);
            if (c.scores) p(row(c.scores[0]), c.input_ids ? c.input_ids[0] : []);
          } catch (e) {
            caught = e;
          }
          expect(namedErrorProblems(c, caught, aliases)).toEqual([]);
        });
        continue;
      }
      it(c.name, () => {
        const rows = rowsToCompare(c).scores.length;
        for (let r = 0; r < rows; r++) {
          expect(runRow(c, r, () => build(c.params, r, rows))).toEqual([]);
        }
      });
    }
  });
}

/** Arbitrary small-vocabulary history operations: initial ids, a truncation point, more ids. */
export const historyOps = (vocab: number, maxLen = 24) =>
  fc.record({
    first: fc.array(fc.integer({ min: 0, max: vocab - 1 }), { maxLength: maxLen }),
    cut: fc.nat(),
    more: fc.array(fc.integer({ min: 0, max: vocab - 1 }), { maxLength: maxLen }),
    logits: fc.array(fc.float({ noNaN: true, noDefaultInfinity: true, min: -20, max: 20 }), {
      minLength: vocab,
      maxLength: vocab,
    }),
  });

/**
 * Property: after pushes, a call, a truncation and more pushes, the TokenHistory path (dense and
 * sparse) and the plain-array path each equal `reference`, a straightforward recount over the
 * plain array of ids (test/processors/naive-references.ts), and no NaN appears.
 */
export function historyProperty(name: string, make: () => Processor, reference: Reference, vocab = 6): void {
  it(`${name}: TokenHistory path = array path = naive reference after pushes and truncate; no NaN`, () => {
    fc.assert(
      fc.property(historyOps(vocab), ({ first, cut, more, logits }) => {
        const proc = make();
        const h = new TokenHistory(first);
        proc(Float32Array.from(logits), h); // builds the indexes
        h.truncate(first.length === 0 ? 0 : cut % (first.length + 1));
        proc(Float32Array.from(logits), h); // indexes rebuilt after truncate
        for (const id of more) h.push(id);
        const viaHistory = Float32Array.from(logits);
        proc(viaHistory, h);
        const ids = [...first.slice(0, h.length - more.length), ...more];
        expect(Array.from(h.tokens)).toEqual(ids);
        const want = Float32Array.from(logits);
        reference(want, ids);
        const viaArray = Float32Array.from(logits);
        make()(viaArray, ids);
        expect(Array.from(viaArray)).toEqual(Array.from(want));
        expect(Array.from(viaHistory)).toEqual(Array.from(want));
        for (const v of viaHistory) expect(Number.isNaN(v)).toBe(false);
        if (proc.sparse) {
          const s = Float32Array.from(logits);
          const cands = candsOf(s);
          proc.sparse(s, cands, h);
          expect(Array.from(s)).toEqual(Array.from(want));
          expect(checkSuperset(s, cands)).toBeNull();
        }
      }),
      { numRuns: 1000 },
    );
  });
}
