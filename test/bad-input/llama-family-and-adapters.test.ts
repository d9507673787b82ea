/**
 * Bad input to the llama.cpp samplers' helpers, the text side of generate() and the transformers.js
 * adapters: a broken rng, ids outside the vocabulary, a tokenizer or a model that returns garbage.
 * Each ends in an error that names what was wrong.
 */
import { describe, expect, it } from 'vitest';
import { createRng, drySequenceBreakers, generate, mirostat, mirostatV2, topK, type Rng } from '../../src/index.js';
import { asLogitsProcessor, transformersJsModel, type TensorLike } from '../../src/integrations/transformers-js/index.js';
import { FakeTensor, fakeModel, V } from '../integrations/transformers-js/fake-model.js';

function rngReturning(value: number): Rng {
  const base = createRng(1);
  return { ...base, next: () => value, nextUint32: () => 0, getState: () => base.getState(), setState: () => {}, clone: () => base };
}

const row = () => Float32Array.from({ length: 10 }, (_, i) => i / 3);

describe('Mirostat with bad draws and rows', () => {
  for (const v of [NaN, 1, -0.5, Infinity]) {
    it(`mirostatV2: rng.next() = ${v} is a RangeError naming rng (as mirostat and sample)`, () => {
      expect(() => mirostatV2({ tau: 5 })(row(), rngReturning(v))).toThrow(/rng\.next\(\) must return a number in \[0, 1\)/);
      expect(() => mirostat({ tau: 5 })(row(), rngReturning(v))).toThrow(/rng\.next\(\) must return a number in \[0, 1\)/);
    });
  }
  it('mirostat: a row longer than vocabSize is a RangeError naming vocabSize', () => {
    expect(() => mirostat({ tau: 5, vocabSize: 10 })(new Float32Array(20), createRng(1))).toThrow(/logits has length 20, more than vocabSize = 10/);
    expect(mirostat({ tau: 5, vocabSize: 20 })(row(), createRng(1))).toBeGreaterThanOrEqual(0);
  });
});

describe('drySequenceBreakers with an encode that returns garbage', () => {
  const withEncode = (r: unknown) => ({ vocabSize: 3, decode: (i: number) => ['a', 'b', 'c'][i], encode: () => r as number[] });
  it('an id outside the vocabulary is a RangeError naming encode and the text', () => {
    expect(() => drySequenceBreakers(['ab'], withEncode([99]))).toThrow(/encode\("b"\)\[0\] = 99 is outside the vocabulary of size 3/);
    expect(() => drySequenceBreakers(['ab'], withEncode([2 ** 40]))).toThrow(RangeError);
  });
  it('NaN and non-arrays are refused as before; good ids pass', () => {
    expect(() => drySequenceBreakers(['ab'], withEncode([NaN]))).toThrow(/encode\("b"\)\[0\]/);
    expect(() => drySequenceBreakers(['ab'], withEncode('b'))).toThrow(TypeError);
    expect(drySequenceBreakers(['ab'], withEncode([1]))).toEqual([[0, 1]]);
  });
});

describe('generate with a tokenizer whose decode returns no string', () => {
  const model = {
    vocabSize: 4,
    async forward(seqs: readonly Int32Array[]) {
      const logits = new Float32Array(seqs.length * 4);
      seqs.forEach((s, b) => (logits[b * 4 + ((s[s.length - 1] + 1) % 4)] = 1));
      return { logits };
    },
  };
  for (const bad of [5, null, undefined, ['a'], { text: 'a' }]) {
    it(`decode → ${JSON.stringify(bad) ?? 'undefined'}: TypeError naming tokenizer.decode`, async () => {
      const tokenizer = { encode: () => [0], decode: () => bad as unknown as string };
      await expect(generate(model, 'a', { tokenizer, maxNewTokens: 3 })).rejects.toThrow(/tokenizer\.decode must return a string/);
    });
  }
});

/** fakeModel with its forward's result passed through `corrupt`. */
function corrupted(corrupt: (out: Record<string, TensorLike>) => Record<string, TensorLike>, options: { hidden?: boolean } = {}) {
  const fake = fakeModel(options);
  const forward = fake.forward.bind(fake);
  fake.forward = async (inputs: Record<string, unknown>) => corrupt((await forward(inputs)) as Record<string, TensorLike>);
  return transformersJsModel(fake, { Tensor: FakeTensor as never });
}

