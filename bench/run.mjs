// degen-guard benchmark runner:  npm run bench -- [--quick] [--json[=file]] [--markdown[=file]]
//   [--vocab=32000,128256] [--filter=regex] [--no-heap] [--heap] [--seed=N] [--no-fresh] [--clock=cpu]
//
// Imports the BUILT library (dist/), measures every case of bench/cases/specs.mjs against the floors
// of the same run, then each case again in a process of its own (bench/fresh-case.mjs), and prints a
// markdown table (stdout). See docs/benchmarks.md.

import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

import { buildCases, libProvider } from './cases/build.mjs';
import { makeInputs } from './cases/inputs.mjs';
import { CONTEXTS, MAIN_CTX, specs } from './cases/specs.mjs';
import { PROFILES, measureGroup, progressLine, setClock } from './harness.mjs';
import { allocationPerCase, heapCheck } from './heap.mjs';
import { analyseGroup, markdown, sweeps } from './report.mjs';

export const TARGET_VOCAB = 128256;

export function parseArgs(argv) {
  const opt = { quick: false, json: null, markdown: null, vocabs: null, filter: null, heap: true, heapOnly: false, seed: 1, fresh: true, freshRuns: null, clock: 'wall' };
  for (const a of argv) {
    const [k, v] = a.split('=', 2);
    if (k === '--quick') opt.quick = true;
    else if (k === '--json') opt.json = v ?? '-';
    else if (k === '--markdown' || k === '--md') opt.markdown = v ?? '-';
    else if (k === '--vocab') opt.vocabs = v.split(',').map(Number);
    else if (k === '--filter') opt.filter = new RegExp(v, 'i');
    else if (k === '--no-heap') opt.heap = false;
    else if (k === '--heap') opt.heapOnly = true;
    else if (k === '--seed') opt.seed = Number(v);
    else if (k === '--no-fresh') opt.fresh = false;
    else if (k === '--fresh-runs') opt.freshRuns = Number(v);
    else if (k === '--clock') opt.clock = v;
    else if (k === '--help' || k === '-h') opt.help = true;
    else throw new Error(`unknown option ${a} (try --help)`);
  }
  // `npm run bench --quick` (without `--`) reaches us as npm's config variable
  if (process.env.npm_config_quick === 'true') opt.quick = true;
  opt.vocabs ??= opt.quick ? [TARGET_VOCAB] : [32000, TARGET_VOCAB, 256000];
  opt.freshRuns ??= opt.quick ? 1 : 3;
  return opt;
}

/** The built library (dist/), or the module named by DEGEN_GUARD_LIB (to compare two builds). */
export async function loadLib() {
  const alt = process.env.DEGEN_GUARD_LIB;
  if (alt) return import(new URL(alt, `file://${process.cwd()}/`).href);
  return import('../dist/index.js');
}

export function meta(opt, profile) {
  return {
    profile: opt.quick ? 'quick' : 'full',
    date: new Date().toISOString().slice(0, 16).replace('T', ' '),
    node: process.versions.node,
    cpu: `${os.cpus()[0]?.model?.trim() ?? 'cpu'} ×${os.cpus().length}`,
    load: os.loadavg()[0].toFixed(1),
    clock: opt.clock,
    seed: opt.seed,
    rounds: profile.rounds,
  };
}

/**
 * Measures every (non-floor) case of a group again, each in a new process (bench/fresh-case.mjs),
 * `opt.freshRuns` processes per case, and stores the median ratio as `fresh` ({ ratio, netMs,
 * spread, runs } or { error }) on the in-run result. Several processes, because the JIT does not
 * compile a loop the same way in every process: the max floor itself comes out at one of two speeds.
 */
function freshRuns(results, { vocab, sweep, opt, progress }) {
  const script = fileURLToPath(new URL('./fresh-case.mjs', import.meta.url));
  const todo = results.filter((r) => !r.floor && !r.error && !r.provider);
  todo.forEach((r, i) => {
    progress.update(`V=${vocab} fresh process: ${r.label}`, i, todo.length);
    const args = [script, `--case=${r.id}`, `--vocab=${vocab}`, `--seed=${opt.seed}`, `--clock=${opt.clock}`];
    if (sweep) args.push('--sweep');
    if (opt.quick) args.push('--quick');
    const runs = [];
    try {
      for (let k = 0; k < opt.freshRuns; k++) {
        const out = execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        const one = JSON.parse(out.trim().split('\n').pop());
        if (one.error) throw new Error(one.error);
        runs.push(one);
      }
      runs.sort((a, b) => a.ratio - b.ratio);
      const mid = runs.length >> 1;
      const ratio = runs.length % 2 ? runs[mid].ratio : (runs[mid - 1].ratio + runs[mid].ratio) / 2;
      r.fresh = { ...runs[(runs.length - 1) >> 1], ratio, runs: runs.map((x) => x.ratio) };
    } catch (e) {
      r.fresh = { error: String(e.stderr || e.message).trim().split('\n').pop() };
    }
  });
}

