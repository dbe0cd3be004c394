import type {Context} from 'koa';

const ENTITIES: Record<string, string> = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/**
 * Answers a browser flow (install, OAuth callback, the page itself) with a
 * small, self-contained HTML page: a person reads it, not a program.
 */
export function sendHtmlPage(ctx: Context, status: number, title: string, message: string, link?: {href: string; label: string}): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  const action = link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>` : '';
  ctx.body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:-apple-system,BlinkMacSystemFont,"San Francisco","Segoe UI",Roboto,"Helvetica Neue",sans-serif;background:#f1f1f1;color:#303030;margin:0;padding:48px 16px}
main{max-width:560px;margin:0 auto;background:#fff;border-radius:12px;box-shadow:0 1px 0 rgba(26,26,26,.07),0 0 0 1px rgba(26,26,26,.08);padding:20px 24px}
h1{font-size:16px;margin:0 0 8px}p{font-size:14px;line-height:20px;margin:8px 0}a{color:#005bd3}</style></head>
<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${action}</main></body></html>`;
}
