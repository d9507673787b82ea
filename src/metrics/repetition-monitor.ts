/**
 * Detecting repetition while generating: a monitor fed one token at a time reports seq-rep-n over a
 * sliding window and the longest repeating suffix, and says when a threshold is crossed, so that a
 * generation loop can stop, back off or re-generate.
 */
import { checkOptionKeys } from '../core/option-keys.js';
import { NgramCounter } from './ngram-counter.js';
import { checkInteger, checkRange } from '../core/validate.js';

export interface RepetitionMonitorOptions {
  /** n of the windowed seq-rep-n. Default 4. */
  n?: number;
  /** Sliding window (tokens) for seq-rep-n, ≥ n. Default 128. */
  window?: number;
  /** Longest loop period looked for, in tokens (0 turns loop detection off). Default 64. */
  maxPeriod?: number;
  /** A loop triggers when its block repeats at least this many times in a row (≥ 2). Default 2. */
  minRepeats?: number;
  /** … and covers at least this many tokens (period × repeats). Default 4. */
  minSpan?: number;
  /** seq-rep-n over a full window above this triggers (1 turns it off). Default 0.5. */
  maxSeqRep?: number;
}

/** What the monitor knows after the latest token (one mutable object, reused by every push). */
export interface RepetitionState {
  /** Tokens seen since the last reset. */
  length: number;
  /** seq-rep-n over the last `window` tokens (over all of them while fewer; 0 until n tokens). */
  seqRep: number;
  /** Period p of the longest repeating suffix (0 if none). */
  period: number;
  /** How many whole p-blocks repeat consecutively at the end (≥ 2 when period > 0, else 0). */
  repeats: number;
  /** Stream index where that repeating suffix starts (−1 if none). */
  loopStart: number;
  /** Tokens covered by the repeating suffix, `length − loopStart` (0 if none); may end inside a block. */
  span: number;
  /** A threshold is crossed now. */
  triggered: boolean;
  /**
   * `'loop'`: repeats ≥ minRepeats and period × repeats ≥ minSpan; `'seqRep'`: seq-rep-n over a
   * full window > maxSeqRep; `null` when not triggered. A loop wins when both hold.
   */
  reason: 'loop' | 'seqRep' | null;
}

/**
 * Watches a token stream. `push(token)` costs O(1) amortised plus O(number of earlier occurrences
 * of the token among the last maxPeriod), at most O(maxPeriod), independent of the stream length;
 * the monitor holds O(window + maxPeriod) memory.
 *
 * The repeating suffix: for every period p ≤ maxPeriod the monitor keeps the length of the current
 * run where `x[t] = x[t − p]` (updated only for the p where the new token matches, found through
 * the chain of its earlier occurrences); the suffix of period p then covers run + p tokens. The reported one
 * covers the most tokens (the smallest period on a tie, which is the loop's primitive period), among
 * the periods that cross the loop threshold if any do.
 *
 * @example
 * ```ts
 * import { RepetitionMonitor } from 'degen-guard';
 *
 * const monitor = new RepetitionMonitor({ minRepeats: 3, minSpan: 8 });
 * let state = monitor.push(5);
 * for (const id of [1, 2, 3, 1, 2, 3, 1, 2, 3]) state = monitor.push(id);
 * state.period; // → 3
 * state.repeats; // → 3
 * state.loopStart; // → 1
 * // 3 repeats covering 9 ≥ 8 tokens
 * state.triggered; // → true
 * state.reason; // → 'loop'
 * ```
 */
export class RepetitionMonitor {
  readonly n: number;
  readonly window: number;
  readonly maxPeriod: number;
  readonly minRepeats: number;
  readonly minSpan: number;
  readonly maxSeqRep: number;
  private readonly state: RepetitionState = {
    length: 0,
    seqRep: 0,
    period: 0,
    repeats: 0,
    loopStart: -1,
    span: 0,
    triggered: false,
    reason: null,
  };
  /** Ring of the last tokens, stored twice so that any n-gram is contiguous. */
  private readonly ring: Int32Array;
  private readonly cap: number;
  private readonly mask: number;
  /** runs[p]: length of the run where x[i] = x[i − p], valid when stamps[p] is the last index of it. */
  private readonly runs: Int32Array;
  private readonly stamps: Int32Array;
  /** prev[i & mask]: previous position of the token at i (−1 if none within reach). */
  private readonly prev: Int32Array;
  /** Last position of each token seen in the last maxPeriod + 1 positions. */
  private readonly lastPos = new Map<number, number>();
  private readonly counter: NgramCounter;

