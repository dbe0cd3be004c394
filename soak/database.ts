/** The soak's own database access: a throwaway PostgreSQL database, one-off queries, the storage for setup. */
import pg from 'pg';
import {createLogger} from '../src/log.ts';
import {openStorage} from '../src/storage/open-storage.ts';
import type {Storage} from '../src/storage/storage.ts';
import {KEY} from './mode-run.ts';

export async function createDatabase(serverUrl: string): Promise<{url: string; drop: () => Promise<void>}> {
  const name = `callina_soak_${Date.now().toString(36)}`;
  await query(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {url: url.toString(), drop: async () => void (await query(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))};
}

export async function query<R extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({connectionString: url, application_name: 'soak'});
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export async function withStorage<T>(databaseUrl: string, work: (storage: Storage) => Promise<T>): Promise<T> {
  const storage = await openStorage({databaseUrl, encryptionKey: KEY, log: createLogger('silent')});
  try {
    return await work(storage);
  } finally {
    await storage.close();
  }
}
