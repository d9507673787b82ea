import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  fromGenerationConfig,
  generate,
  RepetitionMonitor,
  type GenerateEvent,
  type GenerateResult,
  type LanguageModel,
  type Processor,
  type TokenizerLike,
} from '../../src/index.js';
import { bigramModel, loopingBigram } from './models.js';

/** Checks what transformers.js's decode checks: a plain, non-empty array of integers. */
function strictIds(ids: unknown): number[] {
  if (!Array.isArray(ids) || ids.length === 0 || !Number.isInteger(ids[0])) throw new Error('token_ids must be a non-empty array of integers.');
  return ids;
}

/** Byte-level: ids 0..255 are UTF-8 bytes, 256 is a special EOS (dropped with skip_special_tokens). */
const EOS = 256;
const byteTokenizer: TokenizerLike = {
  encode: (text) => Array.from(new TextEncoder().encode(text)),
  decode(ids, options) {
    const kept = strictIds(ids).filter((t) => !(options?.skip_special_tokens && t === EOS));
    return new TextDecoder().decode(Uint8Array.from(kept.map((t) => (t === EOS ? 0x3f : t))));
  },
};

/** A piece tokenizer: each id is a string. */
function pieces(vocab: string[]): TokenizerLike {
  return {
    encode: (text) => {
      const out: number[] = [];
      for (let i = 0; i < text.length; ) {
        let best = -1;
        vocab.forEach((p, id) => { if (p && text.startsWith(p, i) && (best < 0 || p.length > vocab[best].length)) best = id; });
        if (best < 0) throw new Error(`cannot encode ${text.slice(i)}`);
        out.push(best);
        i += vocab[best].length;
      }
      return out;
    },
    decode: (ids) => strictIds(ids).map((t) => vocab[t]).join(''),
  };
}

/** A model that writes `script` after any prompt, then repeats its last token. */
function scripted(vocabSize: number, script: number[]): LanguageModel & { promptLength: number } {
  const m = {
    vocabSize,
    promptLength: 1,
    async forward(seqs: readonly Int32Array[]) {
      const logits = new Float32Array(seqs.length * vocabSize).fill(-5);
      seqs.forEach((s, b) => {
        const i = s.length - m.promptLength;
        logits[b * vocabSize + script[Math.min(i, script.length - 1)]] = 5;
      });
      return { logits };
    },
  };
  return m;
}

/** Replays a stream: tokens and text after every rewind. */
function replay(events: GenerateEvent[]): { tokens: number[]; text: string } {
  const tokens: number[] = [];
  let text = '';
  for (const e of events) {
    if (e.type === 'token') {
      tokens.push(e.token);
      text += e.text ?? '';
    } else if (e.type === 'text') text += e.text;
    else {
      tokens.length = e.length;
      if (e.textLength !== undefined) {
        expect(e.textLength).toBeLessThanOrEqual(text.length);
        text = text.slice(0, e.textLength);
      }
    }
  }
  return { tokens, text };
}

async function collect(run: ReturnType<typeof generate>): Promise<{ events: GenerateEvent[]; result: GenerateResult }> {
  const events: GenerateEvent[] = [];
  for await (const e of run) events.push(e);
  return { events, result: await run };
}

const utf8 = (s: string) => Array.from(new TextEncoder().encode(s));

