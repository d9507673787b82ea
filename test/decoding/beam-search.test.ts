import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { beamSearch } from '../../src/decoding/beam-search.js';
import { ModelOutputError } from '../../src/decoding/model-call.js';
import type { LanguageModel } from '../../src/decoding/language-model.js';
import type { Processor } from '../../src/core/types.js';
import { bigramModel, trigramModel } from './models.js';
import { repetitionPenalty } from '../../src/processors/repetition-penalty.js';

const f = Math.fround;
// tokens: 0 = start, 1 = A, 2 = B, 3 = EOS
const probs = [
  [0.001, 0.5, 0.4, 0.099],
  [0.001, 0.3, 0.299, 0.4],
  [0.001, 0.05, 0.049, 0.9],
  [0.25, 0.25, 0.25, 0.25],
];

function logSoftmax(row: Float32Array): Float32Array {
  let m = -Infinity;
  for (const v of row) m = Math.max(m, v);
  let s = 0;
  for (const v of row) s += Math.exp(v - m);
  const lse = f(Math.log(s));
  return row.map((v) => f(f(v - m) - lse));
}

describe('beamSearch: hand-computed cases', () => {
  it('finds A… vs B EOS: greedy takes A, two beams find B EOS (p = 0.36 > 0.2); scores are the float32 sums of the rows\' log-softmax', async () => {
    const model = bigramModel(probs);
    const greedyLike = await beamSearch(model, [0], { numBeams: 1, maxNewTokens: 2, eosTokenIds: 3 });
    expect(Array.from(greedyLike.sequences[0].tokens)).toEqual([1, 3]);
    const r = await beamSearch(model, [0], { numBeams: 2, maxNewTokens: 5, eosTokenIds: 3, numReturnSequences: 2 });
    expect(Array.from(r.sequences[0].tokens)).toEqual([2, 3]);
    // independent reference: the float32 log-softmax of each row (computed here), summed in float32
    const row = (p: number[]) => logSoftmax(Float32Array.from(p, Math.log));
    const sumB = f(row(probs[0])[2] + row(probs[2])[3]);
    expect(r.sequences[0].logProb).toBe(sumB);
    expect(r.sequences[0].score).toBe(f(sumB / 2));
    expect(r.sequences[0].logProb).toBeCloseTo(Math.log(0.4) + Math.log(0.9), 5);
    expect(r.sequences[0].score).toBeCloseTo((Math.log(0.4) + Math.log(0.9)) / 2, 5);
    expect(Array.from(r.sequences[1].tokens)).toEqual([1, 3]);
    expect(r.sequences[1].score).toBeCloseTo((Math.log(0.5) + Math.log(0.4)) / 2, 5);
    expect(r.sequences[0].eos).toBe(true);
  });

  it('lengthPenalty changes the winner: 0 favours the short hypothesis, 2 the long one', async () => {
    // from 0: EOS 0.5 or A 0.5; after A: A 0.9 EOS 0.1 ... after AA: EOS 1
    const p = [
      [0.0001, 0.4999, 0.0001, 0.4999],
      [0.0001, 0.9, 0.0001, 0.0998],
      [0.25, 0.25, 0.25, 0.25],
      [0.25, 0.25, 0.25, 0.25],
    ];
    const model = bigramModel(p);
    const short = await beamSearch(model, [0], { numBeams: 2, maxNewTokens: 3, eosTokenIds: 3, lengthPenalty: 0, earlyStopping: 'never' });
    expect(Array.from(short.sequences[0].tokens)).toEqual([3]);
    const long = await beamSearch(model, [0], { numBeams: 2, maxNewTokens: 3, eosTokenIds: 3, lengthPenalty: 2, earlyStopping: 'never' });
    expect(long.sequences[0].tokens.length).toBeGreaterThan(1);
  });

  it('earlyStopping true stops once numBeams hypotheses are finished', async () => {
    const model = bigramModel(probs);
    const r = await beamSearch(model, [0], { numBeams: 2, maxNewTokens: 50, eosTokenIds: 3, earlyStopping: true });
    expect(r.steps).toBeLessThanOrEqual(3);
    const never = await beamSearch(bigramModel(probs), [0], { numBeams: 2, maxNewTokens: 8, eosTokenIds: 3, earlyStopping: 'never', lengthPenalty: 1 });
    const heuristic = await beamSearch(bigramModel(probs), [0], { numBeams: 2, maxNewTokens: 8, eosTokenIds: 3, earlyStopping: false, lengthPenalty: 1 });
    // "never" bounds the running beams by logProb / (maxLength − prompt), false by logProb / current length
    expect(never.steps).toBeGreaterThanOrEqual(heuristic.steps);
    expect(heuristic.steps).toBeLessThan(8);
  });

  it('without EOS every hypothesis has maxNewTokens tokens; processors see log-probabilities and the beam history', async () => {
    const seen: number[] = [];
    const spy: Processor = (logits, history) => {
      let s = 0;
      for (const v of logits) s += Math.exp(v);
      seen.push(s);
      expect(history!.length).toBeGreaterThanOrEqual(1);
      return logits;
    };
    const r = await beamSearch(bigramModel(probs), [0], { numBeams: 3, maxNewTokens: 4, processors: [spy], numReturnSequences: 3 });
    for (const h of r.sequences) expect(h.tokens.length).toBe(4);
    for (const s of seen) expect(s).toBeCloseTo(1, 4);
    expect(r.sequences[0].score).toBeGreaterThanOrEqual(r.sequences[1].score);
  });

  it('a processor that bans a token (no-repeat style) is applied per beam', async () => {
    const banRepeat: Processor = (logits, history) => {
      const h = history as { at(i: number): number | undefined };
      logits[h.at(-1)!] = -Infinity;
      return logits;
    };
    const loop = [
      [0.1, 0.8, 0.05, 0.05],
      [0.1, 0.8, 0.05, 0.05],
      [0.1, 0.8, 0.05, 0.05],
      [0.1, 0.8, 0.05, 0.05],
    ];
    const r = await beamSearch(bigramModel(loop), [0], { numBeams: 2, maxNewTokens: 6, processors: banRepeat });
    const t = Array.from(r.sequences[0].tokens);
    for (let i = 1; i < t.length; i++) expect(t[i]).not.toBe(t[i - 1]);
  });
});

