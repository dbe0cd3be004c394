import {Router} from '@koa/router';
import type {DefaultState} from 'koa';

/**
 * Every router of the app: paths match case-sensitively. @koa/router's
 * default ignores letter case for routes but not for prefix middleware
 * (`router.use` under a prefix), so "/API/settings" once reached its
 * handler past the session-token check. One spelling per route, and every
 * check keyed on a path sees exactly what the router serves.
 */
export function createRouter<State = DefaultState>(options: {prefix?: string} = {}): Router<State> {
  return new Router<State>({...options, sensitive: true});
}
