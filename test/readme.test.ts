// The README's quick-start code must run as written (a new user pastes it).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as lib from '../src/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

describe('README quick start', () => {
  it('has the examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  it('runs as written, against the package', async () => {
    const names = new Set<string>();
    const body = blocks
      .join('\n')
      .replace(/import \{([^}]*)\} from 'degen-guard';/g, (_, list: string) => {
        for (const n of list.split(',')) names.add(n.trim());
        return '';
      });
    for (const n of names) expect(lib, `README imports ${n}`).toHaveProperty(n);
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
    const run = new AsyncFunction(
      'lib',
      `const { ${[...names].join(', ')} } = lib;\n${body}\nreturn { id, next, tokens, labels: setup.processors.map((p) => p.label), rep: seqRep(tokens, 4) };`,
    );
    const out = await run(lib);
    expect(out.labels).toEqual(['repetitionPenalty(1.1)', 'temperature(0.7)', 'topK(50)', 'topP(0.9)']);
    expect(Number.isInteger(out.id) && out.id >= 0 && out.id < 32000).toBe(true);
    expect(Number.isInteger(out.next)).toBe(true);
    expect(out.tokens.length).toBeGreaterThan(0);
    // The toy model loops 0 1 2 0 1 2 … (seq-rep-4 of 30 such tokens is 1 − 3/27 ≈ 0.89); the monitor
    // rewinds each loop and the back-off samples under a 3-gram ban, so no 4-gram repeats.
    expect(out.tokens.length).toBe(30);
    expect(out.rep).toBeLessThan(0.1);
  });
});
