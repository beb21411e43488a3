/** POST /api/admin/reload: re-read the YAML; an invalid file is a 400 listing every error, the old config keeps serving. */
import { Router } from 'express';
import type { ApiMiddleware } from '../../app.js';
import { ConfigError } from '../../config/errors.js';
import { requireScope } from '../middleware/authenticate.js';

export function adminReloadRoutes(reload: () => Promise<void>) {
  return (mw: ApiMiddleware): Router => {
    const router = Router();
    router.post('/api/admin/reload', mw.auth, requireScope('admin'), async (_req, res) => {
      try {
        await reload();
      } catch (err) {
        if (err instanceof ConfigError) {
          res.status(400).json({ error: 'Invalid configuration; the previous configuration keeps serving', errors: err.errors });
          return;
        }
        throw err;
      }
      res.json({ status: 'reloaded' });
    });
    return router;
  };
}
