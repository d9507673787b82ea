/**
 * Token-sequence rules matched against the end of a history: the engine behind `sequenceBias`
 * and `badWords` (HF `SequenceBiasLogitsProcessor` / `NoBadWordsLogitsProcessor`).
 *
 * A rule `[ids, bias]` adds `bias` to the logit of its last id when the ids before it equal the end
 * of the history (single-id rules always apply). Rules are indexed by the last id of their prefix,
 * so a call only looks at the rules that can match the history's last token: O(#single-id rules +
 * the prefixes of those candidates), independent of the context length.
 */
import { checkHistoryTail, historyLength } from './history.js';
import { requireHistory } from './options.js';
import { TokenHistory } from '../core/token-history.js';
import type { HistoryLike } from '../core/types.js';
import { checkTokenIds } from '../core/validate.js';

/** Token at position `i` (in range) without allocating (`TokenHistory.tokens` makes a view per call). */
export function tokenAt(history: HistoryLike, i: number): number {
  return history instanceof TokenHistory ? (history.at(i) as number) : (history as ArrayLike<number>)[i];
}

/** Rules compiled once by {@link compileSequenceRules}. */
export interface SequenceRules {
  /** Single-id rules: distinct ids and their float32 biases (the last rule for an id wins). */
  singleIds: Int32Array;
  singleBias: Float32Array;
  /** Multi-id rules in first-seen order: prefix ids, the biased id and its float32 bias. */
  prefixes: Int32Array[];
  targets: Int32Array;
  biases: Float32Array;
  /** Rule indices (ascending) keyed by the last id of their prefix. */
  byLastPrefixId: Map<number, Int32Array>;
  /** Largest id anywhere in the rules (-1 when there are none). */
  maxId: number;
  /** Length of the longest prefix (0 when every rule is a single id). */
  maxPrefix: number;
}

/**
 * Compiles `[ids, bias]` pairs. Like HF (which turns the list into a dict), a repeated id sequence
 * keeps its first position and its last bias. Ids must already be validated.
 */
export function compileSequenceRules(entries: ReadonlyArray<readonly [ArrayLike<number>, number]>): SequenceRules {
  const order = new Map<string, { ids: number[]; bias: number }>();
  for (const [ids, bias] of entries) {
    const arr = Array.from(ids);
    const key = arr.join(',');
    const prev = order.get(key);
    if (prev) prev.bias = bias;
    else order.set(key, { ids: arr, bias });
  }
  const singleIds: number[] = [];
  const singleBias: number[] = [];
  const prefixes: Int32Array[] = [];
  const targets: number[] = [];
  const biases: number[] = [];
  const groups = new Map<number, number[]>();
  let maxId = -1;
  for (const { ids, bias } of order.values()) {
    for (const id of ids) if (id > maxId) maxId = id;
    if (ids.length === 1) {
      singleIds.push(ids[0]);
      singleBias.push(bias);
      continue;
    }
    const rule = targets.length;
    prefixes.push(Int32Array.from(ids.slice(0, -1)));
    targets.push(ids[ids.length - 1]);
    biases.push(bias);
    const lastPrefix = ids[ids.length - 2];
    const g = groups.get(lastPrefix);
    if (g) g.push(rule);
    else groups.set(lastPrefix, [rule]);
  }
  const byLastPrefixId = new Map<number, Int32Array>();
  for (const [id, rules] of groups) byLastPrefixId.set(id, Int32Array.from(rules));
  return {
    singleIds: Int32Array.from(singleIds),
    singleBias: Float32Array.from(singleBias),
    prefixes,
    targets: Int32Array.from(targets),
    biases: Float32Array.from(biases),
    byLastPrefixId,
    maxId,
    maxPrefix: prefixes.reduce((m, p) => Math.max(m, p.length), 0),
  };
}

