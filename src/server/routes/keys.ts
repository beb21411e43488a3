/** Seed-format key management: /api/keys (scope `keys`) and GET /api/key (scope `read`). */
import { Router, type Response } from 'express';
import type { ApiMiddleware } from '../../app.js';
import { parsePage, parseSeedCreate, parseSeedPatch } from '../../keys/key-input.js';
import type { KeyService } from '../../keys/key-service.js';
import type { KeyStore } from '../../keys/key-store.js';
import { NO_KEY_USAGE, type KeyUsageSource } from '../../keys/key-usage.js';
import { seedKeyView, selfView, type KeyViewContext } from '../../keys/key-view.js';
import { requireScope } from '../middleware/authenticate.js';
import { principalOf } from '../request-state.js';

export interface KeyRouteDeps {
  readonly keys: KeyService;
  readonly keyStore: KeyStore;
  /** Spend per key, from the credits subsystem; no usage until it is wired. */
  readonly usage?: KeyUsageSource;
  /** rate_limits.default_rpm of the current config. */
  readonly defaultRpm: () => number;
  readonly clock: () => number;
}

/** Key metadata is account-private; a created key must never sit in a cache. */
export function noStore(res: Response): Response {
  return res.set('Cache-Control', 'no-store');
}

/** A route parameter as a string (Express types allow arrays for wildcard params). */
export function param(value: string | string[] | undefined): string {
  return typeof value === 'string' ? value : '';
}

export function keyRoutes(deps: KeyRouteDeps) {
  const usage = deps.usage ?? NO_KEY_USAGE;
  const view: KeyViewContext = { usage, lastUsedAt: (r) => deps.keyStore.lastUsedAt(r) };
  return (mw: ApiMiddleware): Router => {
    const router = Router();
    const manage = [mw.auth, requireScope('keys')];

    router.post('/api/keys', ...manage, mw.body, async (req, res) => {
      const input = parseSeedCreate(req.body, deps.clock());
      const { key, record } = await deps.keys.create(principalOf(res), input);
      noStore(res)
        .status(201)
        .json({ key, ...seedKeyView(record, view) });
    });

    router.get('/api/keys', ...manage, async (req, res) => {
      const query = req.query as Record<string, unknown>;
      const page = parsePage(query, 500, 100);
      const account = typeof query['account'] === 'string' && query['account'] !== '' ? query['account'] : undefined;
      const { records, total } = await deps.keys.list(principalOf(res), { ...page, ...(account !== undefined && { accountId: account }) });
      noStore(res).json({ keys: records.map((r) => seedKeyView(r, view)), offset: page.offset, limit: page.limit, total });
    });

    router.get('/api/keys/:id', ...manage, async (req, res) => {
      noStore(res).json(seedKeyView(await deps.keys.get(principalOf(res), param(req.params['id'])), view));
    });

    router.patch('/api/keys/:id', ...manage, mw.body, async (req, res) => {
      const patch = parseSeedPatch(req.body, deps.clock());
      noStore(res).json(seedKeyView(await deps.keys.update(principalOf(res), param(req.params['id']), patch), view));
    });

    router.delete('/api/keys/:id', ...manage, async (req, res) => {
      const record = await deps.keys.revoke(principalOf(res), param(req.params['id']));
      noStore(res).json({ id: record.id, deleted: true });
    });

    router.get('/api/key', mw.auth, requireScope('read'), async (_req, res) => {
      const principal = principalOf(res);
      noStore(res).json(selfView(principal, await deps.keys.self(principal), usage, deps.defaultRpm()));
    });

    return router;
  };
}
