import {defineConfig} from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Tests share loopback ports and temp databases, never module state.
    pool: 'forks',
    // One PostgreSQL server per run (TEST_DATABASE_URL, or an embedded one).
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
