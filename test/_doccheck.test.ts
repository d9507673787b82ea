import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as lib from '../src/index.js';

const files = ['docs/llama-cpp.md', 'src/processors/dry.ts', 'src/processors/dry-breakers.ts', 'src/processors/xtc.ts', 'src/processors/top-n-sigma.ts', 'src/processors/dynamic-temperature.ts', 'src/processors/top-k-exact.ts', 'src/samplers/mirostat.ts', 'src/processors/from-llama-cpp-params.ts', 'src/processors/from-openai-params.ts'];
const blocks: [string, string][] = [];
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  if (f.endsWith('.md')) for (const m of text.matchAll(/```ts\n([\s\S]*?)```/g)) blocks.push([f, m[1]]);
  else for (const m of text.matchAll(/@example\n \* ```ts\n([\s\S]*?) \* ```/g)) blocks.push([f, m[1].split('\n').map((l) => l.replace(/^ \* ?/, '')).join('\n')]);
}
describe('doc blocks', () => {
  blocks.forEach(([f, code], i) => {
    it(`${f} #${i}`, async () => {
      const checks: { expr: string; want: string; line: number }[] = [];
      const lines = code.split('\n');
      const body: string[] = [];
      let throwsNext: string | null = null;
      lines.forEach((l, n) => {
        const imp = l.match(/^import \{([^}]*)\} from 'degen-guard';/);
        if (imp) { body.push(`const {${imp[1]}} = lib;`); return; }
        const t = l.match(/^\/\/ throws (\w+): (.*)$/);
        if (t) { const prev = body.pop()!; body.push(`{ let ok = false; try { ${prev} } catch (e) { ok = e instanceof globalThis[${JSON.stringify(t[1])}] && String(e.message).includes(${JSON.stringify(t[2])}); if (!ok) throw new Error('wrong error: ' + e); } if (!ok) throw new Error('did not throw'); }`); return; }
        const m = l.match(/^(.*?);\s*\/\/ → (.*)$/);
        if (m) { body.push(`__out.push([${JSON.stringify(m[2])}, (${m[1].replace(/^const \w+ = /, '')})]);`); return; }
        body.push(l);
      });
      const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
      const src = `const __out = [];\n${body.join('\n')}\nreturn __out;`;
      let out: [string, unknown][];
      try { out = await new AsyncFunction('lib', src)(lib); } catch (e) { throw new Error(`${e}\n${src}`); }
      for (const [want, got] of out) {
        const w = new Function(`return (${want});`)();
        const g = ArrayBuffer.isView(got) ? Array.from(got as Float32Array) : got;
        const cmp = (a: unknown, b: unknown, ws: string): void => {
          if (typeof a === 'number' && typeof b === 'number') {
            const dec = (ws.match(/\.(\d+)/) ?? ['', ''])[1].length;
            if (Number.isFinite(b)) expect(Math.abs(a - b)).toBeLessThanOrEqual(0.5 * 10 ** -dec + 1e-12);
            else expect(a).toBe(b);
          } else if (Array.isArray(b)) { expect(Array.isArray(a) || ArrayBuffer.isView(a)).toBe(true); const aa = Array.from(a as number[]); expect(aa.length).toBe(b.length); b.forEach((v, k) => cmp(aa[k], v, String(v))); }
          else expect(a).toEqual(b);
        };
        cmp(g, w, want);
      }
    });
  });
});
