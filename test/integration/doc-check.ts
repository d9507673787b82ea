// The checks a ```ts integration block's `// → VALUE` and `// throws …` comments turn into.

/** Compares at the precision written: 0.665 matches 0.66524; typed arrays compare as number arrays. */
function same(actual: unknown, expected: unknown): boolean {
  if (ArrayBuffer.isView(actual) && !(actual instanceof DataView)) actual = Array.from(actual as unknown as ArrayLike<number>);
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (!Number.isFinite(expected) || Number.isInteger(expected)) return Object.is(actual, expected) || actual === expected;
    const decimals = (String(expected).split('.')[1] ?? '').length;
    return Math.abs(actual - expected) <= 0.5 * 10 ** -decimals + 1e-12;
  }
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => same((actual as unknown[])[i], e));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return false;
    const keys = Object.keys(expected);
    return keys.length === Object.keys(actual).length && keys.every((k) => same((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k]));
  }
  return Object.is(actual, expected);
}

export function __check(actual: unknown, expected: unknown, written: string, line: number): void {
  if (!same(actual, expected)) {
    const shown = ArrayBuffer.isView(actual) ? Array.from(actual as unknown as ArrayLike<number>) : actual;
    throw new Error(`line ${line}: expected ${written}, got ${JSON.stringify(shown, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))}`);
  }
}

export async function __throws(run: () => Promise<void>, cls: string, text: string, line: number): Promise<void> {
  try {
    await run();
  } catch (e) {
    const err = e as Error;
    if (err?.constructor?.name !== cls || !String(err.message).includes(text)) {
      throw new Error(`line ${line}: expected ${cls} with "${text}", got ${err?.constructor?.name}: ${err?.message}`);
    }
    return;
  }
  throw new Error(`line ${line}: expected ${cls} with "${text}", nothing was thrown`);
}
