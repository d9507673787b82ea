// Property tests run from one fixed seed, so that CI is reproducible: a failure found once is found
// again by every run. FC_SEED=<integer> replays another seed; FC_SEED=random explores new ones
// (fast-check prints the seed and path of any counterexample it finds).
import fc from 'fast-check';

const raw = process.env.FC_SEED;
if (raw !== 'random') {
  const seed = raw === undefined ? 20261204 : Number(raw);
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer or "random", got ${raw}`);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
}
