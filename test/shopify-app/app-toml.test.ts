import {readFileSync} from 'node:fs';
import {ApiVersion} from '@shopify/shopify-api';
import {describe, expect, it} from 'vitest';
import {loadConfig} from '../../src/config.ts';
import {WEBHOOK_TOPICS} from '../../src/shopify-app/webhook-topics.ts';

const toml = readFileSync(new URL('../../shopify.app.toml', import.meta.url), 'utf8');

/** The string arrays assigned to `key` anywhere in the file (our TOML keeps them on one line). */
function arrays(key: string): string[] {
  return [...toml.matchAll(new RegExp(`^\\s*${key}\\s*=\\s*\\[([^\\]]*)\\]`, 'gm'))].flatMap((m) => [...m[1]!.matchAll(/"([^"]+)"/g)].map((q) => q[1]!));
}

describe('shopify.app.toml', () => {
  it('subscribes to exactly the topics the webhook endpoint handles', () => {
    const subscribed = [...arrays('topics'), ...arrays('compliance_topics')].map((t) => t.toUpperCase().replace(/[/.]/g, '_'));
    expect(subscribed.sort()).toEqual(Object.keys(WEBHOOK_TOPICS).sort());
    expect(toml.match(/^\s*uri = "([^"]+)"/gm)?.every((line) => line.includes('"/webhooks/shopify"'))).toBe(true);
  });

  it('uses the API version the app is built for, requests read_orders and runs the managed install', () => {
    expect(toml).toMatch(new RegExp(`^api_version = "${ApiVersion.October26}"$`, 'm'));
    expect(/^scopes = "([^"]+)"$/m.exec(toml)![1]!.split(',')).toEqual(['read_orders', 'read_locales']);
    // Caller lookup's scope is optional: an install without it must not fail.
    expect(arrays('optional_scopes')).toEqual(['read_customers']);
    expect(toml).toMatch(/^use_legacy_install_flow = false$/m);
    expect(arrays('redirect_urls')).toEqual(['https://callina.example.com/auth/callback']);
  });

  it('asks for the same scopes as SCOPES does by default', () => {
    const scopes = /^scopes = "([^"]+)"$/m.exec(toml)![1]!.split(',');
    expect(loadConfig({SHOPIFY_API_KEY: 'k', SHOPIFY_API_SECRET: 's'}).shopifyApp?.scopes).toEqual(scopes);
  });
});
