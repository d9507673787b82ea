/** Finding and loading the demo's training text (Node only): data/kjv-genesis.txt of the package. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KneserNeyModel, type KneserNeyOptions } from './kneser-ney.js';
import { WordTokenizer, wordTokens } from './tokenizer.js';

/** The training text's path inside the package. */
export const CORPUS_FILE = join('data', 'kjv-genesis.txt');

/**
 * Walks up from `start` (default: this module's directory, then the working directory) until
 * `data/kjv-genesis.txt` exists, and returns its path.
 */
export function findCorpus(start?: string): string {
  const starts = start ? [start] : [dirname(fileURLToPath(import.meta.url)), process.cwd()];
  for (let dir of starts) {
    for (;;) {
      const candidate = join(dir, CORPUS_FILE);
      if (existsSync(candidate)) return candidate;
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  throw new Error(`cannot find ${CORPUS_FILE} above ${starts.join(' or ')}; pass --data <file>`);
}

/** The demo model and its tokenizer, trained on the text at `path` (default: the bundled Genesis). */
export function loadDemoModel(path?: string, options?: KneserNeyOptions): { model: KneserNeyModel; tokenizer: WordTokenizer; text: string; trainMs: number } {
  const file = resolve(path ?? findCorpus());
  const text = readFileSync(file, 'utf8');
  const t0 = performance.now();
  const tokenizer = WordTokenizer.fromText(text);
  const ids = Int32Array.from(wordTokens(text), (w) => tokenizer.idOf(w));
  const model = KneserNeyModel.train(ids, tokenizer.size, options);
  return { model, tokenizer, text, trainMs: performance.now() - t0 };
}
