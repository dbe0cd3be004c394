import {defineConfig} from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Tests share loopback ports and temp databases, never module state.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
