// Docs are tests: every ```ts block of README.md and docs/, and every TSDoc @example of src/, runs
// on its own and its `// →` / `// throws` comments hold (convention: test/helpers/doctest.ts).
import { describe, expect, it } from 'vitest';
import {
  compileBlock,
  markdownBlocks,
  mismatch,
  projectDocBlocks,
  resolveFromSrc,
  runBlock,
  tsdocBlocks,
  WrittenNumber,
  type DocBlock,
} from './helpers/doctest.js';

const { blocks, stray } = projectDocBlocks();
const name = (b: DocBlock) => `${b.file}:${b.line}`;

describe('doc blocks run as written', () => {
  it('finds the blocks of README.md, docs/ and the @examples of src/', () => {
    const files = new Set(blocks.map((b) => b.file.split('/')[0]));
    expect([...files].sort()).toEqual(['README.md', 'docs', 'src']);
  });

  it('no code block escapes the runner (```js, ```typescript, unknown ```ts flags)', () => {
    expect(stray.map((s) => `${s.file}:${s.line} ${s.info}`)).toEqual([]);
  });

  for (const b of blocks.filter((x) => x.mode === 'run')) {
    it(name(b), async () => {
      await runBlock(b, resolveFromSrc);
    });
  }
});

describe('doc blocks that are only compiled', () => {
  for (const b of blocks.filter((x) => x.mode !== 'run')) {
    it(`${name(b)} (${b.mode})`, () => {
      expect(compileBlock(b)).toContain('"use strict"');
    });
  }
});

// The runner itself: each rule can fail.
describe('the doctest runner', () => {
  const block = (code: string, mode: DocBlock['mode'] = 'run'): DocBlock => ({ file: 'doc.md', line: 10, mode, code });
  const run = (code: string) => runBlock(block(code), resolveFromSrc);

  it('extracts markdown blocks with their first code line and mode', () => {
    const md = ['# t', '```ts', 'a;', '```', '', '```ts no-run', 'b;', '```', '```ts integration', 'c;', '```', '```sh', 'x', '```'].join('\n');
    expect(markdownBlocks('f.md', md).map((b) => [b.line, b.mode, b.code])).toEqual([
      [3, 'run', 'a;'],
      [7, 'no-run', 'b;'],
      [10, 'integration', 'c;'],
    ]);
  });

  it('extracts ```ts blocks of @example tags with their source line, and reports stray fences', () => {
    const src = ['/**', ' * Doc.', ' *', ' * @example', ' * ```ts', ' * f(1); // → 2', ' * ```', ' */', 'export function f() {}', '/** ```js', ' * x', ' * ``` @example */'].join('\n');
    const stray: { info: string }[] = [];
    expect(tsdocBlocks('s.ts', src, stray as never).map((b) => [b.line, b.code])).toEqual([[6, 'f(1); // → 2']]);
    const bare: { info: string; line: number }[] = [];
    tsdocBlocks('s.ts', ['/**', ' * @example', ' * f(1); // 2', ' * @param x', ' */'].join('\n'), bare as never);
    expect(bare.map((s) => [s.line, s.info])).toEqual([[2, '@example without a ```ts block']]);
    const md: { info: string; line: number }[] = [];
    markdownBlocks('f.md', '```js\nx\n```\n```ts maybe\ny\n```', md as never);
    expect(md.map((s) => [s.line, s.info])).toEqual([[1, 'js'], [4, 'ts maybe']]);
  });

  it('checks // → values, imports from degen-guard, and names file:line on failure', async () => {
    await run("import { greedy } from 'degen-guard';\ngreedy(Float32Array.from([0, 2, 1])); // → 1");
    await expect(run("import { greedy } from 'degen-guard';\ngreedy(Float32Array.from([0, 2, 1])); // → 2")).rejects.toThrow(
      /doc\.md:11: \/\/ → 2\n {2}value: expected 2, got 1/,
    );
    await expect(run("import { nope } from 'degen-guard';\nnope();")).rejects.toThrow("doc.md:10: 'degen-guard' has no export 'nope'");
  });

  it('compares numbers at the precision written, integers exactly', () => {
    expect(mismatch(0.66524, new WrittenNumber(0.665, '0.665'))).toBeNull();
    expect(mismatch(0.6644, new WrittenNumber(0.665, '0.665'))).toMatch(/expected 0.665/);
    expect(mismatch(3.4028234663852886e38, new WrittenNumber(3.4028235e38, '3.4028235e38'))).toBeNull();
    expect(mismatch(3.4028e38, new WrittenNumber(3.4028235e38, '3.4028235e38'))).not.toBeNull();
    expect(mismatch(2.0000001, new WrittenNumber(2, '2'))).not.toBeNull();
    expect(mismatch(2, new WrittenNumber(2, '2'))).toBeNull();
  });

  it('compares typed arrays as arrays, objects by their keys, Maps by entries, NaN as NaN', async () => {
    await run('Float32Array.from([0.1, -Infinity]); // → [0.1, -Infinity]');
    await run('console.log({ a: [NaN], b: "x" }); // → { a: [NaN], b: \'x\' }');
    await run('const m = new Map([[5, 2]]); // → new Map([[5, 2]])');
    await run('const { a } = { a: 1.25 }; // → { a: 1.3 }');
    await expect(run('Float32Array.from([0.1]); // → [0.1, 0]')).rejects.toThrow(/expected length 2/);
    await expect(run('({ a: 1, b: 2 }); // → { a: 1 }')).rejects.toThrow(/expected keys \[a\], got keys \[a,b\]/);
    await expect(run("const m = new Map([[5, 2]]); // → new Map([[5, 1]])")).rejects.toThrow(/\.get\(5\)/);
  });

  it('checks // throws: class and message', async () => {
    await run("import { topP } from 'degen-guard';\ntopP(1.5); // throws RangeError: 1.5");
    await expect(run("import { topP } from 'degen-guard';\ntopP(1.5); // throws TypeError: 1.5")).rejects.toThrow(/expected TypeError, got RangeError/);
    await expect(run("import { topP } from 'degen-guard';\ntopP(1.5); // throws RangeError: 2.5")).rejects.toThrow(/message to contain '2.5'/);
    await expect(run('Math.max(1); // throws Error: x')).rejects.toThrow(/doc\.md:10: expected Error: x, but nothing was thrown/);
    await run('await Promise.reject(new RangeError("late")); // throws RangeError: late');
  });

  it('runs blocks without // → (they must not throw), strips types, and reports where a block threw', async () => {
    await run('const x: number = 1;\ninterface I { a: number }\nconst y = x as number;');
    await expect(run('const a = 1;\nnull.x;')).rejects.toThrow(/^doc\.md:11: TypeError/);
  });

  it('rejects a // → that does not end a top-level statement, or an invalid value', () => {
    expect(() => compileBlock(block('if (f) f(); // → 1'))).toThrow(/doc\.md:10: '\/\/ →' follows a statement that has no value/);
    expect(() => compileBlock(block('for (;;) {\n  f(); // → 1\n}'))).toThrow(/doc\.md:11: '\/\/ →' and '\/\/ throws' must end/);
    expect(() => compileBlock(block('const a = [\n  1, // → 1\n];'))).toThrow(/doc\.md:11: '\/\/ →' and '\/\/ throws' must end/);
    expect(() => compileBlock(block('f(); // → ln 2'))).toThrow(/doc\.md:10: 'ln 2' is not a JS expression/);
    expect(() => compileBlock(block('f(;'))).toThrow(/doc\.md:10: /);
  });
});