/** Loads bench/<name>.bench.mjs when present (other benches of the package). */
async function extraBenches(lib, opt, progress) {
  const out = [];
  for (const name of ['metrics', 'decoding', 'losses']) {
    const file = new URL(`./${name}.bench.mjs`, import.meta.url);
    if (!existsSync(fileURLToPath(file))) {
      progress.note(`note: bench/${name}.bench.mjs not found, skipped`);
      continue;
    }
    progress.update(`${name}.bench.mjs`, 0, 1);
    try {
      const mod = await import(file.href);
      const rows = await mod.run(lib, { quick: opt.quick });
      out.push({ bench: name, rows });
    } catch (e) {
      out.push({ bench: name, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}

async function main() {
  const opt = parseArgs(process.argv.slice(2));
  if (opt.help) {
    process.stdout.write(readmeUsage());
    return;
  }
  setClock(opt.clock);
  const lib = await loadLib();
  const profile = opt.quick ? PROFILES.quick : PROFILES.full;
  const progress = progressLine('bench');
  const run = { meta: meta(opt, profile), groups: [], heap: null, extra: [] };
  const t0 = performance.now();

  if (!opt.heapOnly) {
    for (const vocab of opt.vocabs) {
      const sweep = vocab === TARGET_VOCAB;
      progress.update(`V=${vocab}: generating inputs`, 0, 1);
      const inputs = makeInputs(vocab, sweep ? CONTEXTS : [MAIN_CTX], { seed: opt.seed });
      let list = specs({ sweep });
      if (opt.filter) list = list.filter((s) => opt.filter.test(s.id) || opt.filter.test(s.label));
      const { cases, skipped } = buildCases(libProvider(lib), inputs, list, `V=${vocab}`);
      const results = await measureGroup(cases, {
        profile,
        onProgress: (msg, d, t) => progress.update(`V=${vocab} ${msg}`, d, t),
        pairFloor: 'floor:max',
      });
      analyseGroup(results, { checkTargets: vocab === TARGET_VOCAB });
      if (opt.fresh) {
        freshRuns(results, { vocab, sweep, opt, progress });
        // a target holds when both figures meet it
        for (const r of results) if (r.met !== undefined && r.fresh?.ratio !== undefined) r.met = r.met && r.fresh.ratio <= r.target;
      }
      const g = { vocab, stats: inputs.stats(), results, skipped, sweeps: sweep ? sweeps(results) : [] };
      if (vocab === TARGET_VOCAB && opt.heap) {
        progress.update(`V=${vocab}: bytes allocated per call`, 0, 1);
        g.alloc = await allocationPerCase(cases, results, { budgetMs: opt.quick ? 150 : 400 });
      }
      run.groups.push(g);
    }
    run.extra = await extraBenches(lib, opt, progress);
  }
  if (opt.heap || opt.heapOnly) {
    progress.update('allocation check (10,000 HF-default steps)', 0, 1);
    const inputs = makeInputs(TARGET_VOCAB, [MAIN_CTX], { seed: opt.seed });
    run.heap = await heapCheck(lib, inputs);
  }
  run.meta.seconds = Math.round((performance.now() - t0) / 1000);
  progress.done();

  const md = markdown(run);
  if (opt.json) emit(opt.json, JSON.stringify(run, null, 2) + '\n');
  if (opt.markdown) emit(opt.markdown, md);
  if (!opt.json && !opt.markdown) process.stdout.write(md);
  process.stderr.write(`bench: done in ${run.meta.seconds} s\n`);
}

function emit(target, text) {
  if (target === '-') process.stdout.write(text);
  else writeFileSync(target, text);
}

function readmeUsage() {
  return `usage: node bench/run.mjs [options]   (npm run bench -- [options])
  --quick            V = 128,256 only, fewer and shorter rounds (under a minute)
  --json[=file]      the raw results as JSON (stdout when no file)
  --markdown[=file]  the markdown report (stdout when no file; the default output)
  --vocab=a,b        vocabulary sizes (default 32000,128256,256000)
  --filter=regex     only the cases whose id or label matches
  --heap             only the allocation check (10,000 HF-default steps)
  --no-heap          skip the allocation check
  --seed=N           input generator seed (default 1)
  --no-fresh         skip the second measurement of each case in a process of its own
  --fresh-runs=N     processes per case for that measurement, median reported (default 1 quick, 3 full)
  --clock=cpu        time batches by the process's CPU time instead of the wall clock (shared machines)
`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    process.stderr.write(`\nbench failed: ${e?.stack ?? e}\n`);
    process.exitCode = 1;
  });
}
