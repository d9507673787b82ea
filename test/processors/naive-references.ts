/**
 * Straightforward references of the history-based processors over a plain array of ids: each
 * recounts the history from scratch per call (no TokenHistory, no index, no candidate set), so the
 * library's indexed paths are checked against code that shares nothing with them.
 */

export type Reference = (logits: Float32Array, ids: readonly number[]) => void;

/** The positions counted: [max(skip, len − window), len). */
function counted(ids: readonly number[], window: number, skip: number): number[] {
  const from = Math.max(0, skip, window === Infinity ? 0 : ids.length - window);
  return ids.slice(from);
}

export function repetitionPenaltyRef(penalty: number, window = Infinity, skip = 0): Reference {
  const pf = Math.fround(penalty);
  return (x, ids) => {
    for (const id of new Set(counted(ids, window, skip))) {
      if (id >= x.length) continue;
      const s = x[id];
      x[id] = s < 0 ? Math.fround(s * pf) : Math.fround(s / pf);
    }
  };
}

export function frequencyPenaltyRef(f: number, window = Infinity, skip = 0): Reference {
  const ff = Math.fround(f);
  return (x, ids) => {
    const count = new Map<number, number>();
    for (const id of counted(ids, window, skip)) count.set(id, (count.get(id) ?? 0) + 1);
    for (const [id, c] of count) if (id < x.length) x[id] = Math.fround(x[id] - Math.fround(ff * c));
  };
}

export function presencePenaltyRef(p: number, window = Infinity, skip = 0): Reference {
  const pf = Math.fround(p);
  return (x, ids) => {
    for (const id of new Set(counted(ids, window, skip))) if (id < x.length) x[id] = Math.fround(x[id] - pf);
  };
}

/** HF NoRepeatNGram: ban every token that followed an earlier occurrence of the last n−1 tokens. */
export function noRepeatNgramRef(n: number): Reference {
  return (x, ids) => {
    const len = ids.length;
    if (len < n) return;
    for (let s = 0; s + n <= len; s++) {
      let match = true;
      for (let j = 0; j < n - 1; j++) if (ids[s + j] !== ids[len - n + 1 + j]) match = false;
      if (match && ids[s + n - 1] < x.length) x[ids[s + n - 1]] = -Infinity;
    }
  };
}

/** True when `ids` ends with `prefix`. */
function endsWith(ids: readonly number[], prefix: readonly number[]): boolean {
  if (prefix.length > ids.length) return false;
  const off = ids.length - prefix.length;
  return prefix.every((p, j) => ids[off + j] === p);
}

/** HF NoBadWords: single-id entries (except eos ids) always banned; longer ones when their prefix ends the history. */
export function badWordsRef(sequences: readonly (readonly number[])[], eos: readonly number[] = []): Reference {
  return (x, ids) => {
    for (const seq of sequences) {
      if (seq.length === 1) {
        if (!eos.includes(seq[0])) x[seq[0]] = -Infinity;
      } else if (endsWith(ids, seq.slice(0, -1))) x[seq[seq.length - 1]] = -Infinity;
    }
  };
}

/**
 * HF SequenceBias: per biased id, the float32 sum of its single-id bias then of every matching
 * longer rule's bias (in rule order), added to the logit in float32. A repeated sequence keeps its
 * last bias.
 */
export function sequenceBiasRef(entries: readonly (readonly [readonly number[], number])[]): Reference {
  const rules = new Map<string, [readonly number[], number]>();
  for (const [seq, bias] of entries) rules.set(seq.join(','), [seq, bias]);
  return (x, ids) => {
    const acc = new Map<number, number>();
    for (const [seq, bias] of rules.values()) {
      if (seq.length === 1) acc.set(seq[0], Math.fround(bias));
    }
    for (const [seq, bias] of rules.values()) {
      if (seq.length === 1 || !endsWith(ids, seq.slice(0, -1))) continue;
      const t = seq[seq.length - 1];
      acc.set(t, Math.fround((acc.get(t) ?? 0) + Math.fround(bias)));
    }
    for (const [id, b] of acc) x[id] = Math.fround(x[id] + b);
  };
}
