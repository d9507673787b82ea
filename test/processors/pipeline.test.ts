import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  createRng,
  epsilonCutoff,
  etaCutoff,
  fromGenerationConfig,
  greedy,
  minP,
  noRepeatNgram,
  pipeline,
  presencePenalty,
  repetitionPenalty,
  sample,
  temperature,
  TokenHistory,
  topK,
  topP,
  typicalP,
  type Processor,
} from '../../src/index.js';
import { compareRow, loadHf, row, rowsToCompare } from '../helpers/fixtures.js';
import { configKeys, HF_CLASSES } from '../helpers/hf-classes.js';

const fixture = loadHf('pipeline');

describe('pipeline: HF LogitsProcessorList parity (pipeline.json)', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const procs = (c.processors as { class: string; params: Record<string, unknown> }[]).map((p) => HF_CLASSES[p.class](p.params));
      const steps = c.expected_after_each_step as number[][][] | undefined;
      c.scores!.forEach((scores, r) => {
        const ids = c.input_ids ? c.input_ids[r] : [];
        // composed, with a plain-array history and with a TokenHistory
        for (const history of [ids, new TokenHistory(ids)]) {
          const x = row(scores);
          pipeline(...procs)(x, history);
          expect(compareRow(c, r, x, rowsToCompare(c).expected[r])).toEqual([]);
        }
        // one by one, checked after each step when the fixture has them
        const y = row(scores);
        procs.forEach((p, s) => {
          p(y, ids);
          if (steps) expect(compareRow(c, r, y, steps[s][r])).toEqual([]);
        });
      });
    });
  }
});

describe('fromGenerationConfig builds the same chain as HF generate()', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const chain = c.processors as { class: string; params: Record<string, any> }[];
      const config: Record<string, unknown> = { do_sample: true, top_k: 0 };
      for (const p of chain) Object.assign(config, configKeys(p.class, p.params));
      const mtk = chain.find((p) => p.params.min_tokens_to_keep)?.params.min_tokens_to_keep;
      if (mtk === 2) Object.assign(config, { num_beams: 2, eos_token_id: 0 });
      const setup = fromGenerationConfig(config);
      expect(setup.processors.length).toBe(chain.length);
      c.scores!.forEach((scores, r) => {
        const x = row(scores);
        setup.pipeline(x, c.input_ids ? c.input_ids[r] : []);
        expect(compareRow(c, r, x, rowsToCompare(c).expected[r])).toEqual([]);
      });
    });
  }

  it('uses HF defaults and order', () => {
    const s = fromGenerationConfig({ do_sample: true, temperature: 0.7, top_p: 0.9, repetition_penalty: 1.1 });
    expect(s.processors.map((p) => p.label)).toEqual(['repetitionPenalty(1.1)', 'temperature(0.7)', 'topK(50)', 'topP(0.9)']);
    expect(s.doSample).toBe(true);
    const g = fromGenerationConfig({ temperature: 0.7, top_k: 10, no_repeat_ngram_size: 3 });
    expect(g.processors.map((p) => p.label)).toEqual(['noRepeatNgram(3)']);
    expect(g.doSample).toBe(false);
    const beams = fromGenerationConfig({ do_sample: true, num_beams: 4, eos_token_id: [1, 2], top_k: 5 });
    expect(beams.numBeams).toBe(4);
    expect(beams.eosTokenIds).toEqual([1, 2]);
  });

  it('step() runs the pipeline and chooses', () => {
    const x = Float32Array.from([1, 5, 2, 4]);
    expect(fromGenerationConfig({ repetition_penalty: 10 }).step(x, [1])).toBe(3);
    const s = fromGenerationConfig({ do_sample: true, top_k: 1 });
    expect(s.step(Float32Array.from([1, 5, 2, 4]), [], createRng(0))).toBe(1);
  });

  it('rejects bad configs with errors naming the key', () => {
    expect(() => fromGenerationConfig(null as never)).toThrow(TypeError);
    expect(() => fromGenerationConfig({ num_beams: 0 })).toThrow(/num_beams/);
    expect(() => fromGenerationConfig({ do_sample: true, top_p: 1.5 })).toThrow(RangeError);
    expect(() => fromGenerationConfig({ do_sample: true, temperature: 0 })).toThrow(/temperature/);
    expect(() => fromGenerationConfig({ min_new_tokens: 3, eos_token_id: 1 }).processors).toThrow(/promptLength/);
    expect(() => fromGenerationConfig({ eos_token_id: -1 })).toThrow(/eos_token_id/);
  });
});