/** True when `prefix` equals the last `prefix.length` tokens of the history. */
export function endsWith(history: HistoryLike, len: number, prefix: Int32Array): boolean {
  const m = prefix.length;
  if (m > len) return false;
  const base = len - m;
  for (let j = m - 1; j >= 0; j--) if (tokenAt(history, base + j) !== prefix[j]) return false;
  return true;
}

/**
 * Reusable per-processor scratch: float32 bias accumulators for the touched ids, in HF's order
 * (single-id bias first, then the matching multi-id rules in rule order, each sum rounded to float32).
 */
export class SequenceRuleScratch {
  private acc = new Float32Array(0);
  private mark = new Uint8Array(0);
  private touched = new Int32Array(0);

  /**
   * Adds the rules' biases to `logits` (or, with `ban`, sets every biased id to -Infinity).
   * History may be undefined only when every rule is a single id (a TypeError naming `label`'s
   * history otherwise); the ids of a plain-array history that the rules read are checked.
   */
  apply(rules: SequenceRules, logits: Float32Array, history: HistoryLike | undefined, ban: boolean, label = 'this processor'): void {
    if (rules.maxPrefix > 0) {
      requireHistory(history, label);
      checkHistoryTail(history as HistoryLike, rules.maxPrefix);
    }
    const v = logits.length;
    if (this.acc.length < v) {
      this.acc = new Float32Array(v);
      this.mark = new Uint8Array(v);
      this.touched = new Int32Array(v);
    }
    const { acc, mark, touched } = this;
    let nt = 0;
    const { singleIds, singleBias } = rules;
    for (let i = 0; i < singleIds.length; i++) {
      const id = singleIds[i];
      acc[id] = singleBias[i];
      mark[id] = 1;
      touched[nt++] = id;
    }
    const len = history === undefined ? 0 : historyLength(history);
    if (len > 0 && rules.prefixes.length > 0) {
      const group = rules.byLastPrefixId.get(tokenAt(history as HistoryLike, len - 1));
      if (group) {
        for (let g = 0; g < group.length; g++) {
          const r = group[g];
          if (!endsWith(history as HistoryLike, len, rules.prefixes[r])) continue;
          const t = rules.targets[r];
          if (mark[t] === 0) {
            mark[t] = 1;
            acc[t] = 0;
            touched[nt++] = t;
          }
          acc[t] = acc[t] + rules.biases[r];
        }
      }
    }
    for (let i = 0; i < nt; i++) {
      const t = touched[i];
      logits[t] = ban ? -Infinity : logits[t] + acc[t];
      mark[t] = 0;
      acc[t] = 0;
    }
  }
}

/** @internal Validates rule entries (non-empty list of non-empty id lists) and compiles them. */
export function sequenceRulesOption(
  name: string,
  entries: unknown,
  vocabSize: number | undefined,
  bias: (entry: unknown, i: number) => number,
  ids: (entry: unknown) => unknown,
): SequenceRules {
  let list: unknown[];
  if (entries instanceof Map) list = Array.from(entries.entries());
  else if (Array.isArray(entries)) list = entries;
  else throw new TypeError(`${name} must be an array of rules, got ${Object.prototype.toString.call(entries)}`);
  if (list.length === 0) throw new RangeError(`${name} must not be empty`);
  const out: [number[], number][] = [];
  for (let i = 0; i < list.length; i++) {
    const seq = checkTokenIds(`${name}[${i}]`, ids(list[i]), vocabSize ?? Infinity);
    if (seq.length === 0) throw new RangeError(`${name}[${i}] must be a non-empty list of token ids`);
    out.push([seq, bias(list[i], i)]);
  }
  return compileSequenceRules(out);
}

/** @internal Throws at the call (as HF does on its first call) when a rule id is outside the row. */
export function checkRulesFit(name: string, rules: SequenceRules, v: number): void {
  if (rules.maxId >= v) {
    throw new RangeError(`${name}: token ${rules.maxId} is outside the vocabulary of size ${v}`);
  }
}
