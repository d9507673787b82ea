import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadHf } from '../helpers/fixtures.js';
import { contrastiveRanking } from '../../src/decoding/contrastive-ranking.js';
import { contrastiveSearch } from '../../src/decoding/contrastive-search.js';
import { generate } from '../../src/decoding/generate.js';
import type { LanguageModel } from '../../src/decoding/language-model.js';

describe('contrastiveRanking: HF _ranking_fast parity', () => {
  const fx = loadHf('contrastive_ranking');
  for (const c of fx.cases) {
    it(c.name, () => {
      const ctx = c.context_hidden as number[][][]; // [B*K, S, D]
      const next = c.next_hidden as number[][][]; // [B*K, 1, D]
      const probs = c.next_top_k_probs as number[][]; // [B, K]
      const { alpha, beam_width: K } = c.params as { alpha: number; beam_width: number };
      const S = ctx[0].length;
      const D = ctx[0][0].length;
      probs.forEach((p, b) => {
        const ctxFlat = Float32Array.from(ctx.slice(b * K, b * K + K).flat(2));
        const nextFlat = Float32Array.from(next.slice(b * K, b * K + K).flat(2));
        const scores = new Float64Array(K);
        const got = contrastiveRanking(ctxFlat, nextFlat, Float32Array.from(p), { penaltyAlpha: alpha, hiddenSize: D, contextLength: S, scores });
        expect(got).toBe((c.expected_selected_idx as number[])[b]);
        const aux = (c.aux_contrastive_score_torch as number[][])[b];
        for (let i = 0; i < K; i++) expect(scores[i]).toBeCloseTo(aux[i], 5);
        // the shared S × D layout gives the same answer
        const shared = Float32Array.from(ctx[b * K].flat());
        expect(contrastiveRanking(shared, nextFlat, p, { penaltyAlpha: alpha, hiddenSize: D })).toBe(got);
      });
    });
  }
});

const vec = (d: number) => fc.array(fc.integer({ min: -5, max: 5 }), { minLength: d, maxLength: d }).filter((v) => v.some((x) => x !== 0));

/** The score of Su et al. written out directly (double precision, no shared code): (1 − α) p − α max cos. */
function referenceScores(ctx: number[][], cands: number[][], p: number[], alpha: number): number[] {
  const cos = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0) / (Math.hypot(...a) * Math.hypot(...b));
  return cands.map((v, c) => (1 - alpha) * p[c] - alpha * Math.max(...ctx.map((h) => cos(h, v))));
}

