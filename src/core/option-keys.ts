/**
 * Unknown option keys are errors: a misspelt option must never be silently ignored. The message
 * names the key and suggests the nearest valid one (the camelCase name for an HF snake_case key).
 */

/** `max_new_tokens` → `maxNewTokens`. */
export function camelCase(key: string): string {
  return key.replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Edit distance between two short strings (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    prev = cur;
  }
  return prev[b.length];
}

/** The valid key a user most likely meant by `key`, or null when none is close. */
export function nearestKey(key: string, allowed: readonly string[]): string | null {
  // the camelCase spelling of a snake_case key, when valid, is at distance 0
  let best: string | null = null;
  let bestDistance = Infinity;
  const lower = camelCase(key).toLowerCase();
  for (const name of allowed) {
    const d = editDistance(lower, name.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = name;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 4)) ? best : null;
}

/**
 * Throws unless `options` is undefined, null or an object whose own keys are all in `allowed`.
 * `where` names the function or class the options belong to, e.g. `"topP options"`.
 *
 * @example
 * ```ts
 * import { checkOptionKeys } from './option-keys.js';
 *
 * checkOptionKeys('topP options', { minTokenToKeep: 3 }, ['minTokensToKeep', 'filterValue']); // throws TypeError: topP options: unknown option "minTokenToKeep" (did you mean "minTokensToKeep"?)
 * ```
 */
export function checkOptionKeys(where: string, options: unknown, allowed: readonly string[]): void {
  if (options === undefined || options === null) return;
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${where} must be an object, got ${Array.isArray(options) ? 'an array' : typeof options}`);
  }
  for (const key of Object.keys(options)) {
    if (allowed.includes(key)) continue;
    const near = nearestKey(key, allowed);
    const hint = near ? ` (did you mean "${near}"?)` : ` (valid options: ${allowed.join(', ')})`;
    throw new TypeError(`${where}: unknown option "${key}"${hint}`);
  }
}
