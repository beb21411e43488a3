/**
 * /api/admin/vault: store, list and delete provider credentials (scope admin). A value is
 * accepted once and never returned; the listing shows its last four characters. Without
 * SWITCHBOARD_MASTER_KEY every route answers 503 naming the variable.
 */
import { Router, type RequestHandler } from 'express';
import type { ApiMiddleware } from '../../app.js';
import { GatewayError } from '../../errors.js';
import type { Logger } from '../../plugins/types.js';
import { MASTER_KEY_ENV } from '../../vault/crypto.js';
import { MAX_VAULT_VALUE_LENGTH, VAULT_NAME_PATTERN, type VaultStore } from '../../vault/vault-store.js';
import { requireScope } from '../middleware/authenticate.js';

export interface AdminVaultDeps {
  readonly vault: VaultStore;
  readonly logger: Logger;
}

function entryName(raw: unknown): string {
  const name = typeof raw === 'string' ? raw : '';
  if (!VAULT_NAME_PATTERN.test(name)) throw new GatewayError('request_invalid', 'Invalid vault entry name: use 1-64 characters from A-Z a-z 0-9 . _ -');
  return name;
}

function secretValue(body: unknown): string {
  const value = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>)['value'] : undefined;
  if (typeof value !== 'string' || value.length === 0) throw new GatewayError('request_invalid', 'Body must be {"value": "<non-empty string>"}');
  if (value.length > MAX_VAULT_VALUE_LENGTH) throw new GatewayError('request_invalid', `value is longer than ${MAX_VAULT_VALUE_LENGTH} characters`);
  return value;
}

export function adminVaultRoutes(deps: AdminVaultDeps) {
  const { vault, logger } = deps;
  const enabled: RequestHandler = (_req, res, next) => {
    if (!vault.enabled)
      throw new GatewayError(
        'service_unavailable',
        `The vault is disabled: set ${MASTER_KEY_ENV} (32 bytes as 64 hex characters, e.g. \`openssl rand -hex 32\`) and restart`,
      );
    res.setHeader('Cache-Control', 'no-store');
    next();
  };

  return (mw: ApiMiddleware): Router => {
    const router = Router();
    const guard = [mw.auth, requireScope('admin'), enabled];

    router.get('/api/admin/vault', ...guard, (_req, res) => {
      res.json({ secrets: vault.list() });
    });

    router.put('/api/admin/vault/:name', ...guard, mw.body, async (req, res) => {
      const name = entryName(req.params['name']);
      const { entry, created } = await vault.put(name, secretValue(req.body));
      logger.info({ event: 'vault_stored', name, created }, 'vault entry stored');
      res.status(created ? 201 : 200).json(entry);
    });

    router.delete('/api/admin/vault/:name', ...guard, async (req, res) => {
      const name = entryName(req.params['name']);
      if (!(await vault.delete(name))) throw new GatewayError('not_found', `No vault entry named "${name}"`);
      logger.info({ event: 'vault_deleted', name }, 'vault entry deleted');
      res.status(204).end();
    });

    return router;
  };
}