describe('contrastiveRanking properties', () => {
  it('picks the argmax of an independent reference score (first on a tie), for every α in [0, 1]', () => {
    fc.assert(
      fc.property(fc.array(vec(3), { minLength: 1, maxLength: 4 }), fc.array(fc.tuple(vec(3), fc.integer({ min: 1, max: 99 })), { minLength: 1, maxLength: 5 }), fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true })), (ctxRows, cands, alpha) => {
        const p = cands.map(([, w]) => w / 100);
        const ref = referenceScores(ctxRows, cands.map(([v]) => v), p, alpha);
        const scores = new Float64Array(p.length);
        const pick = contrastiveRanking(Float32Array.from(ctxRows.flat()), Float32Array.from(cands.flatMap(([v]) => v)), p, { penaltyAlpha: alpha, hiddenSize: 3, scores });
        for (let c = 0; c < p.length; c++) expect(scores[c]).toBeCloseTo(ref[c], 12);
        const best = Math.max(...ref);
        // the pick is a reference argmax; it is the first one unless two scores agree to rounding
        expect(ref[pick]).toBeCloseTo(best, 12);
        const first = ref.findIndex((r) => r > best - 1e-12);
        if (ref.every((r, c) => c === first || r < best - 1e-12)) expect(pick).toBe(first);
      }),
      { numRuns: 1000 },
    );
  });

  it('α = 0 picks the most probable candidate; α = 1 the one least similar to the context (hand-made cases)', () => {
    const ctx = Float32Array.from([1, 0, 0, 0, 1, 0]); // S = 2: e1, e2
    // candidates: e1 (cos 1), (1,1,0)/√2 (cos .707), e3 (cos 0), −e1 (max cos 0: it is orthogonal to e2)
    const next = Float32Array.from([1, 0, 0, 1, 1, 0, 0, 0, 1, -1, 0, 0]);
    const p = [0.4, 0.3, 0.2, 0.1];
    expect(contrastiveRanking(ctx, next, p, { penaltyAlpha: 0, hiddenSize: 3 })).toBe(0);
    expect(contrastiveRanking(ctx, next, p, { penaltyAlpha: 1, hiddenSize: 3 })).toBe(2); // e3 and −e1 tie at 0: the first wins
    expect(contrastiveRanking(ctx, next, [0.1, 0.2, 0.3, 0.4], { penaltyAlpha: 1, hiddenSize: 3 })).toBe(2);
    // α = 0.5: scores .5·p − .5·maxcos = −.3, −.2036, .1, .05
    expect(contrastiveRanking(ctx, next, p, { penaltyAlpha: 0.5, hiddenSize: 3 })).toBe(2);
  });

  it('positive scaling of the hidden states changes nothing', () => {
    fc.assert(
      fc.property(fc.array(vec(3), { minLength: 1, maxLength: 4 }), fc.array(fc.tuple(vec(3), fc.integer({ min: 1, max: 99 })), { minLength: 1, maxLength: 5 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 2, max: 7 }), (ctxRows, cands, alpha, scale) => {
        const ctx = Float32Array.from(ctxRows.flat());
        const next = Float32Array.from(cands.flatMap(([v]) => v));
        const p = cands.map(([, w]) => w / 100);
        const a = new Float64Array(p.length);
        const b = new Float64Array(p.length);
        contrastiveRanking(ctx, next, p, { penaltyAlpha: alpha, hiddenSize: 3, scores: a });
        contrastiveRanking(ctx.map((x) => x * scale), next.map((x) => x * scale), p, { penaltyAlpha: alpha, hiddenSize: 3, scores: b });
        for (let c = 0; c < p.length; c++) expect(Math.abs(a[c] - b[c])).toBeLessThan(1e-9);
      }),
      { numRuns: 1000 },
    );
  });

  it('rejects zero vectors, bad sizes and bad α', () => {
    expect(() => contrastiveRanking([1, 0], [0, 0], [1], { penaltyAlpha: 0.5, hiddenSize: 2 })).toThrow(/norm/);
    expect(() => contrastiveRanking([1, 0], [1, 0, 1], [1], { penaltyAlpha: 0.5, hiddenSize: 2 })).toThrow(RangeError);
    expect(() => contrastiveRanking([1, 0], [1, 0], [1], { penaltyAlpha: 1.5, hiddenSize: 2 })).toThrow(/penaltyAlpha/);
    expect(() => contrastiveRanking([1, 0], [1, 0], [1], { penaltyAlpha: 0.5, hiddenSize: 2, alpha: 1 } as never)).toThrow(/unknown option "alpha"/);
    expect(() => contrastiveRanking([1, 0], [1, 0], [1], undefined as never)).toThrow(TypeError);
  });
});

/** Logits from a trigram table; hidden state = one-hot-ish embedding of the last two tokens. */
function hiddenModel(V: number, table: Float32Array): LanguageModel {
  const D = 2 * V;
  const hiddenOf = (s: Int32Array, out: Float32Array, off: number) => {
    out[off + s[s.length - 1]] = 1;
    if (s.length > 1) out[off + V + s[s.length - 2]] = 0.5;
  };
  return {
    vocabSize: V,
    hiddenSize: D,
    async forward(seqs, opts) {
      const logits = new Float32Array(seqs.length * V);
      const hidden = opts?.hidden ? new Float32Array(seqs.length * D) : undefined;
      seqs.forEach((s, r) => {
        const a = s.length > 1 ? s[s.length - 2] : 0;
        const b = s[s.length - 1];
        logits.set(table.subarray((a * V + b) * V, (a * V + b + 1) * V), r * V);
        if (hidden) hiddenOf(s, hidden, r * D);
      });
      return { logits, hidden };
    },
  };
}

