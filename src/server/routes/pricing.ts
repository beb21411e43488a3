/** GET /api/pricing: what the caller pays per 1M tokens, billing.overhead included. */
import { Router } from 'express';
import type { ApiMiddleware } from '../../app.js';
import { priceWithOverhead } from '../../billing/price.js';
import type { Runtime } from '../../gateway/runtime.js';
import { requireScope } from '../middleware/authenticate.js';

export function pricingRoutes(runtime: () => Runtime) {
  return (mw: ApiMiddleware): Router => {
    const router = Router();
    router.get('/api/pricing', mw.auth, requireScope('read'), (_req, res) => {
      const current = runtime();
      const overhead = current.config.billing.overhead;
      const models = [...current.models.values()].map((m) => ({
        id: m.id,
        name: m.name,
        inputPer1M: priceWithOverhead(m.inputPer1M, overhead),
        outputPer1M: priceWithOverhead(m.outputPer1M, overhead),
        cacheReadPer1M: priceWithOverhead(m.cachedInputPer1M, overhead),
        cacheWritePer1M: priceWithOverhead(m.cacheWritePer1M, overhead),
      }));
      res.json({ models });
    });
    return router;
  };
}
