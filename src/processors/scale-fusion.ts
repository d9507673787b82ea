/**
 * The scale-fusion protocol of pipelines: a processor that only divides the row by a constant
 * (`temperature`) says so with `divisor`; a processor that can run on the divided row without the
 * row being divided first offers `afterScale`. A pipeline meeting the two in a row, on a dense row,
 * calls `afterScale` alone — one pass instead of two — and the row it leaves is bit-for-bit the one
 * the two calls leave.
 */
import type { Candidates, HistoryLike } from '../core/types.js';

/** A processor whose plain call is exactly `x[i] = fround(x[i] / divisor)` for every cell. */
export interface ScalesBy {
  /** The float32 divisor (for temperature t: fround(t)); finite and > 0. */
  readonly divisor: number;
}

/** A processor that can take the division of the row by a {@link ScalesBy} processor upon itself. */
export interface AfterScale {
  /**
   * Leaves the row as dividing every cell by `divisor` (float32 rounding: fround(x / divisor)) then
   * calling the processor would, and, like `truncate`, writes the survivors into `cands` and returns
   * true — or returns false when it could not report them (e.g. a non-infinite filter value; the row
   * is still processed exactly).
   */
  readonly afterScale: (logits: Float32Array, cands: Candidates, divisor: number, history?: HistoryLike) => boolean;
}
