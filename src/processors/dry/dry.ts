/**
 * DRY ("Don't Repeat Yourself", p-e-w; llama.cpp's port of koboldcpp): penalises the tokens that
 * would extend a verbatim repeat of the recent text, by `multiplier · base^(length − allowedLength)`.
 * llama.cpp semantics (src/llama-sampler.cpp); see docs/llama-cpp.md for every decision.
 */
import { checkOptionKeys } from '../../core/option-keys.js';
import { TokenHistory } from '../../core/token-history.js';
import { requireHistory } from '../options.js';
import type { Candidates, HistoryLike, Processor } from '../../core/types.js';
import { checkFinite, checkInteger, checkLogits, checkTokenIds } from '../../core/validate.js';
import { compileBreakers, DryScratch, nominate, restartLimit } from './dry-repeats.js';
import { warper } from '../warp-common.js';

/** Options of {@link dry} (llama.cpp's `dry_*` parameters, camelCase). */
export interface DryOptions {
  /** Penalty scale (`dry_multiplier`); 0 turns DRY off. Required. */
  multiplier: number;
  /** Growth per extra repeated token (`dry_base`), ≥ 1; default 1.75. */
  base?: number;
  /** Repeats up to this length are free (`dry_allowed_length`), integer ≥ 0; default 2. */
  allowedLength?: number;
  /** Tokens scanned (`dry_penalty_last_n`): the last N; -1 = the whole history; 0 = off; default 64. */
  penaltyLastN?: number;
  /**
   * Token-id sequences that end a repeat (`dry_sequence_breakers` after tokenization): a repeat
   * never runs across the most recent breaker, and a one-token breaker is never penalised. Build
   * them from strings with {@link drySequenceBreakers}. Default: none.
   */
  sequenceBreakers?: readonly (readonly number[])[];
}

const KEYS = ['multiplier', 'base', 'allowedLength', 'penaltyLastN', 'sequenceBreakers'];
/** ln(FLT_MAX) as llama.cpp writes it: the cap on the exponent. */
const FLOAT_MAX_LOG = Math.fround(88.7228391);

/**
 * DRY penalty over the last `penaltyLastN` tokens of the history (llama.cpp `dry` sampler).
 *
 * For every earlier occurrence of the text's current suffix that is at least `allowedLength`
 * tokens long (and does not cross the most recent sequence breaker), the token that followed it
 * would extend the repeat: its logit loses `multiplier · base^(L − allowedLength)` with L the longest
 * such repeat (the exponent capped at ⌊88.72 / ln base⌋). One-token breakers are never penalised.
 * In float32 as llama.cpp: `logit − fround(fround(multiplier) · fround(base)^e)`.
 *
 * Cost per call: O(window) (a Z-function on the reversed window), whatever the vocabulary size,
 * and flat in the total length when `penaltyLastN` bounds the window. Ids ≥ the row length are
 * ignored. Needs the history (a TokenHistory or an array of ids), prompt included as llama.cpp.
 *
 * @example
 * ```ts
 * import { dry } from 'degen-guard';
 * const proc = dry({ multiplier: 1, base: 1.1, allowedLength: 2, penaltyLastN: 5 });
 * // "0 1 2 0 1": the repeat "0 1" would continue with 2
 * Array.from(proc(new Float32Array(4), [0, 1, 2, 0, 1]));  // → [0, 0, -1, 0]
 * ```
 */
export function dry(options: DryOptions): Processor {
  checkOptionKeys('dry options', options, KEYS);
  if (options == null) throw new TypeError('dry needs options with at least { multiplier }');
  const multiplier = checkFinite('dry multiplier', options.multiplier);
  const base = checkFinite('dry base', options.base ?? 1.75);
  if (!(base >= 1)) throw new RangeError(`dry base must be ≥ 1, got ${base}`);
  const allowed = checkInteger('dry allowedLength', options.allowedLength ?? 2, 0);
  const lastN = checkInteger('dry penaltyLastN', options.penaltyLastN ?? 64, -1);
  const raw = options.sequenceBreakers ?? [];
  if (!Array.isArray(raw)) throw new TypeError(`dry sequenceBreakers must be an array of token-id arrays, got ${String(raw)}`);
  const breakerIds = raw.map((b, i) => {
    const ids = checkTokenIds(`dry sequenceBreakers[${i}]`, b);
    if (ids.length === 0) throw new RangeError(`dry sequenceBreakers[${i}] is empty`);
    return ids;
  });
  const breakers = compileBreakers(breakerIds);
  const mf = Math.fround(multiplier);
  const bf = Math.fround(base);
  const maxExp = bf > Math.fround(1.000001) ? Math.trunc(Math.fround(FLOAT_MAX_LOG / Math.fround(Math.log(bf)))) : 0;
  const enabled = mf !== 0 && lastN !== 0;
  const s = new DryScratch();
  const label = `dry(${multiplier})`;

  const run = (logits: Float32Array, history?: HistoryLike): Float32Array => {
    checkLogits(logits);
    const h = requireHistory(history, label);
    if (!enabled) return logits;
    const total = h.length;
    const n = lastN < 0 ? total : Math.min(total, lastN);
    if (n <= allowed) return logits;
    s.grow(n);
    const r = s.r;
    if (h instanceof TokenHistory) {
      for (let j = 0; j < n; j++) r[j] = h.at(total - 1 - j)!;
    } else {
      const a = h as ArrayLike<number>;
      for (let j = 0; j < n; j++) {
        const v = a[total - 1 - j];
        if (!(Number.isInteger(v) && v >= 0 && v <= 0x7fffffff)) {
          throw new RangeError(`history[${total - 1 - j}] must be a token id (integer ≥ 0), got ${String(v)}`);
        }
        r[j] = v;
      }
    }
    const limit = restartLimit(r, n, breakers);
    if (limit < allowed) return logits;
    nominate(s, n, limit, allowed, logits.length);
    const ids = s.ids;
    const len = s.len;
    const single = breakers.single;
    for (let i = 0; i < s.size; i++) {
      const id = ids[i];
      if (single.size > 0 && single.has(id)) continue;
      let e = len[id] - allowed;
      if (maxExp > 0 && e > maxExp) e = maxExp;
      logits[id] = logits[id] - Math.fround(mf * Math.pow(bf, e));
    }
    return logits;
  };
  // -Infinity minus a finite penalty stays -Infinity: the candidate superset stays valid.
  const sparse = (logits: Float32Array, _cands: Candidates, history?: HistoryLike): void => {
    run(logits, history);
  };
  return warper(label, run, { sparse }, false);
}

