/**
 * Turning a {@link HistoryLike} into a {@link TokenHistory}: a TokenHistory passes through; a plain
 * array is copied into a scratch history owned by the caller (O(length), no allocation once grown).
 */
import { TokenHistory } from './token-history.js';
import type { HistoryLike } from './types.js';

/** Holds a reusable TokenHistory for processors that are given plain arrays. */
export class HistoryScratch {
  private scratch: TokenHistory | null = null;

  /** `history` itself if it is a TokenHistory; otherwise a scratch copy of its ids. */
  from(history: HistoryLike | undefined, name = 'history'): TokenHistory {
    if (history instanceof TokenHistory) return history;
    if (history == null || typeof (history as ArrayLike<number>).length !== 'number') {
      throw new TypeError(`${name} must be a TokenHistory or an array of token ids, got ${String(history)}`);
    }
    if (!this.scratch) this.scratch = new TokenHistory();
    this.scratch.reset(history);
    return this.scratch;
  }
}

/** Length of a history-like value (0 when undefined). */
export function historyLength(history: HistoryLike | undefined): number {
  return history == null ? 0 : history.length;
}
