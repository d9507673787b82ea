// `degen-guard demo`: the strategy ids of --only, and --model without transformers.js installed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/cli/demo.js';
import { main } from '../../src/cli/main.js';
import { demoStrategyIds } from '../../src/demo/run-demo.js';

const root = join(__dirname, '..', '..');
const empty = mkdtempSync(join(tmpdir(), 'degen-guard-demo-'));

async function run(argv: string[], cwd = empty) {
  let out = '';
  let err = '';
  const code = await runDemo(argv, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, cwd });
  return { code, out, err };
}

const IDS = ['greedy', 'beam', 'beam-no-repeat-ngram', 'temperature', 'top-k', 'top-p', 'repetition-penalty', 'no-repeat-ngram', 'contrastive', 'monitor', 'dry', 'xtc', 'mirostat'];

describe('degen-guard demo --only', () => {
  it('--help lists every strategy id (ids have no spaces)', async () => {
    expect(demoStrategyIds()).toEqual(IDS);
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    for (const id of IDS) expect(out).toContain(id);
    expect(out).toContain(IDS.join(', '));
    expect(out).toContain('--model DIR');
  });

  it('an unknown id exits 2, prints no table and lists the valid ids', async () => {
    for (const bad of ['beam search and more', 'nucleus', 'top', '']) {
      const { code, out, err } = await run(['--only', 'greedy', '--only', bad]);
      expect(code, bad).toBe(2);
      expect(out).toBe('');
      expect(err).toContain(`unknown strategy ${JSON.stringify(bad)}`);
      expect(err).toContain(`valid ids: ${IDS.join(', ')}`);
    }
  });

  it('takes ids and the printed names, runs those rows in table order', async () => {
    const { code, out, err } = await run(['--json', '--tokens', '8', '--prompt', 'And Noah', '--only', 'monitor', '--only', 'beam search', '--only', 'TOP-P']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r.rows.map((x: { id: string }) => x.id)).toEqual(['beam', 'top-p', 'monitor']);
    expect(r.rows.map((x: { strategy: string }) => x.strategy)).toEqual(['beam search', 'top-p', 'monitor-guarded greedy']);
  });

  it('through the command line: the same exit status and message', async () => {
    let err = '';
    const code = await main(['demo', '--only', 'nope'], { stdin: process.stdin, stdout: { write: () => true }, stderr: { write: (s: string) => (err += s) } });
    expect(code).toBe(2);
    expect(err).toContain('valid ids: greedy, beam,');
  });
});

describe('degen-guard demo --model', () => {
  it('without transformers.js installed: exit 1, and says exactly how to install it', async () => {
    const { code, out, err } = await run(['--model', join(root, 'test', 'fixtures', 'models', 'kjv-genesis-gpt2')]);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain('npm install @huggingface/transformers@4.3.2');
    expect(err).toContain('npm run demo:real');
  });

  it('a folder that is not a model: exit 1 naming it; --data with --model: exit 2', async () => {
    const a = await run(['--model', 'no-such-folder']);
    expect(a.code).toBe(1);
    expect(a.err).toContain('no-such-folder is not a transformers.js model folder');
    const b = await run(['--model', 'x', '--data', 'y']);
    expect(b.code).toBe(2);
    expect(b.err).toContain('cannot be used with --model');
  });
});

describe('runDemoTable on a model without hidden states', () => {
  it('leaves contrastive search out and says why', async () => {
    const { runDemoTable } = await import('../../src/demo/run-demo.js');
    const V = 8;
    const model = {
      vocabSize: V,
      get hiddenSize(): number {
        throw new TypeError('this export has no last_hidden_state output');
      },
      async forward(seqs: readonly Int32Array[]) {
        const logits = new Float32Array(seqs.length * V);
        seqs.forEach((s, b) => (logits[b * V + ((s[s.length - 1] + 1) % V)] = 3));
        return { logits };
      },
    };
    const tokenizer = { encode: (t: string) => [t.length % V], decode: (ids: Int32Array) => Array.from(ids).join(' ') };
    const skipped: string[] = [];
    const rows = await runDemoTable(model, tokenizer, { prompts: ['a'], maxNewTokens: 6, only: ['greedy', 'contrastive'], onSkip: (s, why) => skipped.push(`${s.id}: ${why}`) });
    expect(rows.map((r) => r.id)).toEqual(['greedy']);
    expect(skipped).toEqual(['contrastive: this export has no last_hidden_state output']);
    expect(rows[0].sample).toBe('1 2 3 4 5 6 7');
  });
});
