// The layout rules of docs/architecture.md, checked over the imports of src/**/*.ts:
// nothing imports up a layer, processor files do not import each other (only the shared modules,
// their own folder, or a private helper beside them), and core/ holds nothing that only one
// processor uses. Also: every path docs/architecture.md names exists.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Rank of each top-level folder of src/: a file may import only from its own rank or below. */
export const LAYERS: Record<string, number> = {
  core: 0,
  processors: 1,
  samplers: 2,
  config: 3,
  decoding: 4,
  metrics: 5,
  losses: 6,
  text: 6,
  integrations: 7,
  demo: 8,
  cli: 9,
};

/** Files of src/processors/ that any processor may import: option readers, construction, shared kernels. */
export const SHARED_PROCESSOR_MODULES = new Set([
  'src/processors/options.ts',
  'src/processors/warp-common.ts',
  'src/processors/warp-cutoff.ts',
  'src/processors/scale-fusion.ts',
  'src/processors/sequence-rules.ts',
  'src/processors/history.ts',
  'src/processors/ngram-followers.ts',
]);

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory()) walk(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Relative imports of a source text (static, type-only, re-exports, dynamic), comments excluded. */
export function importSpecifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  const re = /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of code.matchAll(re)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (spec.startsWith('.')) out.push(spec);
  }
  return out;
}

/** The import graph of src/: file → files it imports (repository-relative, .ts). */
export function importGraph(files: string[], read: (f: string) => string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const targets = importSpecifiers(read(f)).map((s) => normalize(join(dirname(f), s)).replace(/\\/g, '/').replace(/\.js$/, '.ts'));
    graph.set(f, targets);
  }
  return graph;
}

const layerOf = (f: string): string | null => {
  const parts = f.split('/');
  return parts.length > 2 ? parts[1] : null; // src/index.ts has no layer: it re-exports everything
};
const folderOf = (f: string): string => dirname(f);

/** Every violation of the layering rules in a graph (empty when the layout is sound). */
export function layoutViolations(graph: Map<string, string[]>): string[] {
  const bad: string[] = [];
  const importers = new Map<string, string[]>();
  for (const [f, ts] of graph) for (const t of ts) importers.set(t, [...(importers.get(t) ?? []), f]);

  for (const [f, targets] of graph) {
    const lf = layerOf(f);
    for (const t of targets) {
      if (!graph.has(t)) {
        bad.push(`${f} imports ${t}, which does not exist`);
        continue;
      }
      const lt = layerOf(t);
      if (lf === null) continue;
      if (lt === null) {
        bad.push(`${f} imports src/index.ts (import the module itself)`);
        continue;
      }
      if (!(lf in LAYERS) || !(lt in LAYERS)) {
        bad.push(`${f} → ${t}: layer ${!(lf in LAYERS) ? lf : lt} is not in the layer list`);
        continue;
      }
      if (LAYERS[lt] > LAYERS[lf]) bad.push(`${f} imports up a layer: ${t} (${lt} is above ${lf})`);
      // sideways between processor files
      if (lf === 'processors' && lt === 'processors' && !SHARED_PROCESSOR_MODULES.has(t)) {
        const sameFolder = folderOf(f) === folderOf(t) && folderOf(f) !== 'src/processors';
        const privateHelper = (importers.get(t) ?? []).every((u) => u === f);
        if (SHARED_PROCESSOR_MODULES.has(f)) bad.push(`shared module ${f} imports the processor file ${t}`);
        else if (!sameFolder && !privateHelper) bad.push(`${f} imports another processor's file ${t} sideways (move what they share to a shared module)`);
      }
    }
  }

  // core/: every file serves more than one layer, or more than one processor (through core/ too)
  for (const f of graph.keys()) {
    if (layerOf(f) !== 'core') continue;
    const users = new Set<string>();
    const seen = new Set<string>([f]);
    const queue = [f];
    while (queue.length > 0) {
      const t = queue.pop()!;
      for (const u of importers.get(t) ?? []) {
        if (layerOf(u) === 'core') {
          if (!seen.has(u)) {
            seen.add(u);
            queue.push(u);
          }
        } else if (layerOf(u) !== null) users.add(u);
      }
    }
    const layers = new Set([...users].map((u) => layerOf(u)));
    const units = new Set([...users].map((u) => (folderOf(u) === 'src/processors' ? u : folderOf(u))));
    if (users.size === 0) bad.push(`${f} is used by no other layer (only src/index.ts or nothing)`);
    else if (layers.size === 1 && layers.has('processors') && units.size === 1) {
      bad.push(`${f} is used only by ${[...units][0]}: move it beside that processor`);
    } else if (layers.size === 1 && !layers.has('processors')) {
      bad.push(`${f} is used only by the ${[...layers][0]} layer: move it there`);
    }
  }
  return bad;
}

