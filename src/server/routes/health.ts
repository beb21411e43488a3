/** Liveness and readiness. /readyz turns 503 as soon as draining starts. */
import { Router } from 'express';

export function healthRoutes(isDraining: () => boolean, isReady: () => boolean = () => true): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', (_req, res) => {
    if (isDraining()) res.status(503).json({ status: 'draining' });
    else if (!isReady()) res.status(503).json({ status: 'starting' });
    else res.json({ status: 'ready' });
  });
  return router;
}
