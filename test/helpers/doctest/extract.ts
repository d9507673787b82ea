/** Finding the doc blocks: ```ts fences of markdown files and of TSDoc `@example` tags. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export type BlockMode = 'run' | 'no-run' | 'integration';

export interface DocBlock {
  /** Path relative to the repository root. */
  file: string;
  /** 1-based line in `file` of the block's first code line. */
  line: number;
  mode: BlockMode;
  /** The code, with the TSDoc ` * ` prefix removed. */
  code: string;
}

/** A fence whose info string looks like code that would escape the runner (```js, ```typescript …). */
export interface StrayFence {
  file: string;
  line: number;
  info: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)\s*(.*?)\s*$/;
const MODES: Record<string, BlockMode> = { '': 'run', 'no-run': 'no-run', integration: 'integration' };
const CODE_LANGS = new Set(['js', 'javascript', 'mjs', 'cjs', 'typescript', 'tsx', 'jsx', 'mts', 'cts']);

interface Fence {
  line: number; // 0-based index of the first code line in `lines`
  info: string;
  rest: string;
  code: string[];
}

function fences(lines: string[]): Fence[] {
  const out: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const [, indent, marker, info, rest] = open;
    const code: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const t = lines[j].trim();
      if (t.startsWith(marker[0].repeat(marker.length)) && /^[`~]+$/.test(t)) break;
      code.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j].trimStart());
    }
    out.push({ line: i + 1, info, rest, code });
    i = j;
  }
  return out;
}

function toBlock(file: string, f: Fence, lineOf: (i: number) => number): DocBlock | StrayFence | null {
  if (f.info === 'ts') {
    const mode = Object.hasOwn(MODES, f.rest) ? MODES[f.rest] : null;
    if (mode === null) return { file, line: lineOf(f.line - 1), info: `ts ${f.rest}` };
    return { file, line: lineOf(f.line), mode, code: f.code.join('\n') };
  }
  if (CODE_LANGS.has(f.info.toLowerCase())) return { file, line: lineOf(f.line - 1), info: f.info };
  return null;
}

/** The ```ts blocks of a markdown file. */
export function markdownBlocks(file: string, text: string, stray: StrayFence[] = []): DocBlock[] {
  const blocks: DocBlock[] = [];
  for (const f of fences(text.split('\n'))) {
    const b = toBlock(file, f, (i) => i + 1);
    if (b && 'code' in b) blocks.push(b);
    else if (b) stray.push(b);
  }
  return blocks;
}

/** The ```ts blocks inside the `@example` tags of the TSDoc comments of a source file. */
export function tsdocBlocks(file: string, text: string, stray: StrayFence[] = []): DocBlock[] {
  const blocks: DocBlock[] = [];
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineAt = (pos: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  for (const m of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const first = lineAt(m.index);
    const lines = m[0].split('\n').map((l) => l.replace(/^\s*\/?\*+\/?\s?/, '').replace(/\s*\*\/$/, ''));
    for (let tag = 0; tag < lines.length; tag++) {
      if (!/^@example\b/.test(lines[tag].trim())) continue;
      let end = tag + 1;
      let inFence = false;
      for (; end < lines.length; end++) {
        if (/^\s*(`{3,}|~{3,})/.test(lines[end])) inFence = !inFence;
        else if (!inFence && /^@\w/.test(lines[end].trim())) break;
      }
      const found = fences(lines.slice(tag, end));
      if (found.length === 0) stray.push({ file, line: first + tag, info: '@example without a ```ts block' });
      for (const f of found) {
        const b = toBlock(file, f, (i) => first + tag + i);
        if (b && 'code' in b) blocks.push(b);
        else if (b) stray.push(b);
      }
      tag = end - 1;
    }
  }
  return blocks;
}

function walk(dir: string, ext: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, ext, out);
    else if (e.name.endsWith(ext)) out.push(p);
  }
  return out.sort();
}

/** Every doc block of the project at `root`: README.md, docs/**\/*.md, src/**\/*.ts. */
export function collectDocBlocks(root: string): { blocks: DocBlock[]; stray: StrayFence[] } {
  const stray: StrayFence[] = [];
  const blocks: DocBlock[] = [];
  const md = [join(root, 'README.md'), ...walk(join(root, 'docs'), '.md')];
  for (const p of md) blocks.push(...markdownBlocks(relative(root, p), readFileSync(p, 'utf8'), stray));
  for (const p of walk(join(root, 'src'), '.ts')) {
    blocks.push(...tsdocBlocks(relative(root, p), readFileSync(p, 'utf8'), stray));
  }
  return { blocks, stray };
}
