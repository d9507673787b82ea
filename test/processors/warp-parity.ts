/**
 * Runs every case of an HF parity fixture through a degen-guard warper factory (shared by the
 * warper tests). `make(params)` builds the processor; construction errors and call errors both
 * count for `expected_error` cases.
 */
import { expect, it } from 'vitest';
import type { Processor } from '../../src/core/types.js';
import { compareRow, loadHf, row, type HfCase } from '../helpers/fixtures.js';

export type Params = Record<string, any>;

/** The camelCase options of a warper from HF's snake_case params. */
export function warperOptions(p: Params): { minTokensToKeep?: number; filterValue?: number } {
  const o: { minTokensToKeep?: number; filterValue?: number } = {};
  if (p.min_tokens_to_keep !== undefined) o.minTokensToKeep = p.min_tokens_to_keep;
  if (p.filter_value !== undefined) o.filterValue = p.filter_value;
  return o;
}

/**
 * Declares one vitest case per fixture case. `accepted` lists expected_error cases that degen-guard
 * deliberately accepts (a deviation: JS has no int/float distinction); they must then run without error.
 */
export function parityCases(fixture: string, make: (p: Params) => Processor, accepted: string[] = []): void {
  const fx = loadHf(fixture);
  for (const c of fx.cases) {
    it(`${fixture} / ${c.name}`, () => runCase(c, make, accepted.includes(c.name)));
  }
}

function runCase(c: HfCase, make: (p: Params) => Processor, accepted: boolean): void {
  if (c.expected_error && !accepted) {
    expect(() => {
      const proc = make(c.params);
      for (const r of c.scores ?? []) proc(row(r));
    }).toThrow(/must|outside|expected|empty/);
    return;
  }
  const proc = make(c.params);
  if (!c.scores) return;
  for (let r = 0; r < c.scores.length; r++) {
    const x = row(c.scores[r]);
    const out = proc(x);
    expect(out).toBe(x);
    if (c.expected) expect(compareRow(c, r, out, c.expected[r])).toEqual([]);
  }
}
