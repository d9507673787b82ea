// Ratios, target checks and the markdown / JSON renderings of a bench run.

import { quantiles } from './harness.mjs';

/**
 * Bytes per call (net of the measuring loop's own) from which a case is named as allocating: one heap
 * number (16 B) every four calls. Below it, a window's own noise (up to ~1 KB of the runtime's in a
 * window of 500 calls or more) cannot be told from a case's.
 */
const ALLOC_FLAG = 4;

/**
 * Adds to each result of a group: overheadMs (the median of its restore floor), netMs (median −
 * overhead, never below 0), ratio, grossRatio (median / max floor) and met.
 * ratio is the median over rounds of (sample − overhead sample) / floor sample of the same round, so
 * that a slow patch of the machine, which hits a case and its floors in the same round alike, cancels;
 * the floor sample is the one timed right before the case's batch when the harness paired them
 * (`floorSamples`), else the group's floor of that round.
 */
export function analyseGroup(results, { checkTargets }) {
  const byId = new Map(results.map((r) => [r.id, r]));
  const floor = byId.get('floor:max');
  const floorMs = floor && !floor.error ? floor.medianMs : NaN;
  for (const r of results) {
    if (r.error) continue;
    const o = r.overhead ? byId.get(`floor:${r.overhead}`) : null;
    const over = o && !o.error ? o : null;
    r.overheadMs = over ? over.medianMs : 0;
    r.netMs = Math.max(0, r.medianMs - r.overheadMs);
    r.grossRatio = r.medianMs / floorMs;
    const n = r.samples?.length ?? 0;
    const fs = r.floorSamples ?? floor?.samples;
    if (floor && !floor.error && n > 0 && fs.length === n && (!over || over.samples.length === n)) {
      const per = r.samples.map((s, i) => Math.max(0, s - (over ? over.samples[i] : 0)) / fs[i]);
      r.ratio = quantiles(per).median;
    } else {
      r.ratio = r.netMs / floorMs;
    }
    if (checkTargets && r.target !== undefined) r.met = r.ratio <= r.target;
  }
  return floorMs;
}

/** For each sweepOf family: net time per context and the ratio of the longest to the shortest. */
export function sweeps(results, mainIds = ['repetitionPenalty', 'noRepeatNgram']) {
  const out = [];
  for (const fam of mainIds) {
    const pts = results
      .filter((r) => !r.error && (r.sweepOf === fam || r.id === fam) && r.ctx)
      .sort((a, b) => a.ctx - b.ctx)
      .map((r) => ({ ctx: r.ctx, netMs: r.netMs, ratio: r.ratio }));
    if (pts.length >= 2) {
      const first = pts[0], last = pts[pts.length - 1];
      out.push({ family: fam, points: pts, growth: last.netMs / first.netMs, from: first.ctx, to: last.ctx });
    }
  }
  return out;
}

const us = (ms) => (ms === undefined || Number.isNaN(ms) ? '—' : fmt(ms * 1000));
function fmt(x) {
  if (!Number.isFinite(x)) return String(x);
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  if (x >= 1) return x.toFixed(2);
  return x.toFixed(3);
}
const ratio = (x) => (x === undefined || Number.isNaN(x) ? '—' : `${fmt(x)}×`);
const pct = (x) => (x === undefined ? '—' : `±${(x * 100).toFixed(0)}%`);

function statsLine(stats) {
  const f = (s, d = 2) => `${s.median.toFixed(d)} (p10 ${s.p10.toFixed(d)}, p90 ${s.p90.toFixed(d)})`;
  return `entropy ${f(stats.entropy)} nats · top-1 p ${f(stats.top1)} · 0.9-nucleus ${f(stats.nucleus90, 0)} tokens (64 rows)`;
}

