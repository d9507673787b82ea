/** Loading the llama.cpp vectors in test/fixtures/llama (format: test/fixtures/llama/README.md). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesDir } from './fixtures.js';

/** One case of tests/test-sampling.cpp. */
export interface LlamaCase {
  sampler: string;
  line: number;
  probs: number[];
  expected: number[];
  last_tokens?: number[];
  params: Record<string, number & number[][]>;
  order: 'id' | 'desc' | 'any';
  renormalized: boolean;
}

/** The cases of test-sampling.json. */
export const llamaCases: LlamaCase[] = JSON.parse(readFileSync(join(fixturesDir, 'llama', 'test-sampling.json'), 'utf8')).cases;
