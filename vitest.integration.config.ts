// Integration tests on the real model through transformers.js (test/integration, its own package:
// npm install --prefix test/integration --ignore-scripts --no-audit --no-fund).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string): string => fileURLToPath(new URL(`./src/${p}`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^degen-guard\/transformers-js$/, replacement: src('integrations/transformers-js/index.ts') },
      { find: /^degen-guard$/, replacement: src('index.ts') },
    ],
  },
  test: {
    include: ['test/integration/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // one ONNX Runtime process at a time: the machine's cores are shared
    fileParallelism: false,
  },
});
