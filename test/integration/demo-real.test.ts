// `degen-guard demo --model DIR` on the bundled real model, transformers.js resolved from this package.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { runDemo } from '../../src/cli/demo.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const MODEL = fileURLToPath(new URL('../fixtures/models/kjv-genesis-gpt2', import.meta.url));

describe('degen-guard demo --model (real model through transformers.js)', () => {
  it('prints the strategy table: greedy and beam loop, every cure repeats less', async () => {
    let out = '';
    let err = '';
    const code = await runDemo(['--model', MODEL, '--json', '--tokens', '48', '--prompt', 'And God said', '--prompt', 'In the beginning', '--prompt', 'And Abraham'], {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
      cwd: here,
    });
    expect(err).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r.model).toMatchObject({ type: 'transformers.js', architecture: 'GPT2LMHeadModel', vocabSize: 2000, contextLength: 256 });
    const rep = Object.fromEntries(r.rows.map((x: { id: string; seqRep4: number }) => [x.id, x.seqRep4]));
    expect(Object.keys(rep)).toEqual(['greedy', 'beam', 'beam-no-repeat-ngram', 'temperature', 'top-k', 'top-p', 'repetition-penalty', 'no-repeat-ngram', 'contrastive', 'monitor', 'dry', 'xtc', 'mirostat']);
    expect(rep.greedy).toBeGreaterThan(0.5);
    expect(rep.beam).toBeGreaterThan(0.5);
    for (const cure of ['beam-no-repeat-ngram', 'top-p', 'repetition-penalty', 'no-repeat-ngram', 'contrastive', 'monitor', 'dry', 'xtc', 'mirostat']) {
      expect(rep[cure], cure).toBeLessThan(rep.greedy / 4);
    }
    // The greedy sample is the model's known loop (" thee, and" …).
    expect(r.rows[0].sample.startsWith('And God said, I am I will make thee, and thee, and thee')).toBe(true);
  });

  it('the text table, as `npm run demo:real` prints it', async () => {
    let out = '';
    const code = await runDemo(['--model', MODEL, '--tokens', '16', '--prompt', 'And God said', '--only', 'greedy', '--only', 'monitor'], {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: () => true },
      cwd: here,
    });
    expect(code).toBe(0);
    expect(out).toMatch(/^degen-guard demo: GPT2LMHeadModel from .* through transformers\.js \(vocabulary 2000, 2 layers, context 256; loaded in \d+ ms; KV cache\)\n2 strategies × 1 prompts × 16 tokens/);
    expect(out).toMatch(/\ngreedy +\d\.\d{3} +\d\.\d{3} +\d\.\d{3}/);
    expect(out).toContain('monitor-guarded greedy (greedy; on a loop');
  });

  it('docs/decoding.md: the real-model table is what `npm run demo:real` prints', async () => {
    const doc = readFileSync(fileURLToPath(new URL('../../docs/decoding.md', import.meta.url)), 'utf8');
    const block = /Measured with `npm run demo:real` [^\n]*\n\n```\n([\s\S]*?)\n```/.exec(doc);
    expect(block, 'the table block').not.toBeNull();
    let out = '';
    const code = await runDemo(['--model', MODEL], {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: () => true },
      cwd: here,
    });
    expect(code).toBe(0);
    const raw = out.split('\n').map((l) => l.trimEnd());
    const want = block![1].split('\n').map((l) => l.trimEnd());
    const at = raw.indexOf(want[0]);
    expect(at).toBeGreaterThan(0);
    expect(raw.slice(at, raw.indexOf('', at))).toEqual(want);
  });
});
