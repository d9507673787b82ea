// The monitor's back-off in generate(): how long the stronger settings last after a rewind, and
// what maxRetries counts (failed back-offs in a row, not back-offs in total).
import { describe, expect, it } from 'vitest';
import { generate, type GenerateEvent } from '../../src/decoding/generate.js';
import type { LanguageModel } from '../../src/decoding/language-model.js';
import type { Processor } from '../../src/core/types.js';
import { RepetitionMonitor } from '../../src/metrics/repetition-monitor.js';

const V = 512;

/** Greedy loops 1 2 3 1 2 3 …; from any other token the argmax goes back to 1, then 0 is next best. */
const attractor: LanguageModel = {
  vocabSize: V,
  async forward(sequences) {
    const logits = new Float32Array(sequences.length * V);
    sequences.forEach((s, b) => {
      const t = s[s.length - 1];
      const best = t === 1 ? 2 : t === 2 ? 3 : 1;
      logits[b * V + best] = 5;
      if (t < 1 || t > 3) logits[b * V + 0] = 1;
    });
    return { logits };
  },
};

/**
 * A back-off: bans the loop's tokens 1, 2, 3 and, with `fresh`, every token seen so far (so what it
 * writes never repeats anything; without it, it writes 0 0 0 0 …).
 */
function escape(fresh: boolean): Processor {
  return (logits, history) => {
    logits[1] = logits[2] = logits[3] = -Infinity;
    if (fresh) for (const t of (history as { tokens: Int32Array }).tokens) logits[t] = -Infinity;
    return logits;
  };
}

/** Runs generate with an onStep hook recording whether each kept token was chosen while backing off. */
async function run(options: Parameters<typeof generate>[2]) {
  const events: GenerateEvent[] = [];
  const strong: boolean[] = [];
  const g = generate(attractor, [0], {
    ...options,
    onStep: ({ step, backingOff }) => {
      strong.length = step;
      strong.push(backingOff);
    },
  });
  for await (const e of g) events.push(e);
  const r = await g;
  return { r, events, strong: strong.slice(0, r.tokens.length) };
}

/** The lengths of the runs of back-off steps in the final output. */
function strongRuns(strong: boolean[]): number[] {
  const runs: number[] = [];
  let n = 0;
  for (const s of [...strong, false]) {
    if (s) n++;
    else if (n > 0) {
      runs.push(n);
      n = 0;
    }
  }
  return runs;
}

describe('generate: the monitor back-off', () => {
  it('back-offs that escape the loop do not use up maxRetries; they last 48, 96, 192 … tokens by default', async () => {
    const { r, events, strong } = await run({ maxNewTokens: 400, monitor: new RepetitionMonitor(), onRepetition: { processors: [escape(true)] } });
    // Each cycle: greedy walks back into 1 2 3 1 2 3, the monitor fires (a block seen twice), the
    // second copy is rewound and the next tokens are decoded with the back-off, then greedy again.
    expect(r.stopReason).toBe('maxNewTokens');
    expect(r.tokens.length).toBe(400);
    expect(r.backoffs).toBe(4); // more than the default maxRetries (3)
    expect(strongRuns(strong)).toEqual([48, 96, 192, 400 - 3 * 4 - 48 - 96 - 192]);
    // No loop is left in the output: the monitor run over it never fires.
    const check = new RepetitionMonitor();
    expect(Array.from(r.tokens).some((t) => check.push(t).triggered)).toBe(false);
    // Replaying the stream gives the result.
    const replay: number[] = [];
    for (const e of events) {
      if (e.type === 'token') replay.push(e.token);
      else if (e.type === 'rewind') replay.length = e.length;
    }
    expect(Int32Array.from(replay)).toEqual(r.tokens);
  });

  it("maxRetries 0 stops at the first alarm, the loop's tokens kept", async () => {
    const { r } = await run({ maxNewTokens: 200, monitor: new RepetitionMonitor(), onRepetition: { processors: [escape(true)], maxRetries: 0 } });
    expect(r.stopReason).toBe('repetition');
    expect(r.backoffs).toBe(0);
    expect(Array.from(r.tokens)).toEqual([1, 2, 3, 1, 2, 3]);
  });

  it('back-offs that fire again before their span is over count as failures: maxRetries of them in a row, then stop', async () => {
    // Banning only 1 2 3, the back-off writes 0 0 0 0: the monitor fires inside the back-off span.
    for (const maxRetries of [1, 3, 5]) {
      const { r } = await run({ maxNewTokens: 200, monitor: new RepetitionMonitor(), onRepetition: { processors: [escape(false)], maxRetries } });
      expect(r.stopReason).toBe('repetition');
      // the first back-off follows a greedy loop (not a failure), then maxRetries failures are allowed
      expect(r.backoffs).toBe(maxRetries);
    }
  });

  it('a back-off span doubles each time and covers at least the rewound span, whatever `tokens` says', async () => {
    const { r, strong } = await run({ maxNewTokens: 60, monitor: new RepetitionMonitor(), onRepetition: { processors: [escape(true)], tokens: 1 } });
    // 1 2 3 1 2 3 fires with 3 tokens dropped: the k-th back-off (k = 0, 1, …) lasts max(2^k, 3) tokens;
    // each cycle keeps 3 greedy tokens (1 2 3) before the back-off.
    expect(r.stopReason).toBe('maxNewTokens');
    expect(strongRuns(strong)).toEqual([3, 3, 4, 8, 16, 60 - 3 * 6 - 34]);
    expect(r.backoffs).toBe(6);
  });
});
