// Every ```ts integration block in README.md, docs/**/*.md and the TSDoc @examples of src/ runs on
// the real model, as written: each block is written to a module of its own and imported, its
// `// → VALUE` lines checked and its `// throws Class: text` lines expected to throw.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const out = fileURLToPath(new URL('./.doc-blocks/', import.meta.url));

function files(dir: string, ext: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name), ext) : e.name.endsWith(ext) ? [join(dir, e.name)] : [],
  );
}

interface Block {
  where: string;
  code: string;
}

/** ```ts integration blocks of a markdown text, or of the TSDoc comments of a source file. */
function blocksOf(path: string): Block[] {
  let text = readFileSync(join(root, path), 'utf8');
  if (path.endsWith('.ts')) {
    text = text
      .split('\n')
      .map((l) => l.replace(/^\s*\* ?/, ''))
      .join('\n');
  }
  const found: Block[] = [];
  const re = /```ts integration\n([\s\S]*?)```/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const line = text.slice(0, m.index).split('\n').length;
    found.push({ where: `${path}:${line}`, code: m[1] });
  }
  return found;
}

/** The block as a module: `EXPR; // → VALUE` lines become checks, `STATEMENT; // throws C: text` expectations. */
function toModule(code: string): string {
  const lines = code.split('\n').map((line, i) => {
    const arrow = /^(\s*)(.*?);?\s*\/\/ → (.+)$/.exec(line);
    if (arrow) {
      const [, indent, stmt, value] = arrow;
      const log = /^console\.log\((.*)\)$/.exec(stmt);
      return `${indent}__check((${log ? log[1] : stmt}), (${value}), ${JSON.stringify(value)}, ${i + 1});`;
    }
    const throws = /^(\s*)(.*?;?)\s*\/\/ throws (\w+): (.+)$/.exec(line);
    if (throws) {
      const [, indent, stmt, cls, text] = throws;
      return `${indent}await __throws(async () => { ${stmt} }, ${JSON.stringify(cls)}, ${JSON.stringify(text)}, ${i + 1});`;
    }
    return line;
  });
  return `import { __check, __throws } from '../doc-check.js';\n${lines.join('\n')}\nexport {};\n`;
}

const blocks = [...files('docs', '.md'), 'README.md', ...files('src', '.ts')].flatMap(blocksOf);

describe('```ts integration blocks run on the real model', () => {
  mkdirSync(out, { recursive: true });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('there are some', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  blocks.forEach((b, i) => {
    it(b.where, async () => {
      const file = join(out, `block-${i}.ts`);
      writeFileSync(file, toModule(b.code));
      try {
        await import(/* @vite-ignore */ `./${relative(fileURLToPath(new URL('.', import.meta.url)), file)}`);
      } catch (e) {
        (e as Error).message = `${b.where}: ${(e as Error).message}`;
        throw e;
      }
    });
  });
});