describe('contrastiveSearch', () => {
  it('α = 0 is greedy decoding (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: -8, max: 8 }), { minLength: 64, maxLength: 64 }), async (vals) => {
        const model = hiddenModel(4, Float32Array.from(vals));
        const cs = await contrastiveSearch(model, [1, 2], { topK: 3, penaltyAlpha: 0, maxNewTokens: 6 });
        const g = await generate(model, [1, 2], { maxNewTokens: 6 });
        expect(Array.from(cs.tokens)).toEqual(Array.from(g.tokens));
      }),
      { numRuns: 1000 },
    );
  });

  it('breaks a greedy loop: with α = 0.6 the output repeats its bigrams less', async () => {
    // 0 → 1 → 0 → 1 … greedily; other tokens slightly less likely
    const V = 6;
    const table = new Float32Array(V * V * V);
    for (let ctx = 0; ctx < V * V; ctx++) {
      const b = ctx % V;
      for (let t = 0; t < V; t++) table[ctx * V + t] = t === (b === 0 ? 1 : 0) ? 2 : 1.5;
    }
    const model = hiddenModel(V, table);
    const greedyOut = await generate(model, [0], { maxNewTokens: 20 });
    const cs = await contrastiveSearch(model, [0], { topK: 4, penaltyAlpha: 0.6, maxNewTokens: 20 });
    const distinct = (t: Int32Array) => new Set(Array.from(t.subarray(1), (x, i) => `${t[i]},${x}`)).size;
    expect(distinct(greedyOut.tokens)).toBe(2);
    expect(distinct(cs.tokens)).toBeGreaterThan(4);
  });

  it('uses model.hiddenStates for the prompt when present, with the same result', async () => {
    const V = 5;
    const table = Float32Array.from({ length: V ** 3 }, (_, i) => Math.sin(i * 12.9898) * 3);
    const base = hiddenModel(V, table);
    const withStates: LanguageModel = {
      ...base,
      forward: base.forward.bind(base),
      async hiddenStates(seq) {
        const prefixes = Array.from(seq, (_, i) => seq.subarray(0, i + 1));
        return (await base.forward(prefixes, { hidden: true })).hidden!;
      },
    };
    const a = await contrastiveSearch(base, [1, 2, 3, 4], { maxNewTokens: 10 });
    const b = await contrastiveSearch(withStates, [1, 2, 3, 4], { maxNewTokens: 10 });
    expect(a.tokens).toEqual(b.tokens);
    expect(a.stopReason).toBe('maxNewTokens');
  });

  it('checks options and the model', async () => {
    const model = hiddenModel(3, new Float32Array(27));
    await expect(contrastiveSearch(model, [0], { topK: 0 })).rejects.toThrow(/topK/);
    await expect(contrastiveSearch(model, [0], { penaltyAlpha: 2 })).rejects.toThrow(/penaltyAlpha/);
    await expect(contrastiveSearch(model, [0], { penalty_alpha: 0.5 } as never)).rejects.toThrow(/unknown option "penalty_alpha" \(did you mean "penaltyAlpha"\?\)/);
    await expect(contrastiveSearch(model, [0], { topk: 3 } as never)).rejects.toThrow(/did you mean "topK"/);
    await expect(contrastiveSearch({ vocabSize: 3, forward: model.forward }, [0])).rejects.toThrow(/hiddenSize/);
    const noHidden: LanguageModel = { vocabSize: 3, hiddenSize: 6, forward: async (s) => ({ logits: new Float32Array(s.length * 3) }) };
    await expect(contrastiveSearch(noHidden, [0])).rejects.toThrow(/step 0: model returned hidden of undefined/);
  });
});
