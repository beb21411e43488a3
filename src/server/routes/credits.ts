/**
 * Credits in: POST /api/admin/accounts/:id/credits (grant, or negative: deduct), admin promo
 * codes (POST/GET /api/admin/promo-codes) and POST /api/redeem (scope chat; the key's account).
 */
import { Router } from 'express';
import type { ApiMiddleware } from '../../app.js';
import type { LedgerBilling } from '../../billing/ledger-billing.js';
import type { Ledger } from '../../billing/ledger.js';
import { microsToUsd, usdToMicros } from '../../billing/price.js';
import type { PromoCodeRow, PromoCodes } from '../../billing/promo-codes.js';
import { GatewayError } from '../../errors.js';
import { requireScope } from '../middleware/authenticate.js';
import { principalOf } from '../request-state.js';

export interface CreditRouteDeps {
  readonly ledger: Ledger;
  readonly billing: LedgerBilling;
  readonly promos: PromoCodes;
}

const CODE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

function bodyOf(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new GatewayError('request_invalid', 'The body must be a JSON object');
  return body as Record<string, unknown>;
}

function promoView(row: PromoCodeRow) {
  return {
    code: row.code,
    credits: microsToUsd(row.credits_micros),
    max_redemptions: row.max_redemptions,
    redemptions: row.redemptions,
    expires_at: row.expires_at,
    source: row.source,
    created_at: row.created_at,
  };
}

function optionalMaxRedemptions(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw new GatewayError('request_invalid', 'max_redemptions: must be an integer ≥ 1 or null');
  return value;
}

function optionalInstant(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw new GatewayError('request_invalid', 'expires_at: must be an ISO-8601 date-time or null');
  return new Date(ms).toISOString();
}

export function creditRoutes(deps: CreditRouteDeps) {
  return (mw: ApiMiddleware): Router => {
    const router = Router();
    const admin = [mw.auth, requireScope('admin'), mw.body];

    router.post('/api/admin/accounts/:id/credits', ...admin, async (req, res) => {
      const body = bodyOf(req.body);
      const amount = body['amount'];
      if (typeof amount !== 'number' || !Number.isFinite(amount)) throw new GatewayError('request_invalid', 'amount: must be a number (USD; negative deducts)');
      const micros = usdToMicros(amount);
      if (micros === 0 || !Number.isSafeInteger(micros))
        throw new GatewayError('request_invalid', 'amount: must be a non-zero USD amount of at least 0.000001 in size');
      const note = body['note'];
      if (note !== undefined && note !== null && (typeof note !== 'string' || note.length > 500))
        throw new GatewayError('request_invalid', 'note: must be a string of at most 500 characters');
      const id = req.params['id'];
      const accountId = typeof id === 'string' ? id : '';
      if ((await deps.ledger.balanceOf(accountId)) === null) throw new GatewayError('not_found', 'Account not found');
      const row = await deps.billing.credit({
        accountId,
        type: micros > 0 ? 'grant' : 'adjustment',
        amountMicros: micros,
        note: typeof note === 'string' ? note : null,
      });
      res.json({
        credits: microsToUsd(row.balance_after_micros),
        transaction: { id: row.id, type: row.type, amount: microsToUsd(row.amount_micros), created_at: row.created_at },
      });
    });

    router.post('/api/admin/promo-codes', ...admin, async (req, res) => {
      const body = bodyOf(req.body);
      const code = body['code'];
      if (typeof code !== 'string' || !CODE_PATTERN.test(code)) throw new GatewayError('request_invalid', 'code: must be 1-64 letters, digits, "-" or "_"');
      const credits = body['credits'];
      if (typeof credits !== 'number' || !Number.isFinite(credits) || usdToMicros(credits) <= 0)
        throw new GatewayError('request_invalid', 'credits: must be a positive number (USD)');
      const row = await deps.promos.create({
        code,
        creditsMicros: usdToMicros(credits),
        maxRedemptions: optionalMaxRedemptions(body['max_redemptions']),
        expiresAt: optionalInstant(body['expires_at']),
      });
      res.status(201).json(promoView(row));
    });

    router.get('/api/admin/promo-codes', mw.auth, requireScope('admin'), async (_req, res) => {
      res.json({ promo_codes: (await deps.promos.list()).map(promoView) });
    });

    router.post('/api/redeem', mw.auth, requireScope('chat'), mw.body, async (req, res) => {
      const code = bodyOf(req.body)['code'];
      if (typeof code !== 'string' || code.trim() === '') throw new GatewayError('request_invalid', 'code: required');
      const row = await deps.promos.redeem(principalOf(res).accountId, code.trim());
      res.json({ credits: microsToUsd(row.balance_after_micros), redeemed: microsToUsd(row.amount_micros) });
    });

    return router;
  };
}
