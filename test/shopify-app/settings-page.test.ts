import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {TestApp} from '../helpers/test-app.ts';
import {API_KEY, SHOP, startShopifyApp} from './shopify-app-helpers.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startShopifyApp();
});
afterAll(() => app.close());

describe('GET / — the embedded settings page', () => {
  it('may be framed only by the shop and the Shopify admin, and loads App Bridge first with our API key', async () => {
    const res = await fetch(`${app.url}/?embedded=1&shop=${SHOP}&host=YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvYW5uYS1kZW1v`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toBe(`frame-ancestors https://${SHOP} https://admin.shopify.com; object-src 'none'; base-uri 'none'`);
    expect(res.headers.get('x-frame-options')).toBeNull();
    const html = await res.text();
    expect(html).toContain(`<meta name="shopify-api-key" content="${API_KEY}">`);
    const firstScript = /<script[^>]*>/.exec(html)![0];
    expect(firstScript).toBe('<script src="https://cdn.shopify.com/shopifycloud/app-bridge.js">');
    expect(html).not.toMatch(/callina\/[A-Za-z0-9_-]{24}/);
  });

  it('explains itself with a 400 page when opened without a valid shop', async () => {
    for (const query of ['', '?shop=evil.example.com', '?shop=a.myshopify.com%22%3E%3Cscript%3E']) {
      const res = await fetch(`${app.url}/${query}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-security-policy')).toBeNull();
      const html = await res.text();
      expect(html).toContain('Open the app from your Shopify admin');
      expect(html).not.toContain('<script>');
    }
  });

  it('serves its script and stylesheet, and nothing else from /static', async () => {
    const js = await fetch(`${app.url}/static/settings.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toContain('shopify.idToken()');
    expect((await fetch(`${app.url}/static/settings.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    for (const file of ['settings.html', 'constructor', '..%2Fsettings-page.ts']) {
      expect((await fetch(`${app.url}/static/${file}`)).status).toBe(404);
    }
  });
});
