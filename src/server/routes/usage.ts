/**
 * GET /api/usage/summary, /api/usage/by-model, /api/usage/history (scope read; the caller's
 * account). An admin key may pass `?account=<id>`; for anyone else another account is a 404.
 */
import { Router, type Request, type Response } from 'express';
import type { ApiMiddleware } from '../../app.js';
import type { KeyLimit, LedgerBilling } from '../../billing/ledger-billing.js';
import type { Ledger } from '../../billing/ledger.js';
import { intParam, transactionView } from '../../billing/billing-views.js';
import { microsToUsd } from '../../billing/price.js';
import { nextWindowStart, windowStart } from '../../billing/usage-windows.js';
import { GatewayError } from '../../errors.js';
import type { Runtime } from '../../gateway/runtime.js';
import type { KeyUsageSource } from '../../keys/key-usage.js';
import type { Principal } from '../../plugins/types.js';
import { defaultRpmOf } from '../../ratelimit/limiter.js';
import { hasScope, requireScope } from '../middleware/authenticate.js';
import { principalOf } from '../request-state.js';

export interface RateLimitView {
  readonly limit: number;
  readonly remaining: number;
  /** Unix seconds. */
  readonly reset: number;
}

export interface UsageRouteDeps {
  readonly ledger: Ledger;
  readonly billing: LedgerBilling;
  readonly keyUsage: KeyUsageSource;
  readonly keyLimit: (keyId: string) => KeyLimit | null | Promise<KeyLimit | null>;
  readonly runtime: () => Runtime;
  readonly clock: () => number;
  /** The rate limiter's view of a principal; until one is wired, the configured limit with nothing used. */
  readonly rateLimit?: (principal: Principal) => RateLimitView | null;
}

async function targetAccount(req: Request, res: Response, ledger: Ledger): Promise<string> {
  const principal = principalOf(res);
  const asked = req.query['account'];
  if (asked === undefined || asked === principal.accountId) return principal.accountId;
  if (typeof asked !== 'string' || !hasScope(principal, 'admin') || (await ledger.balanceOf(asked)) === null) {
    throw new GatewayError('not_found', 'Account not found');
  }
  return asked;
}

function configuredRateLimit(principal: Principal, runtime: Runtime, now: number): RateLimitView {
  const limit = defaultRpmOf(principal, runtime.config.rate_limits);
  return { limit, remaining: limit, reset: Math.ceil((now + 1) / 60_000) * 60 };
}

export function usageRoutes(deps: UsageRouteDeps) {
  return (mw: ApiMiddleware): Router => {
    const router = Router();
    const read = [mw.auth, requireScope('read')];

    router.get('/api/usage/summary', ...read, async (req, res) => {
      const principal = principalOf(res);
      const accountId = await targetAccount(req, res, deps.ledger);
      const now = deps.clock();
      const balance = (await deps.ledger.balanceOf(accountId)) ?? 0;
      const start = windowStart('monthly', now);
      const models = await deps.ledger.usageByModel(accountId, new Date(start).toISOString());
      const runtime = deps.runtime();
      let key: Record<string, unknown> | undefined;
      if (principal.keyId && accountId === principal.accountId) {
        const limit = await deps.keyLimit(principal.keyId);
        const reset = limit?.limitReset ?? null;
        const usage = deps.keyUsage.usageMicros(principal.keyId, reset);
        const limitMicros = limit?.limitMicros ?? null;
        key = {
          id: principal.keyId,
          usage: microsToUsd(usage),
          limit: limitMicros === null ? null : microsToUsd(limitMicros),
          limit_remaining: limitMicros === null ? null : microsToUsd(Math.max(0, limitMicros - usage)),
          limit_reset: reset,
        };
      }
      res.json({
        account: accountId,
        credits: microsToUsd(balance),
        unmetered: runtime.config.billing.unmetered_accounts.includes(accountId),
        reserved: microsToUsd(deps.billing.reservedMicros(accountId)),
        rateLimit: deps.rateLimit?.(principal) ?? configuredRateLimit(principal, runtime, now),
        period: { start: new Date(start).toISOString(), end: new Date(nextWindowStart('monthly', now)).toISOString() },
        usage: {
          requests: models.reduce((n, m) => n + m.requests, 0),
          inputTokens: models.reduce((n, m) => n + m.inputTokens, 0),
          outputTokens: models.reduce((n, m) => n + m.outputTokens, 0),
          cost: microsToUsd(models.reduce((n, m) => n + m.costMicros, 0)),
        },
        ...(key ? { key } : {}),
      });
    });

    router.get('/api/usage/by-model', ...read, async (req, res) => {
      const accountId = await targetAccount(req, res, deps.ledger);
      const now = deps.clock();
      const start = windowStart('monthly', now);
      const models = await deps.ledger.usageByModel(accountId, new Date(start).toISOString());
      res.json({
        models: models.map((m) => ({
          model: m.model,
          requests: m.requests,
          inputTokens: m.inputTokens,
          outputTokens: m.outputTokens,
          cost: microsToUsd(m.costMicros),
        })),
        period: { start: new Date(start).toISOString(), end: new Date(nextWindowStart('monthly', now)).toISOString() },
      });
    });

    router.get('/api/usage/history', ...read, async (req, res) => {
      const page = intParam(req.query['page'], 'page', 1, 1_000_000_000, 1);
      const limit = intParam(req.query['limit'], 'limit', 1, 500, 50);
      const accountId = await targetAccount(req, res, deps.ledger);
      const { rows, total } = await deps.ledger.history(accountId, page, limit);
      res.json({ transactions: rows.map(transactionView), page, limit, total });
    });

    return router;
  };
}
