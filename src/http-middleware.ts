import {STATUS_CODES} from 'node:http';
import type {Context, Middleware} from 'koa';
import type {Logger} from './log.ts';

/** Told of every request once its final status is known (metrics). */
export type RequestObserver = (ctx: Context, ms: number) => void;

/**
 * One log line per request, and the one error funnel: HttpErrors (and
 * Koa's own exposed errors) answer with their status and a JSON body;
 * anything else is logged and answers a bare 500. `observe` sees every
 * request's final status and time (one middleware instead of two: each
 * layer costs every warm call a promise and a closure).
 */
export function requestLogAndErrors(log: Logger, observe?: RequestObserver): Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    ctx.state.receivedAt = started;
    ctx.state.log = {};
    try {
      await next();
      if (ctx.status === 404 && ctx.body == null) {
        ctx.body = {error: 'not_found', message: 'no such route'};
        ctx.status = 404;
      }
    } catch (error) {
      const e = error as {status?: number; expose?: boolean; code?: string; message?: string};
      const status = e.status && e.status >= 400 && e.status < 600 ? e.status : 500;
      if (status >= 500 || !e.expose) log.error({err: error, path: loggedPath(ctx)}, 'request failed');
      ctx.status = status;
      ctx.body =
        e.expose // HttpErrors, 503 storage_unavailable included; Koa's own 5xx never expose
          ? {error: typeof e.code === 'string' ? e.code : codeOf(status), message: e.message}
          : {error: 'internal', message: 'internal error'};
    } finally {
      const ms = performance.now() - started;
      observe?.(ctx, ms);
      // Health probes would drown the log; everything else gets its line.
      const path = loggedPath(ctx);
      if (path !== '/healthz' && path !== '/readyz') {
        log.info({...ctx.state.log, method: ctx.method, path, status: ctx.status, ms: Math.round(ms * 10) / 10}, 'request');
      }
    }
  };
}

/** 405 → "method_not_allowed", for Koa's own errors that carry no code. */
function codeOf(status: number): string {
  return (STATUS_CODES[status] ?? 'error').toLowerCase().replace(/[^a-z]+/g, '_');
}

/**
 * The path as logs may show it. The hook id in a Callina URL is a
 * credential, so a routed request is named by its route ("/callina/:hookId")
 * and any other path is masked: a Callina-like path in any letter case or
 * encoding, and every run of characters long enough to be a hook id.
 */
export function loggedPath(ctx: Context): string {
  const route = (ctx as {_matchedRoute?: unknown})._matchedRoute;
  if (typeof route === 'string') return route;
  const path = safeDecode(ctx.path);
  if (/^[/.]*callina(\/|$)/i.test(path)) return '/callina/:hookId';
  return path.replace(/[A-Za-z0-9_-]{20,}/g, ':redacted');
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