// Random chains: composing equals running one by one, bit for bit, and the candidate set is valid.
const makers: ((r: number) => Processor)[] = [
  (r) => repetitionPenalty(1 + (r % 5) / 4),
  (r) => presencePenalty((r % 4) / 2),
  (r) => temperature(0.25 + (r % 8) / 4),
  (r) => topK(1 + (r % 10)),
  (r) => topP((r % 11) / 10),
  (r) => minP((r % 10) / 20),
  (r) => typicalP(0.05 + (r % 9) / 10),
  (r) => noRepeatNgram(1 + (r % 3)),
  // a finite filterValue: no fast paths (survivorPaths), so the chain after it runs dense
  (r) => topP((r % 11) / 10, { filterValue: -1000 - r }),
  (r) => topK(1 + (r % 10), { filterValue: -50 }),
  (r) => minP((r % 10) / 20, { filterValue: -1e4 }),
  (r) => epsilonCutoff(10 ** -(1 + (r % 4)), { filterValue: -1e4 }),
];

describe('pipeline properties', () => {
  it('equals applying its processors one by one; candidates cover every finite cell', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ noNaN: true, noDefaultInfinity: true, min: -20, max: 20 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(makers.length - 1), fc.nat(100)), { maxLength: 6 }),
        fc.array(fc.nat(39), { maxLength: 20 }),
        (xs, chain, hist) => {
          const ids = hist.filter((t) => t < xs.length);
          const procs = chain.map(([m, r]) => makers[m](r));
          const composed = pipeline(...procs);
          const a = Float32Array.from(xs);
          composed(a, new TokenHistory(ids));
          const b = Float32Array.from(xs);
          for (const p of procs) p(b, ids);
          expect(Array.from(a)).toEqual(Array.from(b));
          const cands = composed.candidates;
          if (cands) {
            const inSet = new Set(Array.from(cands.ids.subarray(0, cands.size)));
            for (let i = 0; i < a.length; i++) if (a[i] !== -Infinity) expect(inSet.has(i)).toBe(true);
            if (a.some((v) => v > -Infinity)) {
              expect(greedy(a, cands)).toBe(greedy(a));
              expect(sample(a, createRng(5), cands)).toBe(sample(a, createRng(5)));
            }
          }
          // nested pipelines compose too
          const c = Float32Array.from(xs);
          pipeline(pipeline(...procs.slice(0, 2)), pipeline(...procs.slice(2)))(c, ids);
          expect(Array.from(c)).toEqual(Array.from(b));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('a truncation warper offers truncate and sparse only with filterValue -Infinity', () => {
    const makes: ((o: { filterValue?: number }) => Processor)[] = [
      (o) => topP(0.9, o),
      (o) => topK(5, o),
      (o) => minP(0.1, o),
      (o) => typicalP(0.9, o),
      (o) => epsilonCutoff(1e-3, o),
      (o) => etaCutoff(1e-3, o),
    ];
    for (const make of makes) {
      const dflt = make({});
      expect(typeof dflt.sparse, dflt.label).toBe('function');
      for (const filterValue of [-1e4, 0, -Number.MAX_VALUE]) {
        const p = make({ filterValue });
        expect(p.truncate, p.label).toBeUndefined();
        expect(p.sparse, p.label).toBeUndefined();
      }
    }
    // in a pipeline: the row as one by one, and the candidates come from the last warper that reports them
    const x = Float32Array.from([4, 3, 2, 1, 0, -1]);
    const chain = pipeline(topK(4), topP(0.5, { filterValue: -1e4 }), minP(0.5));
    chain(x);
    // topP keeps 4 alone (probability 0.64 of the four left), writing -1e4; minP removes those
    expect(Array.from(x)).toEqual([4, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity]);
    expect(Array.from(chain.candidates!.ids.subarray(0, chain.candidates!.size))).toEqual([0]);
    const y = Float32Array.from([4, 3, 2, 1, 0, -1]);
    const tail = pipeline(topK(4), topP(0.5, { filterValue: -1e4 }));
    tail(y);
    // (as HF: every removed cell gets the filter value, the -Infinity ones too)
    expect(Array.from(y)).toEqual([4, -1e4, -1e4, -1e4, -1e4, -1e4]);
    expect(tail.candidates).toBeNull();
  });

  it('rejects non-processors and bad rows', () => {
    expect(() => pipeline(42 as never)).toThrow(/processors\[0\]/);
    expect(() => pipeline(topK(2))(new Float32Array(0))).toThrow(RangeError);
    expect(() => pipeline(topK(2))([1, 2] as never)).toThrow(TypeError);
  });
});
