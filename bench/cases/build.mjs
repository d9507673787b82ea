// Turns the specs of specs.mjs into timed cases, plus the floors of the group.
//
// The code under test comes from a provider (libProvider below for degen-guard; bench/peers/ has one
// for transformers.js), so both run on the same rows, histories and restore logic:
//   provider.name             prefix of the case ids ('' for the library)
//   provider.wrap(row)        what the implementation takes as logits (the Float32Array itself, or a Tensor on it)
//   provider.history(tokens)  what it takes as history (TokenHistory, or input_ids)
//   provider.make(spec, env)  → { fn(x, h) → number|void|Promise, async?, note? }, or { skip: reason }

import { POOL } from './inputs.mjs';

const MASK = POOL - 1;
/** Results land here so that the JIT cannot drop the work. */
export const sink = new Float64Array(1);

/** The floors' loops, one function each, warmed up below (see {@link warmFloors}). */
export function maxPass(x) {
  let m = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v > m) m = v;
  }
  return m;
}

function max4Pass(x) {
  const n = x.length;
  let m0 = -Infinity, m1 = -Infinity, m2 = -Infinity, m3 = -Infinity;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const a = x[i], b = x[i + 1], c = x[i + 2], d = x[i + 3];
    if (a > m0) m0 = a;
    if (b > m1) m1 = b;
    if (c > m2) m2 = c;
    if (d > m3) m3 = d;
  }
  for (; i < n; i++) if (x[i] > m0) m0 = x[i];
  return Math.max(m0, m1, m2, m3);
}

function sumExpPass(x) {
  const m = maxPass(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.exp(x[i] - m);
  return s;
}

function restoreCells(work, row, ids) {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    work[id] = row[id];
  }
}

/**
 * Runs each floor loop on small rows before any timing. A loop whose first call is long is compiled
 * on-stack (OSR) before the code around it has run; in V8 11 (Node 20) that code then leaves the
 * optimised code on every call (an eager deopt for missing type feedback, hundreds of times per
 * process), or the function stays in its slower OSR code: the same floor took 141 or 214 µs at
 * V = 128,256 depending on the process. Warmed on small rows first, every site has feedback when the
 * loop gets hot, and the floor compiles the same way in every process.
 */
function warmFloors() {
  const x = Float32Array.from({ length: 512 }, (_, i) => Math.sin(i));
  const work = new Float32Array(512);
  const ids = Int32Array.from({ length: 64 }, (_, i) => i * 7);
  for (let r = 0; r < 4; r++) {
    sink[0] += maxPass(x) + max4Pass(x) + sumExpPass(x);
    restoreCells(work, x, ids);
  }
}
warmFloors();

/**
 * The floors of a group, measured in the same interleaved rounds as the cases:
 *   max      one plain pass over a pooled row computing its max (THE floor every ratio is relative to);
 *   max4     the same with 4 accumulators (what a tuned max costs; for information);
 *   sumexp   max, then Σ exp(x − max) (what a softmax must cost);
 *   copy     restoring the work row from the pool (subtracted from 'proc' and 'step' cases).
 * 'hist' cases add their own restore floor (restore@L, restore:<id>).
 */
export function floorCases(inputs, group) {
  const { rows, work } = inputs;
  let k = 0;
  return [
    {
      id: 'floor:max', label: 'floor: max pass', group, floor: true,
      fn: () => {
        sink[0] += maxPass(rows[k++ & MASK]);
      },
    },
    {
      id: 'floor:max4', label: 'floor: max pass, 4 accumulators', group, floor: true,
      fn: () => {
        sink[0] += max4Pass(rows[k++ & MASK]);
      },
    },
    {
      id: 'floor:sumexp', label: 'floor: max, then Σexp', group, floor: true,
      fn: () => {
        sink[0] += sumExpPass(rows[k++ & MASK]);
      },
    },
    {
      id: 'floor:copy', label: 'floor: copy row (restore)', group, floor: true,
      fn: () => {
        work.set(rows[k++ & MASK]);
      },
    },
  ];
}

function restoreFloor(inputs, group, key, restoreIds) {
  const row = inputs.rows[0];
  const work = Float32Array.from(row);
  return {
    id: `floor:${key}`, label: `floor: ${key} (${restoreIds.length} cells)`, group, floor: true,
    fn: () => restoreCells(work, row, restoreIds),
  };
}

/**
 * Builds the cases of `specList` for `provider` over `inputs`. Returns { cases, skipped }; with
 * `withFloors` the group's floors come first. A case's restore floor is added with it unless its key
 * is already in `floorsAdded` (pass the same set when building several providers into one group).
 */
