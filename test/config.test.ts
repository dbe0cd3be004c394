import {describe, expect, it} from 'vitest';
import {ConfigError, loadConfig} from '../src/config.ts';

describe('configuration', () => {
  it('runs on embedded defaults with nothing set', () => {
    expect(loadConfig({})).toMatchObject({
      port: 3000,
      appUrl: 'http://localhost:3000',
      databaseUrl: 'sqlite:./data/callina.sqlite',
      logLevel: 'info',
      lookupBudgetMs: 2000,
      replayWindowMs: 300_000,
      encryptionKey: undefined,
    });
  });

  it('derives APP_URL from PORT and drops a trailing slash', () => {
    expect(loadConfig({PORT: '8080'}).appUrl).toBe('http://localhost:8080');
    expect(loadConfig({APP_URL: 'https://calls.example.com/'}).appUrl).toBe('https://calls.example.com');
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({PORT: '', LOG_LEVEL: ''}).port).toBe(3000);
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({PORT: 'eighty', APP_URL: 'ftp://x', LOOKUP_BUDGET_MS: '5000', DATABASE_URL: 'mysql://x', ENCRYPTION_KEY: 'short', LOG_LEVEL: 'loud'});
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'APP_URL', 'LOOKUP_BUDGET_MS', 'DATABASE_URL', 'ENCRYPTION_KEY', 'LOG_LEVEL']) expect(problems).toContain(name);
    }
  });

  it('bounds the token refresh timeout: 10 s by default, 1–60 s when set', () => {
    expect(loadConfig({}).tokenRefreshTimeoutMs).toBe(10_000);
    expect(loadConfig({TOKEN_REFRESH_TIMEOUT_MS: '4000'}).tokenRefreshTimeoutMs).toBe(4000);
    for (const bad of ['0', '999', '60001', 'soon']) {
      expect(() => loadConfig({TOKEN_REFRESH_TIMEOUT_MS: bad})).toThrow(/TOKEN_REFRESH_TIMEOUT_MS/);
    }
  });

  it('is frozen', () => {
    expect(Object.isFrozen(loadConfig({}))).toBe(true);
  });
});
