/**
 * OpenRouter-format key management, so @openrouter/sdk's apiKeys.* works against Switchboard:
 * /api/v1/keys (GET, POST), /api/v1/keys/:hash (GET, PATCH, DELETE), GET /api/v1/key.
 * `:hash` is our key id (see keys/openrouter-view.ts). Same rules as /api/keys (KeyService).
 */
import { Router } from 'express';
import type { ApiMiddleware } from '../../app.js';
import { GatewayError } from '../../errors.js';
import { parseOpenRouterCreate, parseOpenRouterPatch, parsePage } from '../../keys/key-input.js';
import { NO_KEY_USAGE } from '../../keys/key-usage.js';
import { openRouterCurrentKeyView, openRouterKeyView } from '../../keys/openrouter-view.js';
import { requireScope } from '../middleware/authenticate.js';
import { principalOf } from '../request-state.js';
import { noStore, param, type KeyRouteDeps } from './keys.js';

/** OpenRouter pages its key list by offset only, 100 at a time. */
const PAGE_SIZE = 100;

function parseIncludeDisabled(value: unknown): boolean {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new GatewayError('request_invalid', 'include_disabled: must be true or false');
}

export function openRouterKeyRoutes(deps: KeyRouteDeps) {
  const usage = deps.usage ?? NO_KEY_USAGE;
  return (mw: ApiMiddleware): Router => {
    const router = Router();
    const manage = [mw.auth, requireScope('keys')];

    router.get('/api/v1/keys', ...manage, async (req, res) => {
      const query = req.query as Record<string, unknown>;
      const { offset } = parsePage({ offset: query['offset'] }, PAGE_SIZE, PAGE_SIZE);
      const includeDisabled = parseIncludeDisabled(query['include_disabled']);
      const { records } = await deps.keys.list(principalOf(res), { offset, limit: PAGE_SIZE, includeDisabled });
      noStore(res).json({ data: records.map((r) => openRouterKeyView(r, usage)) });
    });

    router.post('/api/v1/keys', ...manage, mw.body, async (req, res) => {
      const input = parseOpenRouterCreate(req.body, deps.clock());
      const { key, record } = await deps.keys.create(principalOf(res), input);
      noStore(res)
        .status(201)
        .json({ data: openRouterKeyView(record, usage), key });
    });

    router.get('/api/v1/keys/:hash', ...manage, async (req, res) => {
      noStore(res).json({ data: openRouterKeyView(await deps.keys.get(principalOf(res), param(req.params['hash'])), usage) });
    });

    router.patch('/api/v1/keys/:hash', ...manage, mw.body, async (req, res) => {
      const record = await deps.keys.update(principalOf(res), param(req.params['hash']), parseOpenRouterPatch(req.body));
      noStore(res).json({ data: openRouterKeyView(record, usage) });
    });

    router.delete('/api/v1/keys/:hash', ...manage, async (req, res) => {
      await deps.keys.revoke(principalOf(res), param(req.params['hash']));
      noStore(res).json({ deleted: true });
    });

    router.get('/api/v1/key', mw.auth, requireScope('read'), async (_req, res) => {
      const principal = principalOf(res);
      noStore(res).json(openRouterCurrentKeyView(principal, await deps.keys.self(principal), usage, deps.defaultRpm()));
    });

    return router;
  };
}
