// One case of bench/cases/specs.mjs measured in a process of its own (spawned by run.mjs; nothing
// else of the library has run in it): the case, the max floor (timed right before each of the case's
// batches) and the case's restore floor, interleaved in the same rounds. Prints the result as JSON.
//
//   node bench/fresh-case.mjs --case=<id> --vocab=V [--sweep] [--quick] [--seed=N] [--clock=wall|cpu]

import { buildCases, libProvider } from './cases/build.mjs';
import { makeInputs } from './cases/inputs.mjs';
import { CONTEXTS, MAIN_CTX, specs } from './cases/specs.mjs';
import { PROFILES, measureGroup, setClock } from './harness.mjs';
import { analyseGroup } from './report.mjs';
import { loadLib } from './run.mjs';

const arg = (name, dflt) => {
  const a = process.argv.find((x) => x === `--${name}` || x.startsWith(`--${name}=`));
  if (!a) return dflt;
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : true;
};

const id = arg('case');
const vocab = Number(arg('vocab'));
const sweep = arg('sweep', false) === true;
setClock(arg('clock', 'wall'));
const profile = arg('quick', false) === true ? PROFILES.quick : PROFILES.full;
const lib = await loadLib();
const spec = specs({ sweep }).find((s) => s.id === id);
if (!spec) throw new Error(`no case ${id}`);
// the same inputs as the in-run group (a context's tokens depend on the longest context generated)
const inputs = makeInputs(vocab, sweep ? CONTEXTS : [MAIN_CTX], { seed: Number(arg('seed', 1)) });
const { cases } = buildCases(libProvider(lib), inputs, [spec], `V=${vocab} fresh`);
const c = cases.find((x) => x.id === id);
if (!c) {
  process.stdout.write(JSON.stringify({ id, error: 'skipped' }) + '\n');
} else {
  const keep = cases.filter((x) => x === c || x.id === 'floor:max' || x.id === `floor:${c.overhead}`);
  const results = await measureGroup(keep, { profile, pairFloor: 'floor:max' });
  analyseGroup(results, { checkTargets: false });
  const r = results.find((x) => x.id === id);
  const floor = results.find((x) => x.id === 'floor:max');
  process.stdout.write(JSON.stringify({ id, ratio: r.ratio, medianMs: r.medianMs, netMs: r.netMs, spread: r.spread, floorMs: floor?.medianMs, error: r.error }) + '\n');
}
