/**
 * Loading the Hugging Face parity vectors in test/fixtures/hf (format: test/fixtures/hf/README.md).
 * Non-finite floats are stored as the strings "inf", "-inf", "nan".
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
export const fixturesDir = join(here, '..', 'fixtures');

export interface TieSplit {
  row: number;
  tied_cols: number[];
  kept: number;
}

export interface HfCase {
  name: string;
  params: Record<string, unknown>;
  input_ids: number[][] | null;
  scores: number[][] | null;
  expected?: number[][];
  expected_error?: string;
  tie_split?: TieSplit[];
  near_threshold?: [number, number][];
  [key: string]: unknown;
}

export interface HfFixture {
  meta: Record<string, unknown>;
  cases: HfCase[];
}

/** Decodes "inf" / "-inf" / "nan" strings (recursively) into numbers. */
export function decode<T>(value: T): T {
  if (value === 'inf') return Infinity as T;
  if (value === '-inf') return -Infinity as T;
  if (value === 'nan') return NaN as T;
  if (Array.isArray(value)) return value.map(decode) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = decode(v);
    return out as T;
  }
  return value;
}

/** Reads test/fixtures/hf/<name>.json with non-finite strings decoded. */
export function loadHf(name: string): HfFixture {
  const raw = JSON.parse(readFileSync(join(fixturesDir, 'hf', `${name}.json`), 'utf8'));
  return decode(raw) as HfFixture;
}

/** A float32 row from a fixture row. */
export function row(values: number[]): Float32Array {
  return Float32Array.from(values);
}

/** Same float32 value, NaN equal to NaN, +0 equal to -0 only if `signedZero` is false. */
export function sameFloat(a: number, b: number): boolean {
  return Object.is(a, b) || a === b || (a !== a && b !== b);
}

/**
 * Compares one output row with the expected row, honouring the fixture's tolerance flags:
 * cells flagged near_threshold may differ in keep/drop; tie_split groups are checked by count.
 * Returns a list of human-readable mismatches (empty when equal).
 */
export function compareRow(c: HfCase, r: number, got: Float32Array, expected: number[]): string[] {
  const skip = new Set<number>();
  for (const [rr, col] of c.near_threshold ?? []) if (rr === r) skip.add(col);
  const problems: string[] = [];
  for (const t of c.tie_split ?? []) {
    if (t.row !== r) continue;
    // Kept = cells of the tied set whose output equals their input (not filtered).
    const filterValue = (c.params.filter_value as number | undefined) ?? -Infinity;
    let kept = 0;
    for (const col of t.tied_cols) {
      if (!sameFloat(got[col], filterValue)) kept++;
      skip.add(col);
    }
    if (kept !== t.kept) problems.push(`row ${r}: tie group ${JSON.stringify(t.tied_cols)} kept ${kept}, expected ${t.kept}`);
  }
  if (got.length !== expected.length) {
    problems.push(`row ${r}: length ${got.length}, expected ${expected.length}`);
    return problems;
  }
  for (let i = 0; i < expected.length; i++) {
    if (skip.has(i)) continue;
    if (!sameFloat(got[i], expected[i])) {
      problems.push(`row ${r} col ${i}: got ${got[i]}, expected ${expected[i]}`);
      if (problems.length > 8) break;
    }
  }
  return problems;
}

/**
 * The rows a non-error case compares: its `scores` and `expected`, which must both be present and
 * of one length. A case with nothing to compare is a broken fixture and throws (never passes).
 */
export function rowsToCompare(c: HfCase): { scores: number[][]; expected: number[][] } {
  if (!c.scores || c.scores.length === 0) throw new Error(`fixture case ${c.name} has no scores: nothing to compare`);
  if (!c.expected) throw new Error(`fixture case ${c.name} has no expected rows: nothing to compare`);
  if (c.expected.length !== c.scores.length) {
    throw new Error(`fixture case ${c.name} has ${c.scores.length} score rows but ${c.expected.length} expected rows`);
  }
  return { scores: c.scores, expected: c.expected };
}

/** `top_k` → `topK`. */
function camel(name: string): string {
  return name.replace(/_+([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());
}

/**
 * Checks that `error` (what degen-guard threw for an `expected_error` case) is a RangeError or
 * TypeError naming the argument HF's error names: HF's message quotes it in backticks (`top_k`),
 * and degen-guard's must contain its camelCase name or one of `aliases[hfName]` (degen-guard's own
 * name for it, e.g. `top_k` → `k`). HF's vocabulary errors name no argument: then the message must
 * say the id is outside the vocabulary. Returns the problems (empty when fine).
 */
export function namedErrorProblems(c: HfCase, error: unknown, aliases: Record<string, string[]> = {}): string[] {
  if (error === null || error === undefined) return [`${c.name}: nothing was thrown (HF: ${c.expected_error})`];
  if (!(error instanceof RangeError || error instanceof TypeError)) return [`${c.name}: threw ${String(error)}, not a RangeError/TypeError`];
  const message = error.message;
  const quoted = /`([a-z_]+)`/.exec(c.expected_error ?? '');
  if (!quoted) {
    if (/vocabulary/.test(c.expected_error ?? '') && /outside the vocabulary/.test(message)) return [];
    return [`${c.name}: cannot tell which argument HF names in ${JSON.stringify(c.expected_error)}; got ${JSON.stringify(message)}`];
  }
  const hf = quoted[1];
  const names = [camel(hf), ...(aliases[hf] ?? [])];
  if (names.some((n) => message.includes(n))) return [];
  return [`${c.name}: the error ${JSON.stringify(message)} names none of ${names.join(', ')} (HF: ${hf})`];
}
