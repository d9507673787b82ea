// The package as a user gets it: `npm pack` of a clean copy of the repository (no dist/) builds
// dist/ in the `prepare` script; the tarball installs offline into an empty project (there are no
// runtime dependencies) and works from ESM, CommonJS, TypeScript and the command line. ~20-40 s.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/doctest.js';

interface PackInfo {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
let tmp = '';
let app = '';
let info: PackInfo;

/** Runs a command; returns its stdout, or throws with its output. */
function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'degen-guard-pack-'));
  const clone = join(tmp, 'repo');
  // the files of a clone: tracked and new ones, without ignored ones (dist/, node_modules/)
  const files = run('git', ['ls-files', '-co', '--exclude-standard', '-z'], repoRoot).split('\0');
  for (const f of files) {
    if (!f || f === 'node_modules' || !existsSync(join(repoRoot, f))) continue;
    mkdirSync(dirname(join(clone, f)), { recursive: true });
    copyFileSync(join(repoRoot, f), join(clone, f));
  }
  symlinkSync(realpathSync(join(repoRoot, 'node_modules')), join(clone, 'node_modules'));
  const out = run('npm', ['pack', '--json', '--pack-destination', tmp], clone);
  info = (JSON.parse(out.slice(out.search(/^\[/m))) as PackInfo[])[0];
  app = join(tmp, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', join(tmp, info.filename)], app);
}, 240_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('npm pack of a clean copy', () => {
  it('builds dist/ and ships only what a user needs: dist without source maps, data/ for the demo, README, LICENSE', () => {
    const paths = info.files.map((f) => f.path).sort();
    for (const p of ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts', 'dist/cli.js', 'data/kjv-genesis.txt', 'README.md', 'LICENSE', 'package.json']) {
      expect(paths).toContain(p);
    }
    const unexpected = paths.filter((p) => !/^(dist\/[\w./-]+\.(js|cjs|mjs|d\.ts|d\.cts|d\.mts)|data\/[\w.-]+|README\.md|LICENSE|package\.json)$/.test(p));
    expect(unexpected).toEqual([]);
  });

  it('stays under 385 kB packed and 1.45 MB unpacked (README states the size)', () => {
    expect(info.size).toBeLessThan(385_000);
    expect(info.unpackedSize).toBeLessThan(1_450_000);
  });
});

describe('the installed tarball', () => {
  const script = `const row = Float32Array.from([1, 3, 2, 0]);
const id = dg.greedy(dg.topK(2)(row));
console.log(JSON.stringify({ id, row: Array.from(row), names: Object.keys(dg).length }));`;

  it('imports from ESM', () => {
    const out = run('node', ['--input-type=module', '-e', `import * as dg from 'degen-guard';\n${script}`], app);
    expect(JSON.parse(out)).toMatchObject({ id: 1, row: [-Infinity, 3, 2, -Infinity].map((v) => (v === -Infinity ? null : v)) });
  });

  it('requires from CommonJS, with the same exports as ESM', () => {
    const cjs = JSON.parse(run('node', ['-e', `const dg = require('degen-guard');\n${script}`], app));
    const esm = JSON.parse(run('node', ['--input-type=module', '-e', `import * as dg from 'degen-guard';\n${script}`], app));
    expect(cjs.id).toBe(1);
    expect(cjs.names).toBe(esm.names);
    expect(cjs.names).toBeGreaterThan(50);
  });

  it('exports degen-guard/transformers-js to ESM, CommonJS and TypeScript', () => {
    const names = "console.log(JSON.stringify([typeof t.transformersJsModel, typeof t.asLogitsProcessor]))";
    const want = ['function', 'function'];
    expect(JSON.parse(run('node', ['--input-type=module', '-e', `import * as t from 'degen-guard/transformers-js';\n${names}`], app))).toEqual(want);
    expect(JSON.parse(run('node', ['-e', `const t = require('degen-guard/transformers-js');\n${names}`], app))).toEqual(want);
    writeFileSync(join(app, 'tjs.mts'), "import { asLogitsProcessor, type TransformersJsLogitsProcessor } from 'degen-guard/transformers-js';\nimport { topK } from 'degen-guard';\nexport const p: TransformersJsLogitsProcessor = asLogitsProcessor(topK(5));\n");
    writeFileSync(join(app, 'tjs.cts'), "import t = require('degen-guard/transformers-js');\nexport const f: typeof t.transformersJsModel = t.transformersJsModel;\n");
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    run('node', [tsc, '--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', 'tjs.mts', 'tjs.cts'], app);
  });

  it('type-checks from TypeScript, ESM and CommonJS (node16 resolution)', () => {
    writeFileSync(join(app, 'use.mts'), "import { topP, type Processor } from 'degen-guard';\nconst p: Processor = topP(0.9);\nexport const label: string | undefined = p.label;\n");
    writeFileSync(join(app, 'use.cts'), "import dg = require('degen-guard');\nexport const id: number = dg.greedy(new Float32Array(2));\n");
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    run('node', [tsc, '--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', 'use.mts', 'use.cts'], app);
    writeFileSync(join(app, 'bad.mts'), "import { topP } from 'degen-guard';\nexport const n: number = topP(0.9);\n");
    expect(() => run('node', [tsc, '--noEmit', '--module', 'node16', '--moduleResolution', 'node16', 'bad.mts'], app)).toThrow(/TS2322/);
  });

  it('runs the degen-guard command: --version, metrics, and the demo with its bundled data', () => {
    const bin = join(app, 'node_modules', '.bin', 'degen-guard');
    expect(run(bin, ['--version'], app).trim()).toBe(pkg.version);
    writeFileSync(join(app, 'out.txt'), 'a b a b a b\nthe cat sat\n');
    const metrics = JSON.parse(run(bin, ['metrics', '--json', 'out.txt'], app));
    expect(metrics.sequences).toBe(2);
    const demo = JSON.parse(run(bin, ['demo', '--json', '--tokens', '2', '--prompt', 'And God said'], app));
    expect(demo.model.vocabSize).toBe(2670);
    expect(demo.rows.length).toBeGreaterThan(0);
  });
});
