import { describe, expect, it, vi } from 'vitest';
import { loadDemoModel } from '../../src/demo/corpus.js';
import { formatDemoTable, runDemoTable } from '../../src/demo/run-demo.js';
import { runDemo } from '../../src/cli/demo.js';

describe('the demo table', () => {
  it('greedy and beam loop; no-repeat-ngram, sampling and contrastive search cure it', async () => {
    const { model, tokenizer } = loadDemoModel();
    const rows = await runDemoTable(model, tokenizer, { maxNewTokens: 48, prompts: ['And God said', 'And Abraham', 'And Joseph'] });
    const by = Object.fromEntries(rows.map((r) => [r.strategy, r]));
    expect(Object.keys(by)).toEqual([
      'greedy', 'beam search', 'beam + no-repeat-ngram', 'temperature', 'top-k', 'top-p',
      'repetition penalty', 'no-repeat-ngram', 'contrastive search', 'monitor-guarded greedy',
      'DRY', 'XTC', 'Mirostat 2',
    ]);
    expect(by.greedy.seqRep4).toBeGreaterThan(0.5);
    expect(by['beam search'].seqRep4).toBeGreaterThan(0.5);
    expect(by['no-repeat-ngram'].seqRep3).toBe(0);
    expect(by['beam + no-repeat-ngram'].seqRep3).toBe(0);
    for (const cure of ['top-p', 'top-k', 'contrastive search', 'temperature']) expect(by[cure].seqRep4).toBeLessThan(0.1);
    expect(by['monitor-guarded greedy'].seqRep4).toBeLessThan(by.greedy.seqRep4);
    for (const cure of ['DRY', 'XTC', 'Mirostat 2']) expect(by[cure].seqRep4).toBeLessThan(by.greedy.seqRep4);
    expect(by.greedy.sample.startsWith('And God said')).toBe(true);
    const text = formatDemoTable(rows);
    expect(text).toMatch(/seq-rep-4/);
    expect(text).toMatch(/contrastive search \(penalty_alpha=0\.6, top_k=5\)/);
    // reproducible
    const again = await runDemoTable(model, tokenizer, { maxNewTokens: 48, prompts: ['And God said'], only: ['top-p'] });
    const once = await runDemoTable(model, tokenizer, { maxNewTokens: 48, prompts: ['And God said'], only: ['top-p'] });
    expect(again[0].sample).toBe(once[0].sample);
  });

  it('runDemo --json prints the numbers; bad flags exit 2', async () => {
    let out = '';
    const w = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      out += String(s);
      return true;
    });
    const e = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await runDemo(['--json', '--tokens', '16', '--prompt', 'And Noah', '--only', 'greedy', '--only', 'contrastive'])).toBe(0);
      const j = JSON.parse(out);
      expect(j.rows.map((r: { strategy: string }) => r.strategy)).toEqual(['greedy', 'contrastive search']);
      expect(j.model.order).toBe(3);
      expect(typeof j.rows[0].seqRep2).toBe('number');
      expect(await runDemo(['--tokens', 'x'])).toBe(2);
      expect(await runDemo(['--bogus'])).toBe(2);
      expect(await runDemo(['--prompt', 'And Zebulon hamburger', '--only', 'greedy'])).toBe(1);
    } finally {
      w.mockRestore();
      e.mockRestore();
    }
  });
});
