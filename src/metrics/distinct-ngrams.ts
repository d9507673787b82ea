/**
 * Counting the distinct n-grams of an id sequence, without building strings: the kernel behind
 * seq-rep-n, rep-n and distinct-n. Uses {@link NgramTable}; one table per n is kept and reused.
 */
import { NgramTable } from '../core/ngram-table.js';

const tables: (NgramTable | undefined)[] = [];
/** A table that grew past this many keys is dropped after use, so one huge call does not pin memory. */
const KEEP_LIMIT = 1 << 16;

/**
 * Number of distinct n-grams among the windows `ids[i .. i+n)` for `0 ≤ i ≤ end − n`
 * (0 when `end < n`). `ids` must hold integers in the int32 range.
 *
 * @example
 * ```ts
 * import { distinctNgramCount } from './distinct-ngrams.js';
 *
 * // (1,2) (2,1) (2,3)
 * distinctNgramCount([1, 2, 1, 2, 3], 5, 2); // → 3
 * ```
 */
export function distinctNgramCount(ids: ArrayLike<number>, end: number, n: number): number {
  if (end < n) return 0;
  if (n === 1 && end <= 1) return end;
  let table = tables[n];
  if (!table) table = tables[n] = new NgramTable(n, 1024);
  else table.clear();
  const last = end - n;
  for (let i = 0; i <= last; i++) table.add(ids, i);
  const size = table.size;
  if (size > KEEP_LIMIT) tables[n] = undefined;
  return size;
}

/**
 * Adds the n-grams `ids[i .. i+n)`, `0 ≤ i ≤ end − n`, to `table` (a corpus-wide set);
 * returns how many were new.
 */
export function addNgrams(table: NgramTable, ids: ArrayLike<number>, end: number): number {
  const n = table.n;
  const before = table.size;
  for (let i = 0; i + n <= end; i++) table.add(ids, i);
  return table.size - before;
}
