/**
 * GET /metrics in the Prometheus text format. `metrics.enabled: false` → 404 (as if the route
 * did not exist); with `metrics.token` set, a missing or wrong bearer token → 401.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { Registry } from 'prom-client';
import type { Config } from '../../config/types.js';
import { GatewayError } from '../../errors.js';

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function bearerOf(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return match?.[1]?.trim();
}

export function metricsRoutes(registry: Registry, settings: () => Config['metrics']): Router {
  const router = Router();
  router.get('/metrics', async (req, res, next) => {
    const { enabled, token } = settings();
    if (!enabled) return next();
    if (token) {
      const given = bearerOf(req.headers.authorization);
      if (given === undefined || !sameSecret(given, token)) {
        throw new GatewayError('auth_invalid', 'Invalid or missing metrics token', { headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' } });
      }
    }
    const body = await registry.metrics();
    res.setHeader('Content-Type', registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(body);
  });
  return router;
}
