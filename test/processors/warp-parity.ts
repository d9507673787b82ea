/**
 * Runs every case of an HF parity fixture through a degen-guard warper factory (shared by the
 * warper tests). `make(params)` builds the processor; construction errors and call errors both
 * count for `expected_error` cases.
 */
import { expect, it } from 'vitest';
import type { Processor } from '../../src/core/types.js';
import { compareRow, loadHf, namedErrorProblems, row, rowsToCompare, type HfCase } from '../helpers/fixtures.js';

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
export function parityCases(
  fixture: string,
  make: (p: Params) => Processor,
  accepted: string[] = [],
  aliases: Record<string, string[]> = {},
): void {
  const fx = loadHf(fixture);
  for (const c of fx.cases) {
    it(`${fixture} / ${c.name}`, () => runCase(c, make, accepted.includes(c.name), aliases));
  }
}

function runCase(c: HfCase, make: (p: Params) => Processor, accepted: boolean, aliases: Record<string, string[]>): void {
  if (c.expected_error && !accepted) {
    let caught: unknown = null;
    try {
      const proc = make(c.params);
      for (const r of c.scores ?? []) proc(row(r));
    } catch (e) {
      caught = e;
    }
    expect(namedErrorProblems(c, caught, aliases)).toEqual([]);
    return;
  }
  const proc = make(c.params);
  if (accepted && !c.expected) {
    // a deliberately accepted HF error case: it must run without error on its rows
    for (const r of c.scores ?? []) proc(row(r));
    return;
  }
  const { scores, expected } = rowsToCompare(c);
  for (let r = 0; r < scores.length; r++) {
    const x = row(scores[r]);
    const out = proc(x);
    expect(out).toBe(x);
    expect(compareRow(c, r, out, expected[r])).toEqual([]);
  }
}
