/** Accounts (teams), scope `admin`: POST/GET /api/admin/accounts, GET /api/admin/accounts/:id. Grants live with the credits routes. */
import { Router } from 'express';
import type { ApiMiddleware } from '../../app.js';
import { parseAccountName, type AccountRecord, type AccountService } from '../../accounts/account-service.js';
import { microsToUsd } from '../../billing/price.js';
import { GatewayError } from '../../errors.js';
import { requireScope } from '../middleware/authenticate.js';
import { param } from './keys.js';

export function accountView(account: AccountRecord) {
  return { id: account.id, name: account.name, credits: microsToUsd(account.balanceMicros), created_at: account.createdAt };
}

export function adminAccountRoutes(accounts: AccountService) {
  return (mw: ApiMiddleware): Router => {
    const router = Router();
    const admin = [mw.auth, requireScope('admin')];

    router.post('/api/admin/accounts', ...admin, mw.body, async (req, res) => {
      const account = await accounts.create(parseAccountName(req.body));
      res.status(201).json(accountView(account));
    });

    router.get('/api/admin/accounts', ...admin, async (_req, res) => {
      res.json({ accounts: (await accounts.list()).map(accountView) });
    });

    router.get('/api/admin/accounts/:id', ...admin, async (req, res) => {
      const account = await accounts.get(param(req.params['id']));
      if (!account) throw new GatewayError('not_found', 'Account not found');
      res.json(accountView(account));
    });

    return router;
  };
}
