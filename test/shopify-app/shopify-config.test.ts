import {describe, expect, it} from 'vitest';
import {ConfigError, loadConfig} from '../../src/config.ts';
import {startTestApp} from '../helpers/test-app.ts';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('Shopify app configuration', () => {
  it('runs without Shopify credentials and says what is missing', () => {
    const config = loadConfig({});
    expect(config.shopifyApp).toBeUndefined();
    expect(config.shopifyAppMissing).toEqual(['SHOPIFY_API_KEY', 'SHOPIFY_API_SECRET']);
  });

  it('takes key, secret and scopes, defaulting to the scopes of shopify.app.toml', () => {
    expect(loadConfig({SHOPIFY_API_KEY: 'key', SHOPIFY_API_SECRET: 'secret'}).shopifyApp).toEqual({apiKey: 'key', apiSecret: 'secret', scopes: ['read_orders', 'read_locales']});
    expect(loadConfig({SHOPIFY_API_KEY: 'key', SHOPIFY_API_SECRET: 'secret', SCOPES: ' read_orders '}).shopifyApp?.scopes).toEqual(['read_orders']);
    expect(loadConfig({SHOPIFY_API_KEY: 'key', SHOPIFY_API_SECRET: 'secret'}).shopifyAppMissing).toEqual([]);
  });

  it('lists a lone key or secret and bad scopes together with every other problem', () => {
    const found = problems({SHOPIFY_API_KEY: 'key', SCOPES: 'read_products,everything', PORT: 'eighty'}).join('\n');
    expect(found).toContain('SHOPIFY_API_SECRET: must be set together');
    expect(found).toContain('SCOPES');
    expect(found).toContain('PORT');
    expect(problems({SHOPIFY_API_SECRET: 'secret'}).join('\n')).toContain('SHOPIFY_API_KEY: must be set together');
    expect(problems({SCOPES: 'read_products'}).join('\n')).toContain('must include read_orders');
  });

  it('understands what `shopify app dev` sets: SHOPIFY_APP_URL, and HOST as a URL', () => {
    const config = loadConfig({HOST: 'https://tunnel.trycloudflare.com', SHOPIFY_APP_URL: 'https://tunnel.trycloudflare.com/'});
    expect(config.host).toBe('0.0.0.0');
    expect(config.appUrl).toBe('https://tunnel.trycloudflare.com');
    expect(loadConfig({APP_URL: 'https://calls.example.com', SHOPIFY_APP_URL: 'https://tunnel.example.com'}).appUrl).toBe('https://calls.example.com');
    expect(loadConfig({HOST: '127.0.0.1'}).host).toBe('127.0.0.1');
  });
});

describe('the service without Shopify credentials', () => {
  it('answers the app routes with 503 and keeps answering everything else', async () => {
    const app = await startTestApp();
    try {
      const page = await fetch(`${app.url}/?shop=anna-demo.myshopify.com`);
      expect(page.status).toBe(503);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(await page.text()).toContain('Shopify app not configured');
      for (const [method, path] of [['POST', '/webhooks/shopify'], ['GET', '/api/settings'], ['PUT', '/api/settings']]) {
        const res = await fetch(`${app.url}${path}`, {method});
        expect(res.status).toBe(503);
        expect(await res.json()).toEqual({error: 'shopify_app_not_configured', message: expect.stringContaining('SHOPIFY_API_KEY')});
      }
      expect((await fetch(`${app.url}/auth?shop=anna-demo.myshopify.com`)).status).toBe(503);
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
