// Bytes allocated per call of each case, each in a process of its own (the bench's allocation check
// measures them in one process, after the timings). For finding which case allocates and why: a
// number here is reproducible from one process to the next, unlike one in a process where other
// cases have shaped V8's inlining.
//
//   npm run build && node bench/alloc-fresh.mjs              every synchronous case of specs.mjs
//   node bench/alloc-fresh.mjs topP mirostat                 those cases
//   DEGEN_GUARD_LIB=/path/to/index.js node bench/alloc-fresh.mjs …   another build
//
// Per case: 3,000 calls or more (at least 300 ms) to let V8 optimise, then 4 windows of 400 calls,
// each after a full GC; the least growth of V8's new space per call, less the same for a step that
// only restores the row. A case that allocates nothing shows within ±0.5 B/call of 0 (the two loops
// do not cost quite the same); one heap number per call shows ≈ 16 B/call.
//
// To see where a case allocates: `node --trace-deopt bench/alloc-fresh.mjs <id>` (a function that
// deoptimises on every call materialises its doubles), or a sampling heap profile that keeps the
// garbage (inspector `HeapProfiler.startSampling` with `includeObjectsCollectedByMinorGC: true`).

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';

import { makeInputs } from './cases/inputs.mjs';
import { MAIN_CTX, specs } from './cases/specs.mjs';

const V = 128256;
const KINDS = new Set(['proc', 'sampler', 'hist', 'step']);
const ids = process.argv.slice(2);

if (process.env.ALLOC_FRESH_CHILD !== '1') {
  const list = ids.length ? ids : specs().filter((s) => KINDS.has(s.kind)).map((s) => s.id);
  const self = fileURLToPath(import.meta.url);
  for (const id of list) {
    const r = spawnSync(process.execPath, [self, id], { env: { ...process.env, ALLOC_FRESH_CHILD: '1' }, encoding: 'utf8' });
    process.stdout.write(r.status === 0 ? r.stdout : `${id}: failed: ${(r.stderr || '').trim().split('\n').pop()}\n`);
  }
} else {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  const lib = await import(process.env.DEGEN_GUARD_LIB ?? new URL('../dist/index.js', import.meta.url).href);
  const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_used_size;
  const inp = makeInputs(V, [MAIN_CTX]);
  const sp = specs().find((s) => s.id === ids[0]);
  if (!sp) throw new Error(`no case ${ids[0]}`);
  const { rows, work } = inp;
  const tokens = inp.contexts.get(MAIN_CTX).tokens;
  let i = 0;
  let step;
  if (sp.kind === 'proc') {
    const p = sp.make(lib, V);
    step = () => { work.set(rows[i++ & 7]); p(work); };
  } else if (sp.kind === 'sampler') {
    const p = sp.make(lib, V);
    step = () => { p(rows[i++ & 7]); };
  } else if (sp.kind === 'hist') {
    const h = new lib.TokenHistory(tokens);
    const p = sp.make(lib, V, tokens);
    step = () => { work.set(rows[i++ & 7]); p(work, h); };
  } else {
    const pipe = lib.pipeline(...sp.procs(lib, V));
    const h = new lib.TokenHistory(tokens);
    const rng = lib.createRng(1);
    step = () => {
      work.set(rows[i++ & 7]);
      pipe(work, h);
      if (sp.sampler === 'sample') lib.sample(work, rng, pipe.candidates);
      else lib.greedy(work, pipe.candidates);
    };
  }
  const restore = () => { work.set(rows[i++ & 7]); };
  const perCall = (f, n) => {
    let least = Infinity;
    for (let c = 0; c < 4; c++) {
      gc();
      const a = newSpace();
      for (let k = 0; k < n; k++) f();
      least = Math.min(least, (newSpace() - a) / n);
    }
    return least;
  };
  const t0 = performance.now();
  for (let k = 0; k < 3000 || performance.now() - t0 < 300; k++) step();
  for (let k = 0; k < 3000; k++) restore();
  const net = perCall(step, 400) - perCall(restore, 400);
  console.log(`${sp.id.padEnd(22)} ${net.toFixed(1).padStart(8)} B/call  ${sp.label}`);
}