/** The markdown report of a run (also what is printed on the terminal). */
export function markdown(run) {
  const L = [];
  L.push(`# degen-guard bench (${run.meta.profile})`);
  L.push('');
  L.push(`${run.meta.date} · node ${run.meta.node} · ${run.meta.cpu} · seed ${run.meta.seed} · ${run.meta.rounds} interleaved rounds per case` +
    (run.meta.clock === 'cpu' ? ' · CPU-time clock' : '') + (run.meta.load ? ` · load average ${run.meta.load} at the start` : ''));
  L.push('');
  L.push('Ratios are net times (median − the restore floor of the case) over the max floor timed right before each of the case\'s batches. ' +
    '"fresh" is the same ratio measured again in a process of its own, where nothing else has run. Targets apply at V = 128,256, to both figures.');
  for (const g of run.groups) {
    L.push('');
    L.push(`## V = ${g.vocab.toLocaleString('en-US')}`);
    L.push('');
    L.push(`Inputs: ${statsLine(g.stats)}.`);
    L.push('');
    L.push(`CPU: ${run.meta.cpu}, node ${run.meta.node}.`);
    L.push('');
    L.push('| case | median µs | spread | restore µs | net µs | × max floor | fresh process | target | |');
    L.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const r of g.results) {
      if (r.provider) continue;
      const name = r.ctx ? `${r.label} · ctx ${r.ctx}` : r.label;
      if (r.error) {
        L.push(`| ${name} | error: ${r.error.replace(/\|/g, '/')} | | | | | | | |`);
        continue;
      }
      const target = r.target !== undefined ? `≤ ${r.target}×` : '';
      const ok = r.met === undefined ? '' : r.met ? 'met' : '**missed**';
      const note = r.note && r.note !== 'pipeline' ? ` (${r.note})` : '';
      const range = r.fresh?.runs?.length > 1 ? ` (${fmt(r.fresh.runs[0])}–${fmt(r.fresh.runs[r.fresh.runs.length - 1])})` : '';
      const fresh = r.floor ? '' : !r.fresh ? '—' : r.fresh.error ? `error: ${r.fresh.error.replace(/\|/g, '/')}` : ratio(r.fresh.ratio) + range;
      L.push(`| ${name}${note} | ${us(r.medianMs)} | ${pct(r.spread)} | ${r.overheadMs ? us(r.overheadMs) : ''} | ${us(r.netMs)} | ${ratio(r.ratio)} | ${fresh} | ${target} | ${ok} |`);
    }
    if (g.skipped.length) {
      L.push('');
      L.push(`Skipped: ${g.skipped.map((s) => `${s.label} (${s.reason})`).join('; ')}.`);
    }
    if (g.alloc?.length) {
      // net of the measuring loop's own bytes (heap.mjs)
      const bad = g.alloc.filter((a) => Number.isNaN(a.bytesPerCall) || a.bytesPerCall >= ALLOC_FLAG || a.scavenges > 0);
      L.push('');
      L.push(`Allocation per call (V8 new space, ${g.alloc.length} cases): ` + (bad.length
        ? bad.map((a) => `${a.label}${a.ctx ? ` · ctx ${a.ctx}` : ''} ${Number.isNaN(a.bytesPerCall) ? 'allocates in every window' : `${fmt(a.bytesPerCall)} B/call`}${a.scavenges ? ` (${a.scavenges} minor GCs in ${a.calls} calls)` : ''}`).join('; ') + `; no other case allocates ${ALLOC_FLAG} B/call or more (net of the measuring loop's own bytes).`
        : `none allocates ${ALLOC_FLAG} B/call or more, net of the measuring loop's own bytes.`));
    }
    if (g.sweeps?.length) {
      L.push('');
      L.push('Per-step cost against context length (net µs):');
      L.push('');
      for (const s of g.sweeps) {
        L.push(`- ${s.family}: ${s.points.map((p) => `${p.ctx}: ${us(p.netMs)}`).join(', ')} → ${s.to}/${s.from} = ${fmt(s.growth)}×`);
      }
    }
  }
  if (run.heap) {
    L.push('');
    L.push('## Allocation check');
    L.push('');
    for (const h of run.heap) {
      if (h.error) L.push(`- ${h.label}: not run — ${h.error}`);
      else L.push(`- ${h.label}: ${h.steps.toLocaleString('en-US')} steps: ${h.scavenges} minor GCs, heap retained ${signed(h.growthBytes)} B after a full GC; allocated ${fmt(h.bytesPerStep)} B/step (median of ${h.cleanWindows} windows of 300 steps)`);
    }
  }
  if (run.extra?.length) {
    L.push('');
    L.push('## Other benches (metrics, decoding)');
    L.push('');
    L.push(`CPU: ${run.meta.cpu}, node ${run.meta.node}.`);
    L.push('');
    L.push('| bench | case | median µs | floor µs | × floor |');
    L.push('| --- | --- | ---: | ---: | ---: |');
    for (const e of run.extra) {
      if (e.error) L.push(`| ${e.bench} | ${e.error} | | | |`);
      else for (const r of e.rows) L.push(`| ${e.bench} | ${r.name} | ${us(r.medianMs)} | ${us(r.floorMs)} | ${ratio(r.medianMs / r.floorMs)} |`);
    }
  }
  const tgt = run.groups.flatMap((g) => g.results.filter((r) => r.met !== undefined));
  if (tgt.length) {
    L.push('');
    L.push(`Targets: ${tgt.filter((r) => r.met).length} met, ${tgt.filter((r) => !r.met).length} missed` +
      (tgt.some((r) => !r.met) ? ` (${tgt.filter((r) => !r.met).map((r) => `${r.label} ${fmt(r.ratio)}×${r.fresh?.ratio !== undefined ? ` / fresh ${fmt(r.fresh.ratio)}×` : ''} > ${r.target}×`).join('; ')})` : '') + '.');
  }
  return L.join('\n') + '\n';
}

function signed(x) {
  return (x >= 0 ? '+' : '') + Math.round(x).toLocaleString('en-US');
}