describe('generate with a tokenizer: text in, text out', () => {
  it('streams multi-byte characters only once complete; the stream adds up to .text', async () => {
    const target = 'héllo wörld — 日本語 🎉';
    const model = scripted(257, [...utf8(target), EOS]);
    const { events, result } = await collect(generate(model, [0x41], { tokenizer: byteTokenizer, maxNewTokens: 100, eosTokenIds: EOS }));
    expect(result.text).toBe(target);
    expect(result.stopReason).toBe('eos');
    const deltas = events.flatMap((e) => (e.type === 'token' ? [e.text!] : []));
    expect(deltas.some((d) => d.includes('\uFFFD'))).toBe(false);
    expect(deltas.filter((d) => d === '').length).toBe(utf8(target).length - Array.from(target).length + 1); // continuation bytes, and the EOS
    expect(deltas.join('')).toBe(target);
    expect(replay(events)).toEqual({ tokens: Array.from(result.tokens), text: target });
  });

  it('a string prompt is encoded with the tokenizer and left out of .text', async () => {
    const model = scripted(257, utf8(' world'));
    model.promptLength = 5;
    const r = await generate(model, 'hello', { tokenizer: byteTokenizer, maxNewTokens: 6 });
    expect(r.text).toBe(' world');
    expect(() => generate(model, 'hello')).toThrow('a string prompt needs a tokenizer (options.tokenizer)');
    // an encode that returns { ids } (a tokenizers-library Encoding) is read too
    const wrapped = { encode: (t: string) => ({ ids: utf8(t) }), decode: byteTokenizer.decode };
    expect((await generate(model, 'hello', { tokenizer: wrapped, maxNewTokens: 6 })).text).toBe(' world');
    expect(() => generate(model, 'hello', { tokenizer: { encode: () => 5, decode: byteTokenizer.decode } as never })).toThrow(/tokenizer.encode must return an array of token ids/);
  });

  it('stop strings match across token boundaries; excluded by default (OpenAI), kept with includeStopStrInOutput (HF)', async () => {
    const vocab = ['<s>', 'he', 'llo', ' wo', 'rld', 's', 'to', 'pped', 'st', 'ar'];
    const tok = pieces(vocab);
    const run = (script: string[], stopStrings: string[], includeStopStrInOutput?: boolean) =>
      collect(generate(scripted(vocab.length, script.map((p) => vocab.indexOf(p))), [0], {
        tokenizer: tok, stopStrings, maxNewTokens: 10, ...(includeStopStrInOutput !== undefined ? { includeStopStrInOutput } : {}),
      }));
    let r = await run(['he', 'llo', ' wo', 'rld'], ['lo w']);
    expect([r.result.text, r.result.stopReason, r.result.tokens.length]).toEqual(['hel', 'stopString', 3]);
    expect(replay(r.events).text).toBe('hel');
    r = await run(['he', 'llo', ' wo', 'rld'], ['lo w'], true);
    expect([r.result.text, r.result.stopReason, r.result.tokens.length]).toEqual(['hello wo', 'stopString', 3]);
    // HF's StopStringCriteria examples: ["s", "to", "pped"] and ["st", "opera"]-like overhangs stop at the token completing the string
    r = await run(['s', 'to', 'pped', 'rld'], ['stop']);
    expect([r.result.text, r.result.tokens.length]).toEqual(['', 3]);
    r = await run(['s', 'to', 'pped', 'rld'], ['stop'], true);
    expect([r.result.text, r.result.tokens.length]).toEqual(['stopped', 3]);
    // a possible start of a stop string is held back, then released when it turns out not to be one
    r = await run(['st', 'ar', 'he'], ['stop']);
    expect(r.events.map((e) => (e.type === 'token' ? e.text : e.type)).slice(0, 3)).toEqual(['', 'star', 'he']);
    expect(r.result.stopReason).toBe('maxNewTokens');
    r = await run(['st', 'ar'], ['stop'], true);
    expect(r.events.map((e) => (e.type === 'token' ? e.text : e.type)).slice(0, 2)).toEqual(['st', 'ar']);
    // the earliest of several stop strings wins
    r = await run(['he', 'llo', ' wo', 'rld'], ['rld', 'llo']);
    expect([r.result.text, r.result.tokens.length]).toEqual(['he', 2]);
  });

  it('a stop string in the prompt does not stop generation; a multi-byte one is matched once complete', async () => {
    const vocab = ['stop', ' go', ' on'];
    const m = scripted(3, [1, 2, 1]);
    m.promptLength = 1;
    const r = await generate(m, 'stop', { tokenizer: pieces(vocab), stopStrings: ['stop'], maxNewTokens: 3 });
    expect([r.text, r.stopReason]).toEqual([' go on go', 'maxNewTokens']);
    const b = await generate(scripted(257, utf8('ab日本cd')), [0x41], { tokenizer: byteTokenizer, stopStrings: ['日本'], maxNewTokens: 20 });
    expect([b.text, b.stopReason, b.tokens.length]).toEqual(['ab', 'stopString', 8]);
  });

  it('text events after a hook stop flush the held-back text', async () => {
    const vocab = ['<s>', 'st', 'ar'];
    const { events, result } = await collect(generate(scripted(3, [1, 2]), [0], {
      tokenizer: pieces(vocab), stopStrings: ['stop'], maxNewTokens: 5, onStep: ({ step }) => (step === 1 ? 'stop' : undefined),
    }));
    expect(events).toEqual([{ type: 'token', token: 1, index: 0, text: '' }, { type: 'text', text: 'st' }]);
    expect(result.text).toBe('st');
    expect(result.stopReason).toBe('hook');
  });

  it('back-off rewinds are reflected in the streamed text (textLength)', async () => {
    const tok = pieces(['x', ' one', ' twö', ' three', '!']);
    const noRepeatLast3: Processor = (logits, h) => {
      const t = (h as { tokens: Int32Array }).tokens;
      for (let i = Math.max(0, t.length - 3); i < t.length; i++) logits[t[i]] = -Infinity;
      return logits;
    };
    const { events, result } = await collect(generate(bigramModel(loopingBigram), [0], {
      tokenizer: tok, maxNewTokens: 40, seed: 3,
      monitor: new RepetitionMonitor({ minRepeats: 3, minSpan: 8 }),
      onRepetition: { processors: [noRepeatLast3], maxRetries: 5 },
    }));
    expect(result.backoffs).toBeGreaterThan(0);
    const rewinds = events.filter((e) => e.type === 'rewind');
    expect(rewinds.length).toBe(result.backoffs);
    expect(rewinds.every((e) => e.type === 'rewind' && typeof e.textLength === 'number')).toBe(true);
    // the text really is cut back (not only the tokens)
    let streamed = 0;
    let cutBack = false;
    for (const e of events) {
      if (e.type === 'token') streamed += e.text!.length;
      else if (e.type === 'rewind') {
        if (e.textLength! < streamed) cutBack = true;
        streamed = e.textLength!;
      }
    }
    expect(cutBack).toBe(true);
    expect(replay(events)).toEqual({ tokens: Array.from(result.tokens), text: tok.decode(Array.from(result.tokens)) });
    expect(result.text).toBe(tok.decode(Array.from(result.tokens)));
  });

  it('property: stream, stop and text agree with decoding every prefix independently', async () => {
    const chars = ['a', 'b', ' ', 'é', '日', '🎉'];
    const str = (min: number, max: number) => fc.array(fc.constantFrom(...chars), { minLength: min, maxLength: max }).map((a) => a.join(''));
    await fc.assert(
      fc.asyncProperty(str(1, 14), fc.array(str(1, 3), { maxLength: 3 }), fc.boolean(), fc.integer({ min: 1, max: 40 }), async (target, stops, include, maxNew) => {
        const bytes = utf8(target);
        const model = scripted(257, bytes);
        const n = Math.min(maxNew, bytes.length);
        const { events, result } = await collect(generate(model, [0x41], { tokenizer: byteTokenizer, stopStrings: stops, includeStopStrInOutput: include, maxNewTokens: n }));
        // reference: the first prefix whose decoded (complete-character) text holds a stop string
        let end = n;
        let cut = -1;
        for (let i = 1; i <= n; i++) {
          const stable = new TextDecoder().decode(Uint8Array.from(bytes.slice(0, i))).replace(/\uFFFD+$/, '');
          const at = stops.map((s) => stable.indexOf(s)).filter((x) => x >= 0);
          if (at.length) {
            end = i;
            cut = Math.min(...at);
            break;
          }
        }
        const full = new TextDecoder().decode(Uint8Array.from(bytes.slice(0, end)));
        expect(Array.from(result.tokens)).toEqual(bytes.slice(0, end));
        expect(result.stopReason).toBe(cut >= 0 ? 'stopString' : 'maxNewTokens');
        const expected = cut >= 0 && !include ? full.replace(/\uFFFD+$/, '').slice(0, cut) : full;
        expect(result.text).toBe(expected);
        expect(replay(events).text).toBe(expected);
        // while streaming: only complete characters, only a prefix of the final text, and (excluded) never a stop string
        let sofar = '';
        for (const e of events.slice(0, -1)) {
          if (e.type !== 'token') continue;
          sofar += e.text;
          expect(sofar.includes('\uFFFD')).toBe(false);
          expect(expected.startsWith(sofar)).toBe(true);
          if (!include) for (const s of stops) expect(sofar.includes(s)).toBe(false);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('property: a tokenizer whose decode depends on context (SentencePiece-like) streams text that adds up to the whole decode', async () => {
    // '▁' is a space; the leading one of the whole text is dropped and ' .' is cleaned up to '.', as such tokenizers do
    const vocab = ['<s>', '▁the', '▁cat', 's', '.', '▁.', '▁日', '本', '▁'];
    const sp: TokenizerLike = {
      encode: () => [0],
      decode: (ids) => strictIds(ids).filter((t) => t !== 0).map((t) => vocab[t]).join('').replace(/▁/g, ' ').replace(/^ /, '').replace(/ \./g, '.'),
    };
    // piece by piece '▁the' '▁' '.' streams 'the' ' ' '.', but the whole decode is 'the.': the end sets it right
    const { events: ev3, result: r3 } = await collect(generate(scripted(vocab.length, [1, 8, 4]), [0], { tokenizer: sp, maxNewTokens: 3 }));
    expect(r3.text).toBe('the.');
    expect(ev3.slice(-2)).toEqual([{ type: 'rewind', length: 2, textLength: 3 }, { type: 'token', token: 4, index: 2, text: '.' }]);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: vocab.length - 1 }), { minLength: 1, maxLength: 30 }), async (script) => {
        const { events, result } = await collect(generate(scripted(vocab.length, script), [0], { tokenizer: sp, maxNewTokens: script.length }));
        expect(result.text).toBe(sp.decode(script));
        expect(replay(events).text).toBe(result.text);
      }),
      { numRuns: 1000 },
    );
  });

  it('errors: stop strings need a tokenizer; a bad tokenizer or stop string is named', () => {
    const m = scripted(3, [1]);
    expect(() => generate(m, [0], { stopStrings: ['x'] })).toThrow('stopStrings need a tokenizer (options.tokenizer) to match the decoded text');
    expect(() => generate(m, [0], { tokenizer: { encode: () => [] } as never })).toThrow(/tokenizer must have encode\(text\) and decode\(ids\)/);
    expect(() => generate(m, [0], { tokenizer: pieces(['a', 'b', 'c']), stopStrings: [''] })).toThrow(/stopStrings\[0\] must be a non-empty string/);
    expect(() => generate(m, [0], { config: fromGenerationConfig({ stop_strings: ['x'] }) })).toThrow(/the config's stopStrings need a tokenizer/);
  });
});

describe('generate with a config and a tokenizer', () => {
  const vocab = ['<s>', 'he', 'llo', ' wo', 'rld'];
  const tok = pieces(vocab);
  it("a config's stop strings: HF stop_strings keep the text, another translator's stopStrings cut it (unless it says otherwise)", async () => {
    const m = scripted(5, [1, 2, 3, 4]);
    const hf = await generate(m, [0], { tokenizer: tok, config: fromGenerationConfig({ stop_strings: 'lo w', max_new_tokens: 8 }) });
    expect([hf.text, hf.stopReason]).toEqual(['hello wo', 'stopString']);
    const openai = { ...fromGenerationConfig({}), forPrompt: undefined, stopStrings: ['lo w'], maxNewTokens: 8 };
    const oa = await generate(m, [0], { tokenizer: tok, config: openai });
    expect([oa.text, oa.stopReason]).toEqual(['hel', 'stopString']);
    const keep = await generate(m, [0], { tokenizer: tok, config: openai, includeStopStrInOutput: true });
    expect(keep.text).toBe('hello wo');
  });

  it("a config's sampler, seed and maxNewTokens are used; options win over them", async () => {
    const m = scripted(5, [1, 2, 3, 4]);
    const calls: number[] = [];
    const setup = { ...fromGenerationConfig({}), forPrompt: undefined, sampler: (row: Float32Array) => { calls.push(row.length); return 4; }, seed: 3, maxNewTokens: 2 };
    const r = await generate(m, [0], { tokenizer: tok, config: setup });
    expect([r.text, calls.length, r.strategy]).toEqual(['rldrld', 2, 'sample']);
    const o = await generate(m, [0], { tokenizer: tok, config: setup, sampler: () => 1, maxNewTokens: 3 });
    expect(o.text).toBe('hehehe');
  });

  it('a config without a length limit (maxLength Infinity, no maxNewTokens) generates until EOS', async () => {
    const script = Array.from({ length: 40 }, (_, i) => (i === 39 ? 4 : 1 + (i % 3)));
    const setup = { ...fromGenerationConfig({}), forPrompt: undefined, maxNewTokens: undefined, maxLength: Infinity, eosTokenIds: [4] };
    const r = await generate(scripted(5, script), [0], { config: setup });
    expect([r.tokens.length, r.stopReason]).toEqual([40, 'eos']);
    expect(() => generate(scripted(5, script), [0], { config: { ...setup, numBeams: 2 } })).toThrow('beam search needs a length limit: set maxNewTokens');
  });

  it('beam search through a config streams the best hypothesis and decodes it', async () => {
    const m = scripted(5, [1, 2, 3, 4]);
    const { events, result } = await collect(generate(m, [0], { tokenizer: tok, config: fromGenerationConfig({ num_beams: 2, max_new_tokens: 4 }) }));
    expect(result.strategy).toBe('beamSearch');
    expect(result.text).toBe('hello world');
    expect(replay(events).text).toBe('hello world');
  });
});
