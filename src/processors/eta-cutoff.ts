/** Eta sampling (HF EtaLogitsWarper). */
import { expNeg } from '../core/fast-exp.js';
import type { Processor } from '../core/types.js';
import { checkLogits, checkRange, filterValueOption, minTokensOption } from '../core/validate.js';
import type { WarperOptions } from './top-p.js';
import { finiteMax, warper } from './warp-common.js';
import { applyCutoff, CutoffScratch } from './warp-cutoff.js';

/**
 * Entropy-adaptive epsilon sampling: removes the tokens with probability below
 * `eta = min(ε, √ε · exp(−H))`, H the entropy (nats) of the row's softmax, except every token ≥ the
 * `minTokensToKeep`-th largest logit, as HF (float32 arithmetic for eta). A row holding NaN or
 * +Infinity, or all `-Infinity`, is left unchanged. Hewitt et al. (2022) suggest 3e-4 to 4e-3.
 *
 * @param epsilon in (0, 1).
 * @example
 * ```ts
 * etaCutoff(0.1)(new Float32Array([2, 1, 0, -2])); // [2, 1, -Infinity, -Infinity]: eta = min(0.1, 0.316·e^-0.99)
 * ```
 */
export function etaCutoff(epsilon: number, options: WarperOptions = {}): Processor {
  checkRange('etaCutoff epsilon', epsilon, 0, 1, 'both');
  const mtk = minTokensOption(options);
  const filter = filterValueOption(options);
  const fe = Math.fround(epsilon);
  const sqrtE = Math.fround(Math.sqrt(fe));
  const st = new CutoffScratch();
  const plain = (logits: Float32Array): Float32Array => {
    checkLogits(logits);
    const n = logits.length;
    const m = finiteMax(logits, null, n);
    if (!(m > -Infinity)) return logits;
    // S = Σ e_i and W = Σ e_i z_i in one pass: H = log S − W / S
    let s = 0;
    let w = 0;
    for (let i = 0; i < n; i++) {
      const z = Math.fround(logits[i] - m);
      const e = expNeg(z);
      if (e > 0) {
        s += e;
        w += e * z;
      }
    }
    const h = Math.fround(Math.log(s) - w / s);
    const eta = Math.min(fe, Math.fround(sqrtE * Math.fround(Math.exp(-h))));
    applyCutoff(logits, m, s, eta, mtk, filter, st);
    return logits;
  };
  return warper(`etaCutoff(${epsilon})`, plain);
}
