/**
 * Welleck et al. 2019's next-token repetition metrics rep/ℓ and wrep/ℓ: how often the model's greedy
 * next-token prediction (under teacher forcing) repeats one of the previous ℓ ground-truth tokens.
 */
import { checkOptionKeys } from '../core/option-keys.js';
import { checkInteger } from '../core/validate.js';
import { checkCorpus, checkSequence, type Sequence } from './sequence-input.js';

/** One flat sequence, or a list of blocks (sequences). */
export type SequenceOrBlocks = Sequence | ArrayLike<Sequence>;

/** Counts for one or more blocks (see {@link repeatCounts}). */
export interface RepeatCounts {
  /** #{t : predictions[t] ∈ previous ℓ targets} */
  repeat: number;
  /** #{t : predictions[t] ∈ previous ℓ targets and predictions[t] ≠ targets[t]} */
  wrongRepeat: number;
  /** #{t : targets[t] ∈ previous ℓ targets} (the human reference's rate) */
  humanRepeat: number;
  /** Number of positions (target tokens). */
  tokens: number;
}

export interface TokenRepOptions {
  /** ℓ: how many previous ground-truth tokens form the context. Default 128 (the paper's table); any integer ≥ 0 or Infinity. */
  window?: number;
  /**
   * When `predictions` and `targets` are flat sequences, cut them into blocks of this many positions
   * (the reference evaluates blocks of `--tokens-per-sample`, e.g. 1536; the last block may be
   * shorter). Each block has its own context. Default: one block.
   */
  blockSize?: number;
}

function windowOption(window: unknown): number {
  if (window === Infinity) return Infinity;
  return checkInteger('window', window, 0);
}

function isBlockList(x: ArrayLike<unknown>): boolean {
  return x.length > 0 && typeof x[0] === 'object' && x[0] !== null;
}

/**
 * rep/wrep/human-rep counts of ONE block, exactly as `TrainingMetrics.repeat_at_1`: position t
 * repeats when the prediction is among `targets[max(0, t−ℓ) .. t)`. The context is ground truth
 * only, never the model's own earlier predictions; t = 0 has an empty context.
 *
 * @example
 * ```ts
 * import { repeatCounts } from 'degen-guard';
 *
 * repeatCounts([1, 2, 1, 2, 3, 1, 9, 2], [1, 2, 1, 3, 3, 4, 9, 2], 2);
 * // { repeat: 3, wrongRepeat: 1, humanRepeat: 2, tokens: 8 }
 * ```
 */
export function repeatCounts(predictions: Sequence, targets: Sequence, window: number): RepeatCounts {
  const counts: RepeatCounts = { repeat: 0, wrongRepeat: 0, humanRepeat: 0, tokens: 0 };
  addBlock(counts, predictions, targets, windowOption(window), 'predictions', 'targets');
  return counts;
}

function addBlock(
  acc: RepeatCounts,
  predictions: unknown,
  targets: unknown,
  l: number,
  pName: string,
  tName: string,
  from = 0,
  to = -1,
): void {
  checkSequence(pName, predictions);
  checkSequence(tName, targets);
  const p = predictions as ArrayLike<number | string>;
  const t = targets as ArrayLike<number | string>;
  if (p.length !== t.length) {
    throw new RangeError(`${pName} has length ${p.length} but ${tName} has length ${t.length}: they must be equal`);
  }
  const end = to < 0 ? t.length : to;
  const ctx = new Map<number | string, number>();
  for (let i = from; i < end; i++) {
    const pi = p[i];
    const ti = t[i];
    if (typeof pi !== 'number' && typeof pi !== 'string') throw new TypeError(`${pName}[${i}] must be a token id or a word, got ${String(pi)}`);
    if (typeof ti !== 'number' && typeof ti !== 'string') throw new TypeError(`${tName}[${i}] must be a token id or a word, got ${String(ti)}`);
    if ((ctx.get(pi) ?? 0) > 0) {
      acc.repeat++;
      if (pi !== ti) acc.wrongRepeat++;
    }
    if ((ctx.get(ti) ?? 0) > 0) acc.humanRepeat++;
    if (l > 0) {
      ctx.set(ti, (ctx.get(ti) ?? 0) + 1);
      const drop = i - l;
      if (drop >= from) {
        const d = t[drop];
        const c = ctx.get(d)! - 1;
        if (c === 0) ctx.delete(d);
        else ctx.set(d, c);
      }
    }
  }
  acc.tokens += end - from;
}

