import {randomBytes} from 'node:crypto';
import pg from 'pg';
import {inject} from 'vitest';

/** The run's server (test/global-setup.ts); each test file gets a database of its own on it. */
export const TEST_DATABASE_URL = inject('testDatabaseUrl');

/** Runs one statement on its own connection to `url`. */
export async function sql<R extends pg.QueryResultRow = pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({connectionString: url});
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** A fresh database, so parallel test files never see each other's rows, locks or notifications. */
export async function createTestDatabase(): Promise<{url: string; drop: () => Promise<void>}> {
  const name = `callina_test_${randomBytes(6).toString('hex')}`;
  await sql(TEST_DATABASE_URL, `CREATE DATABASE ${name}`);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // FORCE: a connection a failed test left open must not keep the database alive.
    drop: async () => void (await sql(TEST_DATABASE_URL, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

/** Empties a test database completely, migrations included, between tests. */
export async function resetDatabase(url: string): Promise<void> {
  await sql(url, 'DROP SCHEMA public CASCADE; CREATE SCHEMA public');
}