describe('diverse (group) beam search', () => {
  const flat = [
    [0.1, 0.5, 0.3, 0.1],
    [0.1, 0.5, 0.3, 0.1],
    [0.1, 0.5, 0.3, 0.1],
    [0.1, 0.5, 0.3, 0.1],
  ];
  it('without a penalty every group of one beam is greedy; with one the groups differ', async () => {
    const same = await beamSearch(bigramModel(flat), [0], { numBeams: 2, numBeamGroups: 2, maxNewTokens: 3, numReturnSequences: 2 });
    expect(Array.from(same.sequences[0].tokens)).toEqual([1, 1, 1]);
    expect(Array.from(same.sequences[1].tokens)).toEqual([1, 1, 1]);
    const diverse = await beamSearch(bigramModel(flat), [0], { numBeams: 2, numBeamGroups: 2, maxNewTokens: 3, numReturnSequences: 2, diversityPenalty: 1 });
    const tokens = diverse.sequences.map((s) => Array.from(s.tokens).join(','));
    expect(tokens).toContain('1,1,1');
    expect(tokens).toContain('2,2,2'); // log 0.3 - 0 beats log 0.5 - 1 at every step
  });

  it('the diversity penalty comes after the processors (HF appends the Hamming processor to the list)', async () => {
    // prompt [1]: repetitionPenalty(1.5) makes token 1's log-probability 1.5 × log .5 = -1.040 in both groups.
    // Group 1 then pays 0.125 for group 0's pick: -1.165 > log .3 = -1.204, so it takes token 1 too.
    // (Penalty first, then the processor, would give 1.5 × (log .5 - 0.125) = -1.227 and token 2.)
    const r = await beamSearch(bigramModel(flat), [1], {
      numBeams: 2, numBeamGroups: 2, diversityPenalty: 0.125, maxNewTokens: 1, numReturnSequences: 2, processors: repetitionPenalty(1.5),
    });
    const lp1 = logSoftmax(Float32Array.from(flat[1], Math.log))[1];
    const g0 = f(lp1 * 1.5);
    expect(r.sequences.map((s) => Array.from(s.tokens))).toEqual([[1], [1]]);
    expect(r.sequences.map((s) => s.logProb)).toEqual([g0, f(g0 - 0.125)]);
  });

  it('Hamming penalty value: group 2 pays diversityPenalty per earlier pick', async () => {
    // with penalty 0.5: log .5 - .5 = -1.193 < log .3 = -1.204? no: -1.193 > -1.204 so group 2 still picks 1
    const r = await beamSearch(bigramModel(flat), [0], { numBeams: 2, numBeamGroups: 2, maxNewTokens: 1, numReturnSequences: 2, diversityPenalty: 0.5 });
    expect(r.sequences.map((s) => s.tokens[0]).sort()).toEqual([1, 1]);
    const r2 = await beamSearch(bigramModel(flat), [0], { numBeams: 2, numBeamGroups: 2, maxNewTokens: 1, numReturnSequences: 2, diversityPenalty: 0.52 });
    expect(r2.sequences.map((s) => s.tokens[0]).sort()).toEqual([1, 2]);
  });
});

