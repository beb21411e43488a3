/**
 * The route template a request matched ("/api/keys/:id"), for metrics labels and request logs:
 * never the raw path, which holds ids and whatever a client typed. Captured when the response
 * head is written, while Express still knows the matched route and its mount path; requests no
 * route matched (404s, failures in router-level middleware) are "unmatched".
 */
import type { Request, Response } from 'express';
import { onResponseHead } from './response-hooks.js';

export const UNMATCHED = 'unmatched';
const KEY = 'switchboardRouteTemplate';

interface MatchedRoute {
  readonly path: unknown;
}

function segmentsMatch(template: string, path: string): boolean {
  const t = template.split('/');
  const p = path.split('/');
  if (t.length !== p.length) return false;
  return t.every((seg, i) => seg.startsWith(':') || seg.toLowerCase() === p[i]!.toLowerCase());
}

function pickTemplate(routePath: unknown, path: string): string | undefined {
  if (typeof routePath === 'string') return routePath;
  if (!Array.isArray(routePath)) return undefined;
  let first: string | undefined;
  for (const p of routePath) {
    if (typeof p !== 'string') continue;
    if (p === path) return p;
    first ??= p;
  }
  if (first === undefined) return undefined;
  for (const p of routePath) if (typeof p === 'string' && segmentsMatch(p, path)) return p;
  return first;
}

/** Computes the template from the request as it is now. */
export function currentRouteTemplate(req: Request): string {
  const route = (req as Request & { route?: MatchedRoute }).route;
  if (!route) return UNMATCHED;
  const template = pickTemplate(route.path, req.path);
  if (template === undefined) return UNMATCHED;
  const full = `${req.baseUrl ?? ''}${template}`;
  return full === '' ? '/' : full;
}

/** Remembers the template at the moment the response head is written (idempotent per response). */
export function trackRouteTemplate(req: Request, res: Response): void {
  const locals = res.locals as Record<string, unknown>;
  if (KEY in locals) return;
  locals[KEY] = undefined;
  onResponseHead(res, () => {
    if (locals[KEY] === undefined) locals[KEY] = currentRouteTemplate(req);
  });
}

/** The template captured by trackRouteTemplate, or the current one. */
export function routeTemplateOf(req: Request, res: Response): string {
  const captured = (res.locals as Record<string, unknown>)[KEY];
  return typeof captured === 'string' ? captured : currentRouteTemplate(req);
}
