/**
 * Moving the beams' token histories to their new slots after a step: slot `s` continues the history
 * of beam `src[s]` with token `tok[s]`. The last slot that continues a beam takes its history over,
 * the others copy it (into a pooled history), so no history is allocated in the steady state.
 */
import { TokenHistory } from '../core/token-history.js';

export class BeamHistories {
  /** The history of each slot. */
  hist: TokenHistory[];
  private next: TokenHistory[];
  private readonly pool: TokenHistory[] = [];
  private readonly owner: Int32Array;

  constructor(prompt: Int32Array, slots: number) {
    this.hist = Array.from({ length: slots }, () => new TokenHistory(prompt));
    this.next = new Array(slots);
    this.owner = new Int32Array(slots);
  }

  /**
   * Advances the slots `from ≤ s < to` of every range in `ranges` (pairs), which must only continue beams
   * of their own range; the other slots keep their history.
   */
  advance(src: Int32Array, tok: Int32Array, ranges: readonly number[]): void {
    const { hist, next, owner } = this;
    owner.fill(-1);
    for (let r = 0; r < ranges.length; r += 2) for (let s = ranges[r]; s < ranges[r + 1]; s++) owner[src[s]] = s;
    for (let s = 0; s < hist.length; s++) next[s] = hist[s];
    for (let r = 0; r < ranges.length; r += 2) {
      for (let s = ranges[r]; s < ranges[r + 1]; s++) {
        if (owner[src[s]] === s) continue;
        const h = this.pool.pop() ?? new TokenHistory();
        h.reset(hist[src[s]].tokens);
        next[s] = h;
      }
    }
    for (let r = 0; r < ranges.length; r += 2) {
      for (let s = ranges[r]; s < ranges[r + 1]; s++) {
        if (owner[src[s]] === s) next[s] = hist[src[s]];
        if (owner[s] < 0) this.pool.push(hist[s]);
      }
    }
    for (let r = 0; r < ranges.length; r += 2) for (let s = ranges[r]; s < ranges[r + 1]; s++) next[s].push(tok[s]);
    this.next = hist;
    this.hist = next;
  }
}
