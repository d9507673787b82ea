/**
 * Warm-up of the kernels that loop over a whole row, once per kind of processor or sampler per
 * process, on three small rows, before the first real call.
 *
 * Why: V8 (Node 20's V8 11) allocates a function's type feedback lazily, part-way into its first
 * call, and compiles a hot loop on-stack (OSR) while that call runs. When the first call is long (a
 * row of 128,256 cells), the loop is compiled before the code around it has run, so that code has no
 * feedback: the optimised function leaves for the interpreter on its next call (an eager deopt for
 * "insufficient type feedback"), and the process may then keep running the loop in its OSR code, or
 * keep deoptimising at the loop's end, for thousands of calls. Whether that happens depends on when
 * the concurrent compiler finishes, so it differs from process to process: at V = 128,256, fresh
 * processes measured xtc at 3.0× or 4.0× the max-pass floor, topNSigma at 2.5× or 7×, minP at 3.3×
 * or 4.7×, sample at 3.0× or 4.1× (docs/benchmarks.md, "Warm-up"). Run first on rows of 512 cells
 * (too short to be compiled on-stack), every site of the kernel has feedback when the long call
 * makes the loop hot, and the kernel compiles the same way in every process.
 *
 * The warm-up is invisible: it runs on its own rows and candidate lists, a stateful processor is
 * warmed through a clone, and nothing it computes is kept. It costs about as much as one call on
 * 15,000 cells, once per kind.
 */
import type { Candidates } from './types.js';

/** Cells of a warm-up row: short enough that its loops are not compiled on-stack in one call. */
export const WARM_CELLS = 512;

const done = new Set<string>();

/**
 * The first time `kind` is warmed in this process, runs each of `steps` on three rows shaped like a
 * language model's (a Zipf prior over scattered ranks, noise, one lifted token; flat, middling and
 * peaked, so that the truncation warpers take their narrow and wide paths), three rounds; later calls
 * return at once. Each step gets a fresh row and a candidate list holding every id of it. Exceptions
 * are the real call's business and are dropped here.
 *
 * @example
 * ```ts
 * import { warmOnce } from './warm-up.js';
 *
 * let calls = 0;
 * warmOnce('example', [() => calls++, () => calls++]);
 * warmOnce('example', [() => calls++]);
 * // two steps, three rows, three rounds, the first time only
 * calls; // → 18
 * ```
 */
export function warmOnce(kind: string, steps: ReadonlyArray<(row: Float32Array, cands: Candidates) => unknown>): void {
  if (done.has(kind)) return;
  done.add(kind);
  const row = new Float32Array(WARM_CELLS);
  const cands: Candidates = { ids: new Int32Array(WARM_CELLS), size: 0 };
  for (let r = 0; r < 9; r++) {
    const sharp = 0.6 * 2 ** (r % 3);
    for (const step of steps) {
      for (let i = 0; i < WARM_CELLS; i++) {
        const u = Math.sin(i * 12.9898) * 43758.5453;
        row[i] = -sharp * Math.log(1 + ((i * 157) % WARM_CELLS)) + 0.8 * (u - Math.floor(u)) + (i === 0 ? 4 * sharp : 0);
        cands.ids[i] = i;
      }
      cands.size = WARM_CELLS;
      try {
        step(row, cands);
      } catch {
        // the warm-up only teaches the compiler; the real call reports its own errors
      }
    }
  }
}
