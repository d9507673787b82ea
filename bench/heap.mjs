// The allocation check: 10,000 HF-default decoding steps, heap measured around them.
//
// Reported per variant: the heap retained after a full GC (growth over the 10,000 steps), the minor
// GCs during them, and the bytes allocated per step (growth of V8's new space over a window of steps
// that starts right after a full GC and sees no minor GC). A step that allocates nothing shows
// ≈ 0 B/step (the measuring loop itself costs ≈ 1 B/step) and 0 minor GCs. allocationPerCase does
// the same for every case of a group, with fewer calls.

import { PerformanceObserver, constants } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';

import { compose, sink } from './cases/build.mjs';
import { POOL } from './cases/inputs.mjs';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_used_size ?? 0;

/**
 * Warms `step` up (at least `warm` calls and 100 ms, so that the JIT has settled), then:
 *  - runs `steps` calls in one go and reports the heap retained after a full GC and the minor GCs;
 *  - runs `chunks` windows of `chunkSteps` (default steps/chunks) calls, each after a full GC (new space empty), and reports
 *    the bytes allocated per call as the least over the windows that saw no minor GC (`least`) or their
 *    median — a one-off tier-up of the JIT in a window allocates on its own.
 */
async function measure(label, steps, step, { warm = 1000, chunks = 3, chunkSteps = 0, least = true } = {}) {
  const t0 = performance.now();
  let i = 0;
  for (; i < warm || performance.now() - t0 < 100; i++) step(i);
  let minor = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) minor++;
  });
  const settle = () => new Promise((r) => setTimeout(r, 5)); // GC entries are delivered asynchronously
  gc();
  gc();
  await settle();
  obs.observe({ entryTypes: ['gc'] });
  const before = process.memoryUsage().heapUsed;
  for (let s = 0; s < steps; s++) step(i++);
  await settle();
  const scavenges = minor;
  gc();
  gc();
  const growthBytes = process.memoryUsage().heapUsed - before;
  const per = [];
  const size = chunkSteps || Math.max(1, Math.floor(steps / chunks));
  for (let c = 0; c < chunks; c++) {
    gc();
    await settle();
    const m0 = minor;
    const young = newSpace();
    for (let s = 0; s < size; s++) step(i++);
    const after = newSpace();
    await settle();
    if (minor === m0) per.push(Math.max(0, after - young) / size);
  }
  obs.disconnect();
  per.sort((a, b) => a - b);
  const bytesPerStep = per.length === 0 ? NaN : least ? per[0] : per[Math.floor(per.length / 2)];
  return { label, steps, bytesPerStep, growthBytes, scavenges, cleanWindows: per.length };
}

/**
 * Runs the heap check on `inputs` (V = 128,256 normally) with a `ctx`-token history.
 * Returns [] when the library lacks the processors of the HF-default step.
 */
export async function heapCheck(lib, inputs, { steps = 10000, ctx = 4096 } = {}) {
  const need = ['repetitionPenalty', 'temperature', 'topK', 'topP', 'sample', 'createRng', 'TokenHistory'];
  const missing = need.filter((n) => typeof lib[n] !== 'function');
  if (missing.length) return [{ label: 'HF-default step', steps: 0, bytesPerStep: NaN, growthBytes: NaN, scavenges: 0, error: `not exported: ${missing.join(', ')}` }];
  const { rows, work } = inputs;
  const tokens = inputs.contexts.get(ctx).tokens;
  const out = [];
  const make = () => compose(lib, [lib.repetitionPenalty(1.1), lib.temperature(0.7), lib.topK(50), lib.topP(0.9)]).pipe;

  {
    const pipe = make();
    const rng = lib.createRng(3);
    const h = new lib.TokenHistory(tokens);
    out.push(await measure(`HF-default step (fixed ${ctx}-token history)`, steps, (i) => {
      work.set(rows[i & (POOL - 1)]);
      pipe(work, h);
      sink[0] += lib.sample(work, rng, pipe.candidates ?? null);
    }, { chunks: 10, chunkSteps: 300, least: false }));
  }
  {
    // the history is pre-grown (built long, then truncated) so that its own buffers do not grow
    const pipe = make();
    const rng = lib.createRng(4);
    const long = new Int32Array(ctx + 2 * steps + 5000);
    long.set(tokens);
    const h = new lib.TokenHistory(long);
    h.truncate(ctx);
    out.push(await measure(`HF-default step + history.push (from ${ctx} tokens)`, steps, (i) => {
      work.set(rows[i & (POOL - 1)]);
      pipe(work, h);
      const id = lib.sample(work, rng, pipe.candidates ?? null);
      h.push(id);
      sink[0] += id;
    }, { chunks: 10, chunkSteps: 300, least: false }));
  }
  return out;
}

/**
 * Calls before a case's allocation is measured: V8 11 optimises a small function (a processor's
 * closure, the helpers it calls once per row) only after a few thousand calls, and until then the
 * unoptimised code boxes the doubles it touches (logSoftmax: 160 B/call after 600 calls, 0 after
 * 2,000).
 */
const WARM_CALLS = 3000;

/**
 * Bytes allocated per call of every synchronous case of a group (`cases` as built, `results` their
 * timings, used to size the number of calls to about `budgetMs` each, between 1,500 and 6,000: windows
 * of 500 calls or more, after {@link WARM_CALLS}). `bytesPerCall` is net of the measuring loop's own bytes: the same windows
 * of the same number of calls of a step that does nothing are measured right before, and their
 * bytes per call (a few hundred bytes a window: ≈ 0.4–1 B/call) subtracted. A case that allocates one
 * heap number a call shows ≈ 16 B/call; one every eight calls, 2 B/call.
 */
export async function allocationPerCase(cases, results, { budgetMs = 400 } = {}) {
  const out = [];
  const noop = () => {
    sink[0] += 1;
  };
  for (const c of cases) {
    if (c.async || c.floor) continue;
    const r = results.find((x) => x.id === c.id);
    if (!r || r.error) continue;
    const calls = Math.max(1500, Math.min(6000, Math.round(budgetMs / r.medianMs)));
    const base = await measure('measuring loop', calls, noop, { warm: WARM_CALLS, chunks: 3, least: true });
    const m = await measure(c.label, calls, c.fn, { warm: WARM_CALLS, chunks: 3, least: true });
    const net = Math.max(0, m.bytesPerStep - (Number.isNaN(base.bytesPerStep) ? 0 : base.bytesPerStep));
    out.push({ id: c.id, label: c.label, ctx: c.ctx, calls, bytesPerCall: Number.isNaN(m.bytesPerStep) ? NaN : net, scavenges: m.scavenges });
  }
  return out;
}
