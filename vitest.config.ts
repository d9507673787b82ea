import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // the real-model tests have their own package and config (vitest.integration.config.ts)
    exclude: ['test/integration/**', '**/node_modules/**'],
    testTimeout: 60_000,
    setupFiles: ['test/helpers/fast-check-seed.ts'],
  },
});