export function buildCases(provider, inputs, specList, group, { withFloors = true, floorsAdded = new Set() } = {}) {
  const cases = withFloors ? floorCases(inputs, group) : [];
  const skipped = [];
  const histories = new Map();
  const env = {
    vocab: inputs.vocab,
    tokens: (ctx) => inputs.contexts.get(ctx).tokens,
    history: (ctx) => {
      if (!histories.has(ctx)) histories.set(ctx, provider.history(inputs.contexts.get(ctx).tokens));
      return histories.get(ctx);
    },
  };
  for (const spec of specList) {
    let c;
    try {
      const impl = provider.make(spec, env);
      if (!impl || impl.skip) {
        skipped.push({ id: spec.id, label: spec.label, provider: provider.name, reason: impl?.skip ?? 'not available' });
        continue;
      }
      c = wrapCase(provider, inputs, spec, group, env, impl);
    } catch (e) {
      skipped.push({ id: spec.id, label: spec.label, provider: provider.name, reason: `construction failed: ${e instanceof Error ? e.message : e}` });
      continue;
    }
    if (c.overhead && c.overhead !== 'copy' && !floorsAdded.has(c.overhead)) {
      floorsAdded.add(c.overhead);
      cases.push(restoreFloor(inputs, group, c.overhead, c.restoreIds));
    }
    delete c.restoreIds;
    cases.push(c);
  }
  return { cases, skipped };
}

function wrapCase(provider, inputs, spec, group, env, impl) {
  const { rows, work } = inputs;
  const prefix = provider.name ? `${provider.name}:` : '';
  const base = {
    id: prefix + spec.id, spec: spec.id, provider: provider.name, label: spec.label, group, kind: spec.kind,
    target: provider.name ? undefined : spec.target, ctx: spec.ctx, sweepOf: spec.sweepOf, note: impl.note, async: !!impl.async,
  };
  const run = impl.fn;
  const h = spec.ctx ? env.history(spec.ctx) : undefined;
  let k = 0;
  if (spec.kind === 'sampler') {
    // samplers do not write the row: they read the pristine pooled rows (one wrapper per row)
    const wrapped = rows.map((r) => provider.wrap(r));
    const fn = impl.async
      ? async () => { sink[0] += Number(await run(wrapped[k++ & MASK], h)); }
      : () => { sink[0] += run(wrapped[k++ & MASK], h); };
    return { ...base, overhead: null, fn };
  }
  if (spec.kind === 'proc' || spec.kind === 'step') {
    const wx = provider.wrap(work);
    const fn = impl.async
      ? async () => { work.set(rows[k++ & MASK]); sink[0] += Number((await run(wx, h)) ?? 0); }
      : () => { work.set(rows[k++ & MASK]); sink[0] += run(wx, h) ?? 0; };
    return { ...base, overhead: 'copy', fn };
  }
  if (spec.kind === 'hist') {
    // its own row: the other cases of the group write the shared work buffer
    const row = rows[0];
    const w = Float32Array.from(row);
    const wx = provider.wrap(w);
    if (spec.restore === false) {
      const fn = impl.async ? async () => { await run(wx, h); } : () => { run(wx, h); };
      return { ...base, overhead: null, fn };
    }
    const restoreIds = spec.restoreIds ? spec.restoreIds(env.vocab, env.tokens(spec.ctx)) : inputs.contexts.get(spec.ctx).distinct;
    const overhead = spec.restoreIds ? `restore:${spec.id}` : `restore@${spec.ctx}`;
    const restore = () => {
      for (let i = 0; i < restoreIds.length; i++) {
        const id = restoreIds[i];
        w[id] = row[id];
      }
    };
    const fn = impl.async ? async () => { restore(); await run(wx, h); } : () => { restore(); run(wx, h); };
    return { ...base, overhead, restoreIds, fn };
  }
  throw new Error(`unknown kind ${spec.kind}`);
}

/** The library's pipeline when exported; otherwise the processors called in order. */
export function compose(lib, procs) {
  if (typeof lib.pipeline === 'function') return { pipe: lib.pipeline(...procs), viaPipeline: true };
  const pipe = (x, h) => {
    for (let i = 0; i < procs.length; i++) procs[i](x, h);
    return x;
  };
  return { pipe, viaPipeline: false };
}

/** degen-guard itself as a provider. */
export function libProvider(lib) {
  return {
    name: '',
    wrap: (x) => x,
    history: (tokens) => new lib.TokenHistory(tokens),
    make(spec, env) {
      const missing = spec.need.filter((n) => typeof lib[n] !== 'function');
      if (missing.length) return { skip: `not exported: ${missing.join(', ')}` };
      if (spec.kind === 'proc' || spec.kind === 'hist') {
        const p = spec.make(lib, env.vocab, spec.ctx ? env.tokens(spec.ctx) : undefined);
        return { fn: (x, h) => { p(x, h); } };
      }
      if (spec.kind === 'sampler') return { fn: spec.make(lib, env.vocab) };
      if (spec.kind === 'step') {
        const { pipe, viaPipeline } = compose(lib, spec.procs(lib, env.vocab));
        const rng = lib.createRng ? lib.createRng(7) : undefined;
        const draw = spec.sampler === 'greedy' ? (x, c) => lib.greedy(x, c) : (x, c) => lib.sample(x, rng, c);
        return {
          note: viaPipeline ? undefined : 'processors called one by one (no pipeline export)',
          fn: (x, h) => {
            pipe(x, h);
            return draw(x, pipe.candidates ?? null);
          },
        };
      }
      return { skip: `unknown kind ${spec.kind}` };
    },
  };
}
