/**
 * How the decoding loops treat stateful samplers and processors (Mirostat's μ, XTC's generator):
 * reset at the start of a sequence, and after a back-off rewind restored to the state they had
 * after the kept prefix. See docs/llama-cpp.md ("State").
 */
import type { Stateful } from '../core/types.js';

/** True when `x` carries the {@link Stateful} methods. */
export function isStateful(x: unknown): x is Stateful {
  const s = x as Partial<Stateful> | null;
  return (
    s != null &&
    (typeof s === 'object' || typeof s === 'function') &&
    typeof s.reset === 'function' &&
    typeof s.getState === 'function' &&
    typeof s.setState === 'function'
  );
}

/** The stateful parts of samplers/processors/pipelines (a pipeline's `processors` are searched), each once. */
export function statefulParts(...things: unknown[]): Stateful[] {
  const out: Stateful[] = [];
  const visit = (x: unknown): void => {
    if (x == null) return;
    if (Array.isArray(x)) {
      x.forEach(visit);
      return;
    }
    if (isStateful(x)) {
      if (!out.includes(x)) out.push(x);
      return;
    }
    const inner = (x as { processors?: unknown }).processors;
    if (Array.isArray(inner)) inner.forEach(visit);
  };
  things.forEach(visit);
  return out;
}

/** Resets every stateful part (start of a sequence). */
export function resetStateful(...things: unknown[]): void {
  for (const s of statefulParts(...things)) s.reset();
}

/**
 * A record of the stateful parts' states before each generated token, so that a rewind to
 * `length` generated tokens restores the state they had right after that prefix. Costs nothing
 * when there is no stateful part.
 */
export class StateTrail {
  private readonly parts: Stateful[];
  private readonly saved: Float64Array[][] = [];

  constructor(...things: unknown[]) {
    this.parts = statefulParts(...things);
  }

  /** Resets every part and forgets the record (start of a sequence). */
  reset(): void {
    for (const s of this.parts) s.reset();
    this.saved.length = 0;
  }

  /** Records the states before generated token `index` is chosen. */
  mark(index: number): void {
    if (this.parts.length === 0) return;
    this.saved[index] = this.parts.map((s) => s.getState());
    this.saved.length = index + 1;
  }

  /** Restores the states recorded before generated token `length` (after a rewind to that length). */
  rewind(length: number): void {
    const st = this.saved[length];
    if (!st) return;
    this.parts.forEach((s, i) => s.setState(st[i]));
    this.saved.length = length + 1;
  }
}
