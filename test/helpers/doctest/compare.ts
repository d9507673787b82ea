/** Comparing a statement's value with the VALUE of its `// →` comment. */
import { inspect, isDeepStrictEqual } from 'node:util';

/** A number written in a `// →` value: it matches at the precision written. */
export class WrittenNumber {
  constructor(
    readonly value: number,
    readonly text: string,
  ) {}

  /** Half a unit of the last written digit; 0 (exact) for an integer written without '.' or 'e'. */
  get tolerance(): number {
    const m = /^[-+]?(\d*)(?:\.(\d*))?(?:e([-+]?\d+))?$/i.exec(this.text.replace(/_/g, ''));
    if (!m || (m[2] === undefined && m[3] === undefined)) return 0;
    return 0.5 * 10 ** (Number(m[3] ?? 0) - (m[2] ?? '').length);
  }
}

function isArrayish(x: unknown): x is ArrayLike<unknown> {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

/** Null when `actual` matches `expected`, else where and how it differs. */
export function mismatch(actual: unknown, expected: unknown, path = ''): string | null {
  const here = path || 'value';
  if (expected instanceof WrittenNumber) {
    if (typeof actual !== 'number') return `${here}: expected a number ${expected.text}, got ${show(actual)}`;
    const tol = expected.tolerance;
    const ok =
      tol === 0
        ? actual === expected.value
        : Math.abs(actual - expected.value) <= tol * (1 + 1e-9) + Math.abs(expected.value) * 1e-15;
    return ok ? null : `${here}: expected ${expected.text}${tol ? ` (± ${tol})` : ''}, got ${show(actual)}`;
  }
  if (isArrayish(expected)) {
    if (!isArrayish(actual)) return `${here}: expected an array, got ${show(actual)}`;
    if (actual.length !== expected.length) {
      return `${here}: expected length ${expected.length}, got length ${actual.length}: ${show(actual)}`;
    }
    for (let i = 0; i < expected.length; i++) {
      const d = mismatch(actual[i], expected[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (expected instanceof Map) {
    if (!(actual instanceof Map)) return `${here}: expected a Map, got ${show(actual)}`;
    if (actual.size !== expected.size) return `${here}: expected ${expected.size} entries, got ${show(actual)}`;
    for (const [k, v] of expected) {
      if (!actual.has(k)) return `${here}: missing key ${show(k)} in ${show(actual)}`;
      const d = mismatch(actual.get(k), v, `${path}.get(${show(k)})`);
      if (d) return d;
    }
    return null;
  }
  if (expected instanceof Set) {
    if (!(actual instanceof Set) || actual.size !== expected.size || [...expected].some((v) => !actual.has(v))) {
      return `${here}: expected ${show(expected)}, got ${show(actual)}`;
    }
    return null;
  }
  if (expected !== null && typeof expected === 'object') {
    const proto = Object.getPrototypeOf(expected);
    if (proto === Object.prototype || proto === null) {
      if (actual === null || typeof actual !== 'object') return `${here}: expected an object, got ${show(actual)}`;
      const ek = Object.keys(expected).sort();
      const ak = Object.keys(actual).sort();
      if (ek.join('\0') !== ak.join('\0')) return `${here}: expected keys [${ek}], got keys [${ak}]`;
      for (const key of ek) {
        const d = mismatch((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${path}.${key}`);
        if (d) return d;
      }
      return null;
    }
    return isDeepStrictEqual(actual, expected) ? null : `${here}: expected ${show(expected)}, got ${show(actual)}`;
  }
  if (actual === expected || (Number.isNaN(actual) && Number.isNaN(expected))) return null;
  return `${here}: expected ${show(expected)}, got ${show(actual)}`;
}

export function show(x: unknown): string {
  return inspect(x, { depth: 4, maxArrayLength: 40, breakLength: Infinity });
}
