import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asLogitsProcessor } from '../../../src/integrations/transformers-js/index.js';
import { noRepeatNgram } from '../../../src/processors/no-repeat-ngram.js';
import { pipeline } from '../../../src/processors/pipeline.js';
import { presencePenalty } from '../../../src/processors/additive-penalties.js';
import { repetitionPenalty } from '../../../src/processors/repetition-penalty.js';
import { topK } from '../../../src/processors/top-k/top-k.js';
import { FakeTensor } from './fake-model.js';
import type { HistoryLike } from '../../../src/core/types.js';
import type { TokenHistory } from '../../../src/core/token-history.js';

const V = 6;
const tensor = (rows: number[][]) => new FakeTensor('float32', Float32Array.from(rows.flat()), [rows.length, V]);

describe('asLogitsProcessor', () => {
  it('equals the processor run on each row with that row ids, over transformers.js-style runs (rows grown in place) and new runs', () => {
    const make = () => pipeline(repetitionPenalty(1.3), noRepeatNgram(2), presencePenalty(0.5), topK(4));
    const tok = fc.integer({ min: 0, max: V - 1 });
    const logit = fc.float({ min: -5, max: 5, noNaN: true, noDefaultInfinity: true });
    const run = fc.record({
      batch: fc.integer({ min: 1, max: 3 }),
      prompt: fc.array(fc.array(tok, { minLength: 1, maxLength: 4 }), { minLength: 3, maxLength: 3 }),
      steps: fc.array(fc.record({ logits: fc.array(logit, { minLength: 3 * V, maxLength: 3 * V }), next: fc.array(tok, { minLength: 3, maxLength: 3 }), copy: fc.boolean() }), { minLength: 1, maxLength: 6 }),
    });
    fc.assert(
      fc.property(fc.array(run, { minLength: 1, maxLength: 3 }), (runs) => {
        const ours = asLogitsProcessor([repetitionPenalty(1.3), noRepeatNgram(2), presencePenalty(0.5), topK(4)]);
        const ref = make();
        for (const r of runs) {
          let ids: bigint[][] = r.prompt.slice(0, r.batch).map((p) => p.map(BigInt));
          for (const s of r.steps) {
            const rows = Array.from({ length: r.batch }, (_, b) => s.logits.slice(b * V, b * V + V));
            const t = tensor(rows);
            // transformers.js passes the same arrays grown in place; a copy takes the full-comparison path
            const given = s.copy ? ids.map((x) => [...x]) : ids;
            expect(ours(given, t)).toBe(t);
            for (let b = 0; b < r.batch; b++) {
              const want = ref(Float32Array.from(rows[b]), ids[b].map(Number));
              expect(Array.from((t.data as Float32Array).subarray(b * V, b * V + V))).toEqual(Array.from(want));
            }
            ids.forEach((x, b) => x.push(BigInt(s.next[b])));
            if (s.copy) ids = ids.map((x) => [...x]);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('starts a new history when the ids are not an extension of the last call', () => {
    const seen: number[][] = [];
    const spy = Object.assign((logits: Float32Array, h?: HistoryLike) => {
      seen.push(Array.from((h as TokenHistory).tokens));
      return logits;
    }, { label: 'spy' });
    const p = asLogitsProcessor(spy);
    const ids = [[1n, 2n]];
    p(ids, tensor([[0, 0, 0, 0, 0, 0]]));
    ids[0].push(3n);
    p(ids, tensor([[0, 0, 0, 0, 0, 0]]));
    p([[1n, 5n, 3n]], tensor([[0, 0, 0, 0, 0, 0]]));
    p([[4n]], tensor([[0, 0, 0, 0, 0, 0]]));
    expect(seen).toEqual([[1, 2], [1, 2, 3], [1, 5, 3], [4]]);
    expect(p.label).toBe('spy');
  });

  it('is shaped like a LogitsProcessorList: iterating it gives the functions to run, push appends one', () => {
    const p = asLogitsProcessor(repetitionPenalty(2));
    const order: string[] = [];
    p.push((_ids, logits) => {
      order.push('pushed');
      return logits;
    });
    const fns = [...p];
    expect(fns.length).toBe(2);
    const t = tensor([[1, 1, 1, 1, 1, 1]]);
    // transformers.js's list.extend(p) then runs each function in turn
    for (const fn of fns) fn([[2n]], t);
    expect(Array.from(t.data as Float32Array)).toEqual([1, 1, 0.5, 1, 1, 1]);
    expect(order).toEqual(['pushed']);
    p._call([[2n, 3n]], t);
    expect(Array.from(t.data as Float32Array)).toEqual([1, 1, 0.25, 0.5, 1, 1]);
    expect(() => p.push(3 as never)).toThrow(TypeError);
  });

  it('rejects bad data at the call and bad processors at construction', () => {
    const p = asLogitsProcessor(repetitionPenalty(1.2));
    expect(() => p([[1n]], new FakeTensor('float32', new Float32Array(V), [1, 1, V]))).toThrow(/shape \[batch, vocab\]/);
    expect(() => p([[1n]], new FakeTensor('float16', new Uint16Array(V), [1, V]))).toThrow('asLogitsProcessor: logits must hold float32 data, got float16');
    expect(() => p([[1n], [2n]], tensor([[0, 0, 0, 0, 0, 0]]))).toThrow(RangeError);
    expect(() => p([[9n]], tensor([[0, 0, 0, 0, 0, 0]]))).toThrow('asLogitsProcessor: inputIds[0][0] = 9 is not a token id of the vocabulary (size 6)');
    expect(() => asLogitsProcessor([])).toThrow(TypeError);
    expect(() => asLogitsProcessor(3 as never)).toThrow(TypeError);
  });
});
