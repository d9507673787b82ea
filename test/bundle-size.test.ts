// Bundle budget: what an application pays, minified and gzipped, for what it imports. esbuild bundles
// an entry that imports a few names from src/index.ts (tree-shaken, as an application's bundler
// would with the package's "sideEffects": false), minifies it, and the output is gzipped (zlib's
// default level). 1 kB = 1,000 B. docs/benchmarks.md states the sizes and how to read them.
//
// The ceilings are today's sizes (topP 5.55 kB, the quick-start set 10.95 kB, each with the
// kernels' warm-up, src/core/warm-up.ts, ≈ 0.27 kB) plus a little room: a change that makes them
// grow beyond fails here. The goals are lower (topP 4 kB, the quick-start set 9 kB): every module in
// topP's bundle is code topP runs (its fused pass, src/core/exp-total.ts and exp-blocks.ts, bought
// its speed target; the warm-up of its wide path and the numbers its selections hand over in a
// Float64Array, ≈ 0.1 kB, keep it from allocating on wide nuclei; sample's draw through ownNextInto,
// ≈ 0.08 kB, the same for sample), and TokenHistory no longer carries
// the n-gram index (see docs/benchmarks.md, "Bundle size").
const TOP_P_CEILING = 5600;
const QUICK_START_CEILING = 11050;
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));

/** min+gzip bytes of a bundle exporting `names` from the library (null: every export). */
async function bundled(names: string[] | null): Promise<{ min: number; gzip: number; inputs: Record<string, number> }> {
  const contents = names
    ? `export { ${names.join(', ')} } from ${JSON.stringify(entry)};`
    : `export * from ${JSON.stringify(entry)};`;
  const r = await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    treeShaking: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = r.outputFiles[0].contents;
  const out = Object.values(r.metafile.outputs)[0];
  const inputs = Object.fromEntries(Object.entries(out.inputs).map(([k, v]) => [k, v.bytesInOutput]));
  return { min: code.length, gzip: gzipSync(code).length, inputs };
}

/** The names imported by README's quick start (its first ```ts block). */
function quickStartNames(): string[] {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Quick start'));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const names = [...block.matchAll(/import \{([^}]*)\} from 'degen-guard'/g)].flatMap((m) => m[1].split(','));
  return names.map((n) => n.trim()).filter(Boolean);
}

describe('bundle size (esbuild, minified, tree-shaken, gzip)', () => {
  it('import { topP } stays within its ceiling', async () => {
    const b = await bundled(['topP']);
    expect(b.gzip, `topP: ${b.min} B min, ${b.gzip} B gzip; ${JSON.stringify(b.inputs)}`).toBeLessThanOrEqual(TOP_P_CEILING);
  });

  it("README's quick-start set stays within its ceiling", async () => {
    const names = quickStartNames();
    expect(names).toContain('topP');
    expect(names).toContain('pipeline');
    const b = await bundled(names);
    expect(b.gzip, `${names.join(', ')}: ${b.min} B min, ${b.gzip} B gzip; ${JSON.stringify(b.inputs)}`).toBeLessThanOrEqual(QUICK_START_CEILING);
  });

  it('tree-shakes: one name costs less than the quick-start set, which costs less than the whole library', async () => {
    const one = await bundled(['topP']);
    const quick = await bundled(quickStartNames());
    const all = await bundled(null);
    expect(one.gzip).toBeLessThan(quick.gzip);
    expect(quick.gzip).toBeLessThan(all.gzip / 2);
    // nothing of the demo, the CLI or the text utilities rides along with a processor
    for (const f of Object.keys(quick.inputs)) expect(f).not.toMatch(/src\/(demo|cli|text|metrics)\//);
  });

  it("TokenHistory does not carry the n-gram index: it comes with ngramFollowers (noRepeatNgram's), not with the quick-start set", async () => {
    const ngramFiles = /src\/(core\/ngram-table|processors\/ngram-followers)\.ts$/;
    const quick = await bundled(quickStartNames());
    expect(Object.keys(quick.inputs).filter((f) => ngramFiles.test(f))).toEqual([]);
    const history = await bundled(['TokenHistory']);
    expect(Object.keys(history.inputs).filter((f) => ngramFiles.test(f))).toEqual([]);
    const ban = await bundled(['noRepeatNgram']);
    expect(Object.keys(ban.inputs).filter((f) => ngramFiles.test(f)).sort()).toEqual(['src/core/ngram-table.ts', 'src/processors/ngram-followers.ts']);
  });
});
