import { defineConfig } from 'vitest/config';

/** `vitest run -c vitest.soak.config.ts` (npm run test:soak): the long reliability runs. */
export default defineConfig({
  test: {
    include: ['test/soak/**/*.test.ts'],
    environment: 'node',
    testTimeout: 1_800_000,
    hookTimeout: 600_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
