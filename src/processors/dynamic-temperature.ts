/**
 * Dynamic (entropy-scaled) temperature, llama.cpp `temp_ext` (arXiv 2309.02772): the temperature
 * moves between `temp − range` and `temp + range` with the normalised entropy of the row.
 */
import { gatherCells } from '../core/exp-blocks.js';
import { expMoments, expTotalResult } from '../core/exp-total.js';
import { checkOptionKeys } from '../core/option-keys.js';
import type { Candidates, Processor } from '../core/types.js';
import { checkFinite, checkLogits } from '../core/validate.js';
import { denseCall, sortCandidates, warper } from './warp-common.js';

/** Options of {@link dynamicTemperature} (llama.cpp `temperature`, `dynatemp_range`, `dynatemp_exponent`). */
export interface DynamicTemperatureOptions {
  /** Base temperature (`temperature`); ≤ 0 keeps only the first largest logit (greedy). Default 0.8. */
  temp?: number;
  /** Half-width of the temperature range (`dynatemp_range`); ≤ 0 = a plain temperature. Default 0. */
  range?: number;
  /** Shape of the entropy → temperature map (`dynatemp_exponent`). Default 1. */
  exponent?: number;
}

const KEYS = ['temp', 'range', 'exponent'];
const f = Math.fround;

/**
 * llama.cpp's `temp_ext`. With `range ≤ 0` it is a plain temperature (`logit / temp`, float32), and
 * `temp ≤ 0` keeps only the first largest logit (every other cell becomes `-Infinity`), where HF
 * rejects a zero temperature. With `range > 0` and at least 2 finite cells:
 * `T = max(0, temp − range) + 2·range_eff · (H / ln n)^exponent`, with H the entropy (nats) of the
 * softmax of the row, n the number of finite cells and `2·range_eff = (temp + range) − max(0, temp − range)`;
 * then the row is divided by T (T ≤ 0: greedy masking as above). With fewer than 2 finite cells the
 * row is unchanged. Two passes (one with exp), no allocation. A row holding NaN or +Infinity is
 * left unchanged when `range > 0`.
 *
 * @example
 * ```ts
 * import { dynamicTemperature } from 'degen-guard';
 * // a uniform row has normalised entropy 1: T = temp + range = 2
 * Array.from(dynamicTemperature({ temp: 1, range: 1 })(Float32Array.from([1, 1])));  // → [0.5, 0.5]
 * ```
 */
export function dynamicTemperature(options: DynamicTemperatureOptions = {}): Processor {
  checkOptionKeys('dynamicTemperature options', options, KEYS);
  const temp = checkFinite('dynamicTemperature temp', options.temp ?? 0.8);
  const range = checkFinite('dynamicTemperature range', options.range ?? 0);
  const exponent = checkFinite('dynamicTemperature exponent', options.exponent ?? 1);
  const tf = f(temp);
  const rf = f(range);
  const ef = f(exponent);
  const minT = f(Math.max(0, f(tf - rf)));
  const maxT = f(tf + rf);
  const mom = expTotalResult();
  // the temperature reaches `scale` in this slot: a double handed to a call that V8 does not inline
  // is a new heap number on every call
  const tBox = new Float64Array(1);

  /** Divides the cells by t = tBox[0] (t ≤ 0: keeps the first largest finite cell, the others -Infinity). */
  const scale = (x: Float32Array, ids: Int32Array | null, n: number): void => {
    const t = tBox[0];
    if (t > 0) {
      if (t === 1) return;
      // x·(1/t) rounded to float32 is x/t rounded to float32 for every float32 x and t > 0 (the
      // double product is within 2^-52 of x/t, which is never nearer than 2^-49 to a float32
      // rounding midpoint); a multiply costs a fraction of a divide
      const inv = 1 / t;
      if (ids === null) {
        for (let j = 0; j < n; j++) x[j] *= inv;
      } else {
        for (let j = 0; j < n; j++) x[ids[j]] *= inv;
      }
      return;
    }
    // the position of the first largest cell (read by position: gathered on candidates), then the mask
    const v = ids === null ? x : gatherCells(x, ids, n);
    let best = -1;
    let bestV = -Infinity;
    for (let j = 0; j < n; j++) {
      const y = v[j];
      if (y > bestV || best < 0) {
        best = j;
        bestV = y;
      }
    }
    if (best < 0) return;
    if (ids === null) {
      x.fill(-Infinity, 0, n);
      x[best] = bestV;
    } else {
      for (let j = 0; j < n; j++) x[ids[j]] = -Infinity;
      x[ids[best]] = bestV;
    }
  };

  const run = (x: Float32Array, ids: Int32Array | null, n: number): void => {
    if (!(rf > 0)) {
      tBox[0] = tf;
      scale(x, ids, n);
      return;
    }
    // one pass: max, S = Σ e, D = Σ e·(x − max) with e = exp(x − max); H = ln S − D / S
    expMoments(x, ids, n, mom);
    const count = n - mom.negInf;
    if (mom.max !== mom.max || count <= 1) return; // NaN / +Infinity, or fewer than 2 finite cells
    const S = mom.sum;
    const D = mom.moment;
    const H = Math.log(S) - D / S;
    const norm = f(f(H) / f(-Math.log(f(1 / count))));
    tBox[0] = f(minT + f(f(maxT - minT) * f(Math.pow(norm, ef))));
    scale(x, ids, n);
  };

  // -Infinity cells stay -Infinity and count for nothing: the candidates give the dense result.
  const sparse = (logits: Float32Array, cands: Candidates): void => {
    checkLogits(logits);
    run(logits, sortCandidates(cands), cands.size);
  };
  const label = range > 0 ? `dynamicTemperature(${temp}, ${range}, ${exponent})` : `dynamicTemperature(${temp})`;
  return warper(label, denseCall(run), { sparse });
}
