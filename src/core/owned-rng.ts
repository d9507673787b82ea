/**
 * A random generator owned by a stateful sampler or processor, with the state it had at
 * construction (what `reset()` goes back to, as llama.cpp reseeds its samplers on reset).
 */
import type { Rng } from './types.js';

/** Throws a TypeError unless `rng` looks like an {@link Rng} (next, getState, setState, clone). */
export function checkRng(name: string, rng: unknown): Rng {
  const r = rng as Rng;
  if (r == null || typeof r.next !== 'function' || typeof r.getState !== 'function' || typeof r.setState !== 'function' || typeof r.clone !== 'function') {
    throw new TypeError(`${name} must be an Rng (from createRng), got ${String(rng)}`);
  }
  return r;
}

/** An owned generator and its construction state. */
export class OwnedRng {
  constructor(
    readonly rng: Rng,
    private readonly initial: Uint32Array = rng.getState(),
  ) {}

  /** Back to the construction state. */
  reset(): void {
    this.rng.setState(this.initial);
  }

  /** An independent copy: same current state, same construction state. */
  clone(): OwnedRng {
    return new OwnedRng(this.rng.clone(), this.initial);
  }
}
