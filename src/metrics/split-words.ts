/**
 * Word splitting exactly as the reference Python code does it, so that word-level metrics give the
 * published numbers.
 */

/**
 * Python's `str.split()` whitespace: `\t \n \v \f \r \x1c–\x1f space \x85 \xa0 \u1680 \u2000–\u200a
 * \u2028 \u2029 \u202f \u205f \u3000`. Unlike JS `\s` it includes `\x1c–\x1f` and `\x85` and
 * excludes `\ufeff`.
 */
export const PY_WHITESPACE = '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

const WS_RUN = /* @__PURE__ */ new RegExp(`[${PY_WHITESPACE}]+`);

/**
 * Splits `text` into words exactly as Python's `text.split()` (no argument) does: on runs of
 * Python whitespace, with no empty strings. This is the tokenisation of SimCTG's rep-n/diversity and
 * of Welleck et al.'s word-level files.
 *
 * @example
 * ```ts
 * import { splitWords } from 'degen-guard';
 *
 * splitWords('  a\tb\u3000c\n'); // → ['a', 'b', 'c']
 * // (U+FEFF is not whitespace to Python)
 * splitWords('a\ufeffb'); // → ['a\ufeffb']
 * ```
 */
export function splitWords(text: string): string[] {
  if (typeof text !== 'string') throw new TypeError(`text must be a string, got ${typeof text}`);
  const parts = text.split(WS_RUN);
  let from = 0;
  let to = parts.length;
  if (to > 0 && parts[0] === '') from = 1;
  if (to > from && parts[to - 1] === '') to--;
  return from === 0 && to === parts.length ? parts : parts.slice(from, to);
}

const WORD = '\\p{L}\\p{N}_';
const RETOK = /* @__PURE__ */ new RegExp(`[${WORD}]+|[^${WORD}${PY_WHITESPACE}]|\\n`, 'gu');

/**
 * Splits `text` into words, single punctuation marks and newlines, as Welleck et al.'s GPT-2
 * word-level metrics do (`re.findall(r'\w+|[^\w\s]|\n', text, re.UNICODE)`), with Python's Unicode
 * `\w` (letters, digits, underscore) and whitespace.
 *
 * @example
 * ```ts
 * import { splitWordsAndPunct } from 'degen-guard';
 *
 * splitWordsAndPunct('Café, naïve!\n'); // → ['Café', ',', 'naïve', '!', '\n']
 * ```
 */
export function splitWordsAndPunct(text: string): string[] {
  if (typeof text !== 'string') throw new TypeError(`text must be a string, got ${typeof text}`);
  return text.match(RETOK) ?? [];
}