const read = (f: string): string => readFileSync(join(ROOT, f), 'utf8');
const SRC = walk('src');

describe('layout of src/', () => {
  const graph = importGraph(SRC, read);

  it('reads every kind of relative import', () => {
    const src = [
      "import { a } from './a.js';",
      "import type { B } from '../core/b.js';",
      "export { c } from './c.js';",
      "export * from './d.js';",
      "const e = await import('./e.js');",
      "import './f.js';",
      "// import { g } from './g.js';",
      "import { h } from 'node:fs';",
    ].join('\n');
    expect(importSpecifiers(src)).toEqual(['./a.js', '../core/b.js', './c.js', './d.js', './e.js', './f.js']);
  });

  it('has a layer rank for every folder of src/', () => {
    const folders = new Set(SRC.map(layerOf).filter((l): l is string => l !== null));
    expect([...folders].filter((l) => !(l in LAYERS))).toEqual([]);
  });

  it('imports only downward, never sideways between processors, and keeps core/ shared', () => {
    expect(layoutViolations(graph)).toEqual([]);
  });

  it('every shared processor module exists', () => {
    for (const f of SHARED_PROCESSOR_MODULES) expect(existsSync(join(ROOT, f)), f).toBe(true);
  });

  it('catches an import up a layer, a sideways processor import and a core file of one processor', () => {
    const g = new Map<string, string[]>([
      ['src/core/a.ts', ['src/processors/p.ts']],
      ['src/core/only-p.ts', []],
      ['src/processors/p.ts', ['src/core/only-p.ts', 'src/processors/q.ts']],
      ['src/processors/q.ts', []],
      ['src/processors/r.ts', ['src/processors/q.ts']],
      ['src/decoding/d.ts', ['src/core/a.ts']],
    ]);
    const bad = layoutViolations(g);
    expect(bad.some((m) => m.startsWith('src/core/a.ts imports up a layer'))).toBe(true);
    expect(bad.some((m) => m.startsWith('src/processors/p.ts imports another processor'))).toBe(true);
    expect(bad.some((m) => m.startsWith('src/core/only-p.ts is used only by src/processors/p.ts'))).toBe(true);
    // a helper imported by one processor only is that processor's private file: allowed
    const ok = new Map<string, string[]>([
      ['src/processors/p.ts', ['src/processors/p-helper.ts', 'src/processors/options.ts']],
      ['src/processors/p-helper.ts', []],
      ['src/processors/options.ts', []],
      ['src/processors/x/x.ts', ['src/processors/x/x-part.ts']],
      ['src/processors/x/x-part.ts', []],
      ['src/processors/y.ts', ['src/processors/x/x-part.ts']],
    ]);
    expect(layoutViolations(ok)).toEqual(['src/processors/y.ts imports another processor\'s file src/processors/x/x-part.ts sideways (move what they share to a shared module)']);
  });
});

describe('docs/architecture.md', () => {
  const doc = read('docs/architecture.md');

  it('names only paths that exist', () => {
    const paths = [...doc.matchAll(/\b((?:src|test|docs|bench|scripts)\/[\w./-]*[\w/])/g)].map((m) => m[1]);
    expect(paths.length).toBeGreaterThan(20);
    const missing = [...new Set(paths)].filter((p) => !existsSync(join(ROOT, p)));
    expect(missing).toEqual([]);
  });

  it('names every layer of the layering test', () => {
    expect(Object.keys(LAYERS).filter((l) => !doc.includes(`src/${l}/`))).toEqual([]);
  });

  it('lists every shared processor module', () => {
    for (const f of SHARED_PROCESSOR_MODULES) expect(doc.includes(f), f).toBe(true);
  });
});
