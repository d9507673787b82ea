// The timing harness: warm-up, batch calibration, interleaved rounds, medians with spread.
//
// A case is { id, label, group, fn, async?, copies? }:
//   fn()     one iteration (sync, or returning a promise when `async`);
//   copies   the iteration starts by restoring the logits from a pristine row (the "copy" floor of the
//            same group is then subtracted when ratios are computed: see report.mjs).
// Cases of one group are measured round-robin: round 1 of every case, then round 2 of every case, …,
// so that drift of the machine (frequency, other processes) spreads over all of them alike.

export const PROFILES = {
  quick: { rounds: 7, batchMs: 6, warmMs: 40 },
  full: { rounds: 15, batchMs: 20, warmMs: 120 },
};

const now = () => performance.now();

/**
 * The clock of the timed batches: 'wall' (performance.now) or 'cpu' (the process's user + system CPU
 * time, µs resolution: on a shared machine it leaves out the time the process waited for a core).
 */
let clock = now;
export function setClock(kind) {
  if (kind === 'cpu') {
    clock = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
  } else if (kind === 'wall') clock = now;
  else throw new Error(`unknown clock ${kind} (wall or cpu)`);
}

/** Runs `fn` for about `ms` milliseconds (at least `min` times); returns the iterations done. */
async function spin(c, ms, min = 1) {
  const t0 = now();
  let n = 0;
  if (c.async) {
    while (n < min || now() - t0 < ms) {
      await c.fn();
      n++;
    }
  } else {
    const fn = c.fn;
    while (n < min || now() - t0 < ms) {
      fn();
      n++;
    }
  }
  return { n, ms: now() - t0 };
}

async function batch(c, iters) {
  const t0 = clock();
  if (c.async) {
    for (let i = 0; i < iters; i++) await c.fn();
  } else {
    const fn = c.fn;
    for (let i = 0; i < iters; i++) fn();
  }
  return (clock() - t0) / iters;
}

/** Median and quartiles of a sample. */
export function quantiles(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (f) => {
    const pos = f * (s.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return s[lo] + (s[hi] - s[lo]) * (pos - lo);
  };
  return { median: q(0.5), p25: q(0.25), p75: q(0.75), min: s[0], max: s[s.length - 1] };
}

/**
 * Measures every case of `cases` (all in one group) interleaved; returns one result per case:
 * { ...case, medianMs, p25Ms, p75Ms, minMs, spread (half the interquartile range over the median),
 *   iters (per batch), rounds, samples (ms per iteration, one per round), error? }.
 * A case that throws is reported with `error` and left out of the later rounds.
 * With `pairFloor` (the id of a floor case of the group), every round of every other case is preceded
 * by a batch of that floor, kept in the case's `floorSamples`: the floor timed within the case's own
 * rounds, next to each of its batches.
 */
export async function measureGroup(cases, { profile, onProgress, pairFloor = null }) {
  const { rounds, batchMs, warmMs } = profile;
  const state = cases.map((c) => ({ c, iters: 1, samples: [], floorSamples: [], error: null }));
  const paired = pairFloor ? state.find((s) => s.c.id === pairFloor) : null;
  let done = 0;
  const total = cases.length * (rounds + 1);
  for (const s of state) {
    onProgress?.(`warm-up ${s.c.label}`, done++, total);
    try {
      if (s.c.setup) await s.c.setup();
      const w = await spin(s.c, warmMs, 3);
      const per = w.ms / w.n;
      s.iters = Math.max(1, Math.round(batchMs / Math.max(per, 1e-6)));
    } catch (e) {
      s.error = e instanceof Error ? e.message : String(e);
    }
  }
  for (let r = 0; r < rounds; r++) {
    for (const s of state) {
      onProgress?.(`round ${r + 1}/${rounds} ${s.c.label}`, done++, total);
      if (s.error) continue;
      try {
        const f = paired && paired !== s && !paired.error ? await batch(paired.c, paired.iters) : NaN;
        s.samples.push(await batch(s.c, s.iters));
        s.floorSamples.push(f);
      } catch (e) {
        s.error = e instanceof Error ? e.message : String(e);
      }
    }
  }
  return state.map(({ c, iters, samples, floorSamples, error }) => {
    const { fn, setup, ...meta } = c;
    if (error || samples.length === 0) return { ...meta, error: error ?? 'no samples' };
    const q = quantiles(samples);
    return {
      ...meta,
      medianMs: q.median,
      p25Ms: q.p25,
      p75Ms: q.p75,
      minMs: q.min,
      spread: (q.p75 - q.p25) / 2 / q.median,
      iters,
      rounds: samples.length,
      samples,
      ...(floorSamples.every((f) => f === f) && floorSamples.length ? { floorSamples } : {}),
    };
  });
}

/** A one-line progress display on stderr (overwritten in place on a terminal). */
export function progressLine(prefix) {
  const tty = process.stderr.isTTY;
  let last = 0;
  return {
    update(msg, done, total) {
      const t = now();
      if (!tty && t - last < 2000) return;
      last = t;
      const pct = total ? Math.floor((100 * done) / total) : 0;
      const line = `${prefix} ${String(pct).padStart(3)}% ${msg}`;
      if (tty) process.stderr.write(`\r\x1b[K${line.slice(0, (process.stderr.columns || 100) - 1)}`);
      else process.stderr.write(`${line}\n`);
    },
    note(msg) {
      if (tty) process.stderr.write('\r\x1b[K');
      process.stderr.write(`${msg}\n`);
    },
    done() {
      if (tty) process.stderr.write('\r\x1b[K');
    },
  };
}