  constructor(options: RepetitionMonitorOptions = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError(`options must be an object, got ${String(options)}`);
    checkOptionKeys('RepetitionMonitor options', options, ['n', 'window', 'maxPeriod', 'minRepeats', 'minSpan', 'maxSeqRep']);
    this.n = checkInteger('n', options.n ?? 4, 1);
    this.window = checkInteger('window', options.window ?? 128, this.n);
    this.maxPeriod = checkInteger('maxPeriod', options.maxPeriod ?? 64, 0, 1 << 16);
    this.minRepeats = checkInteger('minRepeats', options.minRepeats ?? 2, 2);
    this.minSpan = checkInteger('minSpan', options.minSpan ?? 4, 1);
    this.maxSeqRep = checkRange('maxSeqRep', options.maxSeqRep ?? 0.5, 0, 1);
    let cap = 16;
    while (cap < Math.max(this.window, this.maxPeriod + 1)) cap *= 2;
    this.cap = cap;
    this.mask = cap - 1;
    this.ring = new Int32Array(2 * cap);
    this.runs = new Int32Array(this.maxPeriod + 1);
    this.stamps = new Int32Array(this.maxPeriod + 1).fill(-2);
    this.prev = new Int32Array(cap);
    this.counter = new NgramCounter(this.n, Math.min(this.window, 4096));
  }

  /** Tokens pushed since the last reset. */
  get length(): number {
    return this.state.length;
  }

  /**
   * Feeds the next token (an integer in the int32 range) and returns the updated state (the same
   * object every time: copy what you keep).
   */
  push(token: number): RepetitionState {
    if ((token | 0) !== token) {
      throw new TypeError(`token must be a token id (an integer in the int32 range), got ${String(token)}`);
    }
    const st = this.state;
    const ring = this.ring;
    const cap = this.cap;
    const mask = this.mask;
    const n = this.n;
    const w = this.window;
    const t = st.length; // index of the new token
    // The n-gram starting at t − w leaves the window (it is still in the ring: cap ≥ w).
    if (t - w >= 0) this.counter.decrement(ring, (t - w) & mask);
    // Loop runs. Only the periods p where x[t − p] = x[t] can have a run now, and those are the
    // distances to the earlier occurrences of this token within maxPeriod: walk that chain.
    const runs = this.runs;
    const stamps = this.stamps;
    const maxP = this.maxPeriod;
    const lastPos = this.lastPos;
    let bestP = 0;
    let bestSpan = 0;
    let bestTrig = false;
    if (maxP > 0) {
      const leaving = t - maxP - 1;
      if (leaving >= 0) {
        const old = ring[leaving & mask];
        if (lastPos.get(old) === leaving) lastPos.delete(old);
      }
      const before = lastPos.get(token);
      this.prev[t & mask] = before === undefined ? -1 : before;
      lastPos.set(token, t);
      for (let q = before === undefined ? -1 : before; q >= 0 && t - q <= maxP; q = this.prev[q & mask]) {
        const p = t - q;
        const r = stamps[p] === t - 1 ? runs[p] + 1 : 1;
        runs[p] = r;
        stamps[p] = t;
        if (r < p) continue;
        const span = r + p;
        const repeats = (span / p) | 0;
        const trig = repeats >= this.minRepeats && p * repeats >= this.minSpan;
        if ((trig && !bestTrig) || (trig === bestTrig && (span > bestSpan || (span === bestSpan && p < bestP)))) {
          bestP = p;
          bestSpan = span;
          bestTrig = trig;
        }
      }
    }
    const at = t & mask;
    ring[at] = token;
    ring[at + cap] = token;
    const len = t + 1;
    st.length = len;
    if (len >= n) this.counter.increment(ring, (len - n) & mask);
    const covered = len < w ? len : w;
    st.seqRep = covered < n ? 0 : 1 - this.counter.distinct / (covered - n + 1);
    if (bestP > 0) {
      st.period = bestP;
      st.repeats = (bestSpan / bestP) | 0;
      st.span = bestSpan;
      st.loopStart = len - bestSpan;
    } else {
      st.period = 0;
      st.repeats = 0;
      st.span = 0;
      st.loopStart = -1;
    }
    if (bestTrig) st.reason = 'loop';
    else if (len >= w && st.seqRep > this.maxSeqRep) st.reason = 'seqRep';
    else st.reason = null;
    st.triggered = st.reason !== null;
    return st;
  }

  /** Forgets the stream (keeps the memory). */
  reset(): void {
    const st = this.state;
    st.length = 0;
    st.seqRep = 0;
    st.period = 0;
    st.repeats = 0;
    st.loopStart = -1;
    st.span = 0;
    st.triggered = false;
    st.reason = null;
    this.runs.fill(0);
    this.stamps.fill(-2);
    this.lastPos.clear();
    this.counter.clear();
  }
}
