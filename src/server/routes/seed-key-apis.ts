/**
 * The seeds' other key APIs (SPEC §10), on the same KeyService as /api/keys: Kolbo's
 * `/api/api-keys` and Orbit's `/api/v1/settings/api-keys`. A signed-in user (a JWT from the
 * `jwt` scheme) manages the keys of its own account here without holding the `keys` scope, as a
 * dashboard session would; a Switchboard key needs `keys`. Either way a new key holds at most the
 * caller's own scopes, and `admin` can never be granted here.
 */
import { Router, type RequestHandler } from 'express';
import type { ApiMiddleware } from '../../app.js';
import { GatewayError } from '../../errors.js';
import type { KeyCaller } from '../../keys/key-service.js';
import { NO_KEY_USAGE } from '../../keys/key-usage.js';
import type { KeyViewContext } from '../../keys/key-view.js';
import { parseKolboCreate, parseOrbitCreate } from '../../keys/seed-api-input.js';
import { kolboKeyDetail, kolboKeyView, orbitKeyView } from '../../keys/seed-api-views.js';
import type { Principal } from '../../plugins/types.js';
import { hasScope } from '../middleware/authenticate.js';
import { principalOf } from '../request-state.js';
import { noStore, param, type KeyRouteDeps } from './keys.js';

const MAX_LISTED = 500;

/** The caller as the key service sees it: a JWT session manages its own account's keys. */
function keyCaller(principal: Principal): KeyCaller {
  if (principal.scheme === 'jwt' && !hasScope(principal, 'keys')) return { ...principal, scopes: [...principal.scopes, 'keys'] };
  return principal;
}

const sessionOrKeysScope: RequestHandler = (_req, res, next) => {
  const principal = principalOf(res);
  if (principal.scheme !== 'jwt' && !hasScope(principal, 'keys')) throw new GatewayError('forbidden', 'This API key lacks the "keys" scope');
  next();
};

export function seedKeyApiRoutes(deps: KeyRouteDeps) {
  const view: KeyViewContext = { usage: deps.usage ?? NO_KEY_USAGE, lastUsedAt: (r) => deps.keyStore.lastUsedAt(r) };
  return (mw: ApiMiddleware): Router => {
    const router = Router();
    const manage = [mw.auth, sessionOrKeysScope];

    // ---- Kolbo: /api/api-keys ----
    router.post('/api/api-keys', ...manage, mw.body, async (req, res) => {
      const input = parseKolboCreate(req.body, deps.clock());
      const { key, record } = await deps.keys.create(keyCaller(principalOf(res)), input);
      noStore(res)
        .status(201)
        .json({
          status: true,
          data: kolboKeyView(record, view, deps.clock()),
          fullKey: key,
          message: 'API key created. Copy it now: it will not be shown again.',
        });
    });

    router.get('/api/api-keys', ...manage, async (_req, res) => {
      const { records } = await deps.keys.list(keyCaller(principalOf(res)), { offset: 0, limit: MAX_LISTED });
      const now = deps.clock();
      noStore(res).json({ status: true, data: records.map((r) => kolboKeyView(r, view, now)) });
    });

    router.get('/api/api-keys/:id', ...manage, async (req, res) => {
      const record = await deps.keys.get(keyCaller(principalOf(res)), param(req.params['id']));
      noStore(res).json({ status: true, data: kolboKeyDetail(record, view, deps.clock()) });
    });

    router.delete('/api/api-keys/:id', ...manage, async (req, res) => {
      const record = await deps.keys.revoke(keyCaller(principalOf(res)), param(req.params['id']));
      noStore(res).json({ status: true, data: { id: record.id }, message: 'API key revoked' });
    });

    // ---- Orbit: /api/v1/settings/api-keys ----
    router.post('/api/v1/settings/api-keys', ...manage, mw.body, async (req, res) => {
      const input = parseOrbitCreate(req.body, deps.clock());
      const { key, record } = await deps.keys.create(keyCaller(principalOf(res)), input);
      noStore(res)
        .status(201)
        .json({ data: { ...orbitKeyView(record), key } });
    });

    router.get('/api/v1/settings/api-keys', ...manage, async (_req, res) => {
      const { records } = await deps.keys.list(keyCaller(principalOf(res)), { offset: 0, limit: MAX_LISTED });
      noStore(res).json({ data: records.map(orbitKeyView) });
    });

    router.delete('/api/v1/settings/api-keys/:id', ...manage, async (req, res) => {
      const record = await deps.keys.revoke(keyCaller(principalOf(res)), param(req.params['id']));
      noStore(res).json({ data: { id: record.id, deleted: true } });
    });

    return router;
  };
}
