/**
 * Additive biases: `sequenceBias` (HF `SequenceBiasLogitsProcessor`, biases that depend on the end
 * of the history) and `logitBias` (OpenAI `logit_bias`, a fixed bias per token id).
 */
import { checkLogits, checkTokenIds } from '../core/validate.js';
import { checkRulesFit, SequenceRuleScratch, sequenceRulesOption } from './sequence-rules.js';
import { checkBias, vocabSizeOption, type VocabOptions } from './options.js';
import type { Candidates, HistoryLike, Processor } from '../core/types.js';
import { warper } from './warp-common.js';

/** One sequence-bias rule in HF's list form: `[[ids...], bias]`. */
export type SequenceBiasEntry = readonly [ArrayLike<number>, number];

/** What {@link sequenceBias} accepts: HF's list form, or a Map keyed by id arrays. */
export type SequenceBiasEntries = ReadonlyArray<SequenceBiasEntry> | ReadonlyMap<ArrayLike<number>, number>;

/**
 * HF `SequenceBiasLogitsProcessor`. Each entry `[ids, bias]` adds `bias` to the logit of the last id
 * when the ids before it are the end of the history; single-id entries always apply. Biases for the
 * same token add up in float32 (single-id bias first, then the matching longer rules in entry order),
 * then `logit + bias` in float32. Accepts HF's list form or a Map keyed by id arrays.
 * An id ≥ the row length throws at the call (HF raises a ValueError on its first call).
 *
 * @example
 * ```ts
 * import { sequenceBias } from 'degen-guard';
 *
 * const proc = sequenceBias([[[3], -1], [[1, 2], 5]]);
 * const logits = new Float32Array(4);
 * proc(logits, [0, 1]);
 * logits; // → [0, 0, 5, -1]
 * ```
 */
export function sequenceBias(
  entries: SequenceBiasEntries,
  options: VocabOptions = {},
): Processor {
  const vocabSize = vocabSizeOption(options, 'sequenceBias options');
  const rules = sequenceRulesOption(
    'sequenceBias',
    entries,
    vocabSize,
    (e, i) => {
      if (!Array.isArray(e) || e.length !== 2) throw new TypeError(`sequenceBias[${i}] must be a pair [ids, bias]`);
      return checkBias(`sequenceBias[${i}] bias`, e[1]);
    },
    (e) => (Array.isArray(e) ? e[0] : e),
  );
  const scratch = new SequenceRuleScratch();
  const label = `sequenceBias(${rules.singleIds.length + rules.targets.length} rules)`;
  const run = (logits: Float32Array, history?: HistoryLike): Float32Array => {
    checkLogits(logits, vocabSize);
    checkRulesFit('sequenceBias', rules, logits.length);
    scratch.apply(rules, logits, history, false, label);
    return logits;
  };
  const sparse = (logits: Float32Array, _cands: Candidates, history?: HistoryLike): void => {
    // -Infinity plus a finite or -Infinity bias stays -Infinity: the candidate superset stays valid.
    run(logits, history);
  };
  return warper(label, run, { sparse }, false);
}

/**
 * OpenAI `logit_bias`: adds a fixed bias to each listed token id (`{ id: bias }` object or a Map),
 * in float32 (`Math.fround(logit + Math.fround(bias))`). Ids ≥ the row length throw at the call.
 *
 * @example
 * ```ts
 * import { logitBias } from 'degen-guard';
 *
 * const proc = logitBias({ 2: 100, 5: -Infinity });
 * const logits = new Float32Array(6);
 * proc(logits); // → [0, 0, 100, 0, 0, -Infinity]
 * ```
 */
export function logitBias(
  map: Readonly<Record<number | string, number>> | ReadonlyMap<number, number>,
  options: VocabOptions = {},
): Processor {
  const vocabSize = vocabSizeOption(options, 'logitBias options');
  if (map == null || typeof map !== 'object') {
    throw new TypeError(`logitBias must be an object or a Map of id → bias, got ${String(map)}`);
  }
  const pairs: [unknown, unknown][] = map instanceof Map ? Array.from(map.entries()) : Object.entries(map);
  const ids = new Int32Array(pairs.length);
  const biases = new Float32Array(pairs.length);
  let maxId = -1;
  pairs.forEach(([key, bias], i) => {
    const id = typeof key === 'string' && /^\d+$/.test(key) ? Number(key) : key;
    const [checked] = checkTokenIds(`logitBias key ${String(key)}`, [id], vocabSize ?? Infinity);
    ids[i] = checked;
    biases[i] = checkBias(`logitBias[${checked}]`, bias);
    if (checked > maxId) maxId = checked;
  });
  const label = `logitBias(${pairs.length} ids)`;
  const run = (logits: Float32Array, _history?: HistoryLike): Float32Array => {
    checkLogits(logits, vocabSize);
    if (maxId >= logits.length) {
      throw new RangeError(`logitBias: token ${maxId} is outside the vocabulary of size ${logits.length}`);
    }
    for (let i = 0; i < ids.length; i++) logits[ids[i]] = logits[ids[i]] + biases[i];
    return logits;
  };
  const sparse = (logits: Float32Array, _cands: Candidates, history?: HistoryLike): void => {
    run(logits, history);
  };
  return warper(label, run, { sparse }, false);
}
