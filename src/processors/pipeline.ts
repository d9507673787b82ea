/**
 * Composing processors: `pipeline(a, b, c)` is itself a processor that runs a, then b, then c.
 *
 * Internally it hands a shrinking candidate set from one processor to the next (as llama.cpp's
 * sampler chain does): after the first truncation (top-k, min-p …) the later processors that can work
 * on survivors cost O(survivors), not O(V). The row it leaves is bit-for-bit what running the
 * processors one by one leaves; the survivors stay readable in `.candidates` for a sampler.
 *
 * Scale fusion: a processor with a numeric `divisor` (temperature) immediately followed, on a dense
 * row, by one with `afterScale` (topK) is run as that single `afterScale` call (src/processors/scale-fusion.ts).
 */
import type { AfterScale, ScalesBy } from './scale-fusion.js';
import type { Candidates, HistoryLike, Processor } from '../core/types.js';
import { checkLogits } from '../core/validate.js';
import { warper } from './warp-common.js';

/** A composed processor. */
export interface Pipeline extends Processor {
  /** The processors, in order. */
  readonly processors: readonly Processor[];
  /**
   * After a call: a superset of the row's cells that are not -Infinity (every other cell is
   * -Infinity), when a truncation made that cheap to know; otherwise null. Valid until the next call,
   * and null after a call that threw. Pass it to `sample` or `greedy` to draw in O(survivors): they
   * throw a RangeError ("cands do not belong to this row") when given the candidates of a longer row.
   */
  readonly candidates: Candidates | null;
}

/**
 * Composes processors left to right (HF `LogitsProcessorList`). The result is a processor and can
 * itself be composed.
 *
 * @example
 * ```ts
 * import { createRng, pipeline, repetitionPenalty, sample, temperature, topK, topP } from 'degen-guard';
 *
 * const warp = pipeline(repetitionPenalty(1.1), temperature(0.7), topK(50), topP(0.9));
 * const logits = new Float32Array([2, 1, 0.5, -1]);
 * // edits logits in place
 * warp(logits, [0, 3]); // → [2.5974026, 1.4285715, 0.71428573, -Infinity]
 * sample(logits, createRng(1), warp.candidates); // → 0
 * ```
 */
export function pipeline(...processors: Processor[]): Pipeline {
  processors.forEach((p, i) => {
    if (typeof p !== 'function') throw new TypeError(`processors[${i}] must be a processor function, got ${typeof p}`);
  });
  const list = Object.freeze(processors.slice());
  // fuse[i]: the divisor when processor i scales and processor i + 1 takes the scale upon itself
  // (`afterScale`), else null. Read from this array the divisor stays a tagged number: passing it to
  // afterScale boxes nothing (a double read from the processor's property would be boxed per call).
  // The trailing null keeps the array's elements generic (never unboxed doubles).
  const fuse: (number | null)[] = [];
  for (let i = 0; i < list.length; i++) {
    const d = (list[i] as Partial<ScalesBy>).divisor;
    const next = list[i + 1] as (Processor & Partial<AfterScale>) | undefined;
    fuse.push(typeof d === 'number' && next !== undefined && typeof next.afterScale === 'function' ? d : null);
  }
  fuse.push(null);
  const own: Candidates = { ids: new Int32Array(0), size: 0 };
  let current: Candidates | null = null;

  /** Runs from processor `from`, in candidate mode when `sparse`; returns whether it ended sparse. */
  function run(logits: Float32Array, history: HistoryLike | undefined, cands: Candidates, sparse: boolean): boolean {
    for (let i = 0; i < list.length; i++) {
      const p = list[i];
      if (sparse) {
        if (p.sparse) {
          p.sparse(logits, cands, history);
          continue;
        }
        sparse = false;
      } else {
        const d = fuse[i];
        if (d !== null) {
          // scale fusion: `temperature → topK` in one pass, the same row as the two calls
          sparse = (list[i + 1] as Processor & AfterScale).afterScale(logits, cands, d, history);
          i++;
          continue;
        }
        if (p.truncate) {
          sparse = p.truncate(logits, cands, history);
          continue;
        }
      }
      p(logits, history);
    }
    return sparse;
  }

  function ensure(cands: Candidates, n: number): void {
    if (cands.ids.length < n) cands.ids = new Int32Array(n);
  }

  const call = (logits: Float32Array, history?: HistoryLike): Float32Array => {
    current = null; // a call that throws part-way leaves no stale candidates behind
    checkLogits(logits);
    ensure(own, logits.length);
    current = run(logits, history, own, false) ? own : null;
    return logits;
  };

  const truncate = (logits: Float32Array, cands: Candidates, history?: HistoryLike): boolean => {
    current = null;
    ensure(cands, logits.length);
    const ok = run(logits, history, cands, false);
    current = ok ? cands : null;
    return ok;
  };

  const allSparse = list.length > 0 && list.every((p) => typeof p.sparse === 'function');
  const sparse = (logits: Float32Array, cands: Candidates, history?: HistoryLike): void => {
    current = null;
    run(logits, history, cands, true);
    current = cands;
  };

  const label = `pipeline(${list.map((p) => p.label ?? p.name ?? 'processor').join(', ')})`;
  const result = warper(label, call, { processors: list, truncate, ...(allSparse ? { sparse } : {}) }, false);
  Object.defineProperty(result, 'candidates', { get: () => current, enumerable: true });
  return result as unknown as Pipeline;
}