describe('transformersJsModel over a model that returns garbage', () => {
  const seq = [Int32Array.from([1, 2, 3])];
  const loose = (type: string, data: unknown, dims: readonly number[]) => ({ type, data, dims, location: 'cpu' }) as unknown as TensorLike;
  it('logits whose data is shorter than their dims: an error naming the shape, not a row of zeros', async () => {
    const lm = corrupted((o) => ({ ...o, logits: loose('float32', new Float32Array(2), o.logits.dims) }));
    await expect(lm.forward(seq)).rejects.toThrow(/transformersJsModel: the model returned logits of shape \[1, 3, 7\] holding 2 values/);
  });
  it('logits with no position (dims [1, 0, V])', async () => {
    const lm = corrupted((o) => ({ ...o, logits: loose('float32', new Float32Array(0), [1, 0, V]) }));
    await expect(lm.forward(seq)).rejects.toThrow(/logits of shape \[1, 0, 7\]/);
  });
  it('float32 logits held in a plain array', async () => {
    const lm = corrupted((o) => ({ ...o, logits: loose('float32', Array.from(o.logits.data as Float32Array), o.logits.dims) }));
    await expect(lm.forward(seq)).rejects.toThrow(/holding 21 values \(Array\)/);
  });
  it('a hidden state of the wrong size, or missing, when the session lists it', async () => {
    const short = corrupted((o) => ({ ...o, last_hidden_state: loose('float32', new Float32Array(1), o.last_hidden_state.dims) }));
    await expect(short.forward(seq, { hidden: true })).rejects.toThrow(/last_hidden_state of shape \[1, 3, 4\] holding 1 values/);
    const none = corrupted(({ last_hidden_state: _, ...rest }) => rest);
    await expect(none.forward(seq, { hidden: true })).rejects.toThrow(/returned no last_hidden_state/);
  });
  it('through generate: a ModelCallError naming the step, with the adapter error as cause', async () => {
    const lm = corrupted((o) => ({ ...o, logits: loose('float32', new Float32Array(2), o.logits.dims) }));
    const err = await generate(lm, [1, 2], { maxNewTokens: 2 }).then(() => null, (e: unknown) => e as Error);
    expect(err?.message).toMatch(/generate, step 0: model\.forward failed: transformersJsModel: the model returned logits/);
  });
  it('an intact model still works (control)', async () => {
    const lm = corrupted((o) => o);
    const { logits } = await lm.forward(seq);
    expect(logits).toHaveLength(V);
  });
});

describe('asLogitsProcessor with bad tensors and arguments', () => {
  it('logits whose data does not fill their dims: a RangeError naming the dims', () => {
    const proc = asLogitsProcessor(topK(2));
    const logits = { type: 'float32', data: new Float32Array(5), dims: [1, 10] } as unknown as TensorLike;
    expect(() => proc([[1]], logits)).toThrow(/asLogitsProcessor: logits of dims \[1,10\] hold 5 values/);
  });
  it('a second argument (options it does not have) is a TypeError', () => {
    expect(() => (asLogitsProcessor as (...a: unknown[]) => unknown)([topK(2)], { minTokensToKeep: 2 })).toThrow(/asLogitsProcessor takes one argument/);
  });
  it('a huge bigint id is named', () => {
    const proc = asLogitsProcessor(topK(2));
    const logits = { type: 'float32', data: new Float32Array(10), dims: [1, 10] } as unknown as TensorLike;
    expect(() => proc([[1n, 2n ** 70n]], logits)).toThrow(/inputIds\[0\]\[1\] = 1180591620717411303424 is not a token id/);
  });
});

describe('loss shapes inferred from a mask or ids', () => {
  it('a mask of the wrong length: the error says the length came from the mask', async () => {
    const { simctgContrastiveLoss, unlikelihoodLoss } = await import('../../src/index.js');
    expect(() => simctgContrastiveLoss(new Float32Array(8).fill(1), { hiddenSize: 4, mask: [1] })).toThrow(
      /hidden has length 8, expected batch · length · hiddenSize = 1 · 1 · 4 = 4 \(length 1 from mask, which has length 1\)/,
    );
    expect(() => unlikelihoodLoss(new Float32Array(30), [1, 2], { vocabSize: 10 })).toThrow(/\(length 2 from targets, which has length 2\)/);
  });
});

describe('fromGenerationConfig: typos of the keys it reads', () => {
  it('a key within two edits of a read key (and no HF attribute) is a TypeError naming both', async () => {
    const { fromGenerationConfig } = await import('../../src/index.js');
    const cases: [Record<string, unknown>, string][] = [
      [{ do_sampel: true, top_p: 0.9 }, 'do_sample'],
      [{ max_new_token: 20 }, 'max_new_tokens'],
      [{ repetiton_penalty: 1.2 }, 'repetition_penalty'],
      [{ topP: 0.9 }, 'top_p'],
      [{ maxNewTokens: 5 }, 'max_new_tokens'],
    ];
    for (const [json, near] of cases) {
      expect(() => fromGenerationConfig(json), JSON.stringify(json)).toThrow(new RegExp(`unknown key "${Object.keys(json)[0]}" \\(did you mean "${near}"\\?\\)`));
    }
  });
  it('the keys real configs carry that only HF uses are still ignored', async () => {
    const { fromGenerationConfig } = await import('../../src/index.js');
    const json = {
      _from_model_config: true, transformers_version: '4.40.0', bos_token_id: 1, eos_token_id: [1, 2], pad_token_id: null,
      use_cache: true, output_scores: false, return_dict_in_generate: false, max_time: null, decoder_start_token_id: 0,
      forced_decoder_ids: null, no_timestamps_token_id: 5, return_timestamps: false, alignment_heads: [[1, 2]], lang_to_id: {},
      max_new_tokens: 7,
    };
    expect(fromGenerationConfig(json).maxNewTokens).toBe(7);
  });
});
