/**
 * Turning a {@link HistoryLike} into a {@link TokenHistory}: a TokenHistory passes through; a plain
 * array is copied into a scratch history owned by the caller (O(length), no allocation once grown).
 */
import { TokenHistory } from '../core/token-history.js';
import type { HistoryLike } from '../core/types.js';

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
    try {
      this.scratch.reset(history);
    } catch (e) {
      // name the caller's argument (`history[3] must be a token id …`), not TokenHistory's
      if (e instanceof RangeError && e.message.startsWith('ids[')) throw new RangeError(name + e.message.slice(3));
      throw e;
    }
    return this.scratch;
  }
}

/**
 * Throws a RangeError naming `history[i]` unless the last `count` ids of a plain-array history are
 * token ids (integers in [0, 2^31)): for processors that read only the end of the history. A
 * TokenHistory holds valid ids by construction and is not scanned.
 */
export function checkHistoryTail(history: HistoryLike, count: number, name = 'history'): void {
  if (history instanceof TokenHistory) return;
  const len = history.length;
  for (let i = Math.max(0, len - count); i < len; i++) {
    const id = history[i];
    if (!(id >= 0 && id <= 0x7fffffff && Number.isInteger(id))) {
      throw new RangeError(`${name}[${i}] must be a token id (an integer in [0, 2^31)), got ${String(id)}`);
    }
  }
}

/** Length of a history-like value (0 when undefined). */
export function historyLength(history: HistoryLike | undefined): number {
  return history == null ? 0 : history.length;
}
