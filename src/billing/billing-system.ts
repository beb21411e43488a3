/**
 * Composes the credits subsystem for start.ts: the ledger, the per-key usage counters (rebuilt
 * from the ledger), the BillingPort, promo codes and the route families.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Router } from 'express';
import type { Kysely } from 'kysely';
import type { ApiMiddleware } from '../app.js';
import type { Database } from '../db/schema.js';
import type { Runtime } from '../gateway/runtime.js';
import type { Logger } from '../plugins/types.js';
import { creditRoutes } from '../server/routes/credits.js';
import { pricingRoutes } from '../server/routes/pricing.js';
import { usageRoutes, type UsageRouteDeps } from '../server/routes/usage.js';
import { LedgerBilling, type KeyLimit } from './ledger-billing.js';
import { Ledger } from './ledger.js';
import { PromoCodes } from './promo-codes.js';
import { KeyUsageCounters } from './usage-windows.js';

export interface BillingSystemDeps {
  readonly db: Kysely<Database>;
  /** The raw connection under `db`: ledger writes are prepared statements group-committed on it. */
  readonly sqlite: BetterSqlite3.Database;
  readonly runtime: () => Runtime;
  readonly clock: () => number;
  readonly logger: Logger;
  readonly keyLimit: (keyId: string) => KeyLimit | null | Promise<KeyLimit | null>;
  /** Seam for the rate limiter's numbers in /api/usage/summary. */
  readonly rateLimit?: UsageRouteDeps['rateLimit'];
}

export interface BillingSystem {
  readonly port: LedgerBilling;
  readonly ledger: Ledger;
  readonly keyUsage: KeyUsageCounters;
  readonly promos: PromoCodes;
  readonly routes: readonly ((mw: ApiMiddleware) => Router)[];
}

export async function createBillingSystem(deps: BillingSystemDeps): Promise<BillingSystem> {
  const ledger = new Ledger({ db: deps.db, sqlite: deps.sqlite }, deps.clock, (err) =>
    deps.logger.error({ err }, 'updating the billing caches after a ledger commit failed'),
  );
  const keyUsage = new KeyUsageCounters(deps.clock);
  await keyUsage.load(deps.db);
  const port = new LedgerBilling({
    ledger,
    keyUsage,
    keyLimit: deps.keyLimit,
    isUnmetered: (accountId) => deps.runtime().config.billing.unmetered_accounts.includes(accountId),
    logger: deps.logger,
  });
  const promos = new PromoCodes(
    { db: deps.db, sqlite: deps.sqlite },
    ledger,
    (row) => port.committed(row),
    deps.clock,
    () => deps.runtime().config.billing.promo_codes,
  );
  await promos.sync();
  const routes = [
    pricingRoutes(deps.runtime),
    usageRoutes({
      ledger,
      billing: port,
      keyUsage,
      keyLimit: deps.keyLimit,
      runtime: deps.runtime,
      clock: deps.clock,
      ...(deps.rateLimit ? { rateLimit: deps.rateLimit } : {}),
    }),
    creditRoutes({ ledger, billing: port, promos }),
  ];
  return { port, ledger, keyUsage, promos, routes };
}
