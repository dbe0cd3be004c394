import type {TestProject} from 'vitest/node';
import {startEmbeddedPostgres} from './helpers/embedded-postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The PostgreSQL server of this run; test/helpers/postgres.ts makes a database per test file on it. */
    testDatabaseUrl: string;
  }
}

/**
 * One PostgreSQL server for the whole run: TEST_DATABASE_URL when given,
 * else an embedded one started here and removed when the run ends.
 */
export default async function setup({provide}: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env.TEST_DATABASE_URL;
  if (given) {
    provide('testDatabaseUrl', given);
    return undefined;
  }
  const server = await startEmbeddedPostgres();
  provide('testDatabaseUrl', server.url);
  return server.stop;
}