function bruteBest(V: number, table: Float32Array, len: number): number {
  let best = -Infinity;
  const rec = (a: number, b: number, depth: number, acc: number): void => {
    if (depth === len) {
      best = Math.max(best, acc);
      return;
    }
    const row = logSoftmax(table.subarray((a * V + b) * V, (a * V + b + 1) * V));
    for (let t = 0; t < V; t++) rec(b, t, depth + 1, acc + row[t]);
  };
  rec(0, 0, 0, 0);
  return best;
}

describe('beamSearch properties', () => {
  it('with numBeams ≥ V^(n−1) and lengthPenalty 0 it finds the exhaustive best (n = 3, V = 3)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.float({ min: -4, max: 4, noNaN: true }), { minLength: 27, maxLength: 27 }), async (vals) => {
        const V = 3;
        const table = Float32Array.from(vals);
        const r = await beamSearch(trigramModel(V, table), [0], { numBeams: 9, maxNewTokens: 3, lengthPenalty: 0 });
        expect(r.sequences[0].logProb).toBeCloseTo(bruteBest(V, table, 3), 4);
      }),
      { numRuns: 1000 },
    );
  });

  it('numBeams 1 is greedy decoding', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: -16, max: 16 }).map((x) => x / 4), { minLength: 64, maxLength: 64 }), async (vals) => {
        const V = 4;
        const table = Float32Array.from(vals);
        const model = trigramModel(V, table);
        const r = await beamSearch(model, [1], { numBeams: 1, maxNewTokens: 5 });
        const seq = [1];
        for (let i = 0; i < 5; i++) {
          const { logits } = await model.forward([Int32Array.from(seq)]);
          const ls = logSoftmax(logits);
          let best = 0;
          for (let t = 1; t < V; t++) if (ls[t] > ls[best]) best = t;
          seq.push(best);
        }
        expect(Array.from(r.sequences[0].tokens)).toEqual(seq.slice(1));
      }),
      { numRuns: 1000 },
    );
  });

  it('is reproducible and returns hypotheses sorted by score', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.float({ min: -4, max: 4, noNaN: true }), { minLength: 64, maxLength: 64 }), fc.integer({ min: 1, max: 4 }), async (vals, nb) => {
        const table = Float32Array.from(vals);
        const opts = { numBeams: nb, maxNewTokens: 4, eosTokenIds: 3, numReturnSequences: nb };
        const a = await beamSearch(trigramModel(4, table), [0], opts);
        const b = await beamSearch(trigramModel(4, table), [0], opts);
        expect(a).toEqual(b);
        for (let i = 1; i < a.sequences.length; i++) expect(a.sequences[i - 1].score).toBeGreaterThanOrEqual(a.sequences[i].score);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('beamSearch: the fast path (no processor: log-probabilities of the candidates only) and the full row', () => {
  const identity: Processor = (lp) => lp; // any processor makes the search take the whole log-softmax row
  it('give the same hypotheses, scores and log-probabilities to the bit (property)', async () => {
    const cell = fc.oneof(
      fc.integer({ min: -8, max: 8 }).map((x) => x / 4), // ties
      fc.float({ min: -30, max: 30, noNaN: true, noDefaultInfinity: true }),
      fc.constant(-Infinity),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 6 }).chain((V) => fc.tuple(fc.constant(V), fc.array(cell, { minLength: V * V * V, maxLength: V * V * V }))),
        fc.record({
          numBeams: fc.integer({ min: 1, max: 4 }),
          groups: fc.integer({ min: 1, max: 2 }),
          maxNewTokens: fc.integer({ min: 1, max: 5 }),
          eos: fc.boolean(),
          lengthPenalty: fc.constantFrom(0, 1, 2, -1),
          earlyStopping: fc.constantFrom(true, false, 'never' as const),
        }),
        async ([V, vals], o) => {
          const table = Float32Array.from(vals);
          for (let r = 0; r < V * V; r++) table[r * V + (r % V)] = Math.max(table[r * V + (r % V)], 0); // no all -Infinity row
          const numBeams = o.numBeams * o.groups;
          const opts = {
            numBeams, numBeamGroups: o.groups, maxNewTokens: o.maxNewTokens, numReturnSequences: numBeams,
            lengthPenalty: o.lengthPenalty, earlyStopping: o.earlyStopping, ...(o.eos ? { eosTokenIds: V - 1 } : {}),
          };
          const fast = await beamSearch(trigramModel(V, table), [0], opts);
          const full = await beamSearch(trigramModel(V, table), [0], { ...opts, processors: identity });
          expect(fast).toEqual(full);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('beamSearch errors', () => {
  const model = bigramModel(probs);
  it('rejects bad options with typed errors naming them', async () => {
    await expect(beamSearch(model, [0], { numBeams: 0 })).rejects.toThrow(/numBeams/);
    await expect(beamSearch(model, [0], { numBeams: 3, numBeamGroups: 2 })).rejects.toThrow(RangeError);
    await expect(beamSearch(model, [0], { numBeams: 2, numReturnSequences: 3 })).rejects.toThrow(/numReturnSequences/);
    await expect(beamSearch(model, [0], { earlyStopping: 'sometimes' as never })).rejects.toThrow(TypeError);
    await expect(beamSearch(model, [9], {})).rejects.toThrow(/prompt/);
    await expect(beamSearch(model, [0], { eosTokenIds: 7 })).rejects.toThrow(/eosTokenIds/);
    await expect(beamSearch(model, [0], { diversityPenalty: -1 })).rejects.toThrow(/diversityPenalty/);
  });

  it('names the step when the model returns a wrong size or NaN', async () => {
    let call = 0;
    const bad: LanguageModel = {
      vocabSize: 4,
      async forward(seqs) {
        call++;
        const l = new Float32Array(seqs.length * 4);
        if (call === 3) l[5] = NaN;
        return { logits: call === 4 ? new Float32Array(3) : l };
      },
    };
    const err = await beamSearch(bad, [0], { numBeams: 2, maxNewTokens: 5 }).catch((e) => e);
    expect(err).toBeInstanceOf(ModelOutputError);
    expect(err.message).toMatch(/step 2.*NaN/);
    call = 3;
    const err2 = await beamSearch(bad, [0], { numBeams: 2, maxNewTokens: 5 }).catch((e) => e);
    expect(err2.message).toMatch(/step 0: model returned logits of length 3/);
  });

  it('an aborted signal rejects', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(beamSearch(model, [0], { signal: ac.signal })).rejects.toThrow();
  });
});

describe('beamSearch: bad input ends in an error naming it', () => {
  const model = bigramModel(probs);
  const banAll: Processor = (logits) => logits.fill(-Infinity);

  it('every token banned: throws a RangeError naming the step (as generate does), for one group or several', async () => {
    await expect(beamSearch(model, [0], { numBeams: 2, processors: banAll })).rejects.toThrow(/beamSearch, step 0: every token is banned/);
    let calls = 0;
    const banLater: Processor = (logits) => (++calls > 4 ? logits.fill(-Infinity) : logits);
    await expect(beamSearch(bigramModel(probs), [0], { numBeams: 2, maxNewTokens: 6, processors: banLater })).rejects.toThrow(/step 2: every token is banned/);
    await expect(beamSearch(model, [0], { numBeams: 4, numBeamGroups: 2, diversityPenalty: 1, processors: banAll })).rejects.toThrow(/step 0: every token is banned for every beam of group 0/);
  });

  it('rejects unknown option keys, suggesting the name meant', async () => {
    await expect(beamSearch(model, [0], { num_beams: 2 } as never)).rejects.toThrow(/unknown option "num_beams" \(did you mean "numBeams"\?\)/);
    await expect(beamSearch(model, [0], { earlyStoping: true } as never)).rejects.toThrow(/did you mean "earlyStopping"/);
    await expect(beamSearch(model, [0], { diversity: 1 } as never)).rejects.toThrow(TypeError);
  });

  it('padTokenId must be a token id of the vocabulary', async () => {
    await expect(beamSearch(model, [0], { numBeams: 2, padTokenId: 4 })).rejects.toThrow(/padTokenId/);
    await expect(beamSearch(model, [0], { numBeams: 2, padTokenId: -1 })).rejects.toThrow(/padTokenId/);
  });
});