/**
 * Summed counts over blocks, as the reference aggregates them: `predictions`/`targets` are one
 * block, a list of blocks, or a flat stream cut by `blockSize`. Contexts never cross blocks.
 *
 * @example
 * ```ts
 * import { tokenRepCounts } from 'degen-guard';
 *
 * tokenRepCounts([1, 2, 1], [1, 2, 3], { window: 16 });
 * // { repeat: 1, wrongRepeat: 1, humanRepeat: 0, tokens: 3 }
 * ```
 */
export function tokenRepCounts(
  predictions: SequenceOrBlocks,
  targets: SequenceOrBlocks,
  options?: TokenRepOptions,
): RepeatCounts {
  checkOptionKeys('tokenRepCounts options', options, ['window', 'blockSize']);
  const l = windowOption(options?.window ?? 128);
  const blockSize = options?.blockSize;
  if (blockSize !== undefined) checkInteger('blockSize', blockSize, 1);
  const acc: RepeatCounts = { repeat: 0, wrongRepeat: 0, humanRepeat: 0, tokens: 0 };
  const p = checkCorpus('predictions', predictions);
  const t = checkCorpus('targets', targets);
  if (isBlockList(p) || isBlockList(t)) {
    if (blockSize !== undefined) throw new TypeError('blockSize applies to flat sequences, not to a list of blocks');
    if (p.length !== t.length) {
      throw new RangeError(`predictions has ${p.length} blocks but targets has ${t.length}: they must be equal`);
    }
    for (let b = 0; b < p.length; b++) addBlock(acc, p[b], t[b], l, `predictions[${b}]`, `targets[${b}]`);
    return acc;
  }
  if (blockSize === undefined) {
    addBlock(acc, p, t, l, 'predictions', 'targets');
    return acc;
  }
  if (p.length !== t.length) {
    throw new RangeError(`predictions has length ${p.length} but targets has length ${t.length}: they must be equal`);
  }
  for (let from = 0; from < t.length; from += blockSize) {
    addBlock(acc, p, t, l, 'predictions', 'targets', from, Math.min(t.length, from + blockSize));
  }
  return acc;
}

/**
 * rep/ℓ of Welleck et al. 2019: the share of positions whose greedy next-token prediction is one of
 * the previous ℓ ground-truth tokens, `Σ repeat / Σ tokens` over all blocks (a micro average;
 * t = 0 of each block counts in the denominator). `NaN` when there is no position.
 *
 * @example
 * ```ts
 * import { rep } from 'degen-guard';
 *
 * // positions 1 and 2 predict 5, seen at 0
 * rep([5, 5, 5, 9], [5, 6, 7, 8], { window: 16 }); // → 0.5
 * ```
 */
export function rep(predictions: SequenceOrBlocks, targets: SequenceOrBlocks, options?: TokenRepOptions): number {
  return shareOf(tokenRepCounts(predictions, targets, options), 'repeat');
}

/**
 * wrep/ℓ of Welleck et al. 2019: like {@link rep}, counting only the repeats that are also wrong
 * (prediction ≠ target). `NaN` when there is no position.
 *
 * @example
 * ```ts
 * import { wrep } from 'degen-guard';
 *
 * // position 1 repeats 5 but the truth is 6
 * wrep([5, 5, 6, 9], [5, 6, 6, 8], { window: 16 }); // → 0.25
 * ```
 */
export function wrep(predictions: SequenceOrBlocks, targets: SequenceOrBlocks, options?: TokenRepOptions): number {
  return shareOf(tokenRepCounts(predictions, targets, options), 'wrongRepeat');
}

/** The share of the positions that `counts[field]` counts: `NaN` when there is no position. */
function shareOf(counts: RepeatCounts, field: 'repeat' | 'wrongRepeat'): number {
  return counts.tokens === 0 ? NaN : counts[field] / counts.tokens;
}
