/**
 * Composes the running gateway: config → logger → database (migrated) → keys → plugins →
 * runtime → app → listen. Used by main.ts (with signals) and by end-to-end tests (in-process).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express, RequestHandler, Response, Router } from 'express';
import { createApp, type ApiMiddleware } from '../app.js';
import { ConversationStore } from '../conversations/conversation-store.js';
import { RequestLogWriter } from '../routing-state/request-log-writer.js';
import { RoutingStateStore } from '../routing-state/state-store.js';
import { feedbackRoutes } from './routes/feedback.js';
import { nativeChatRoutes } from './routes/native-chat.js';
import { routingApiRoutes } from './routes/routing-api.js';
import { adminReloadRoutes } from './routes/admin-reload.js';
import { AccountService } from '../accounts/account-service.js';
import { KeyService } from '../keys/key-service.js';
import { keyRoutes } from './routes/keys.js';
import { openRouterKeyRoutes } from './routes/openrouter-keys.js';
import { seedKeyApiRoutes } from './routes/seed-key-apis.js';
import { adminAccountRoutes } from './routes/admin-accounts.js';
import { startJobs } from '../jobs/scheduler.js';
import type { Kysely } from 'kysely';
import { embeddingsRoutes } from './routes/embeddings.js';
import { ConfigError } from '../config/errors.js';
import { withPluginErrors } from '../config/check.js';
import { loadConfig, resolveConfigPath, type LoadedConfig } from '../config/load.js';
import { openDatabase, type DatabaseHandle } from '../db/client.js';
import { migrateToLatest } from '../db/migrate.js';
import type { BillingPort } from '../gateway/billing-port.js';
import { createBillingSystem } from '../billing/billing-system.js';
import { CircuitBreakers, type BreakerState } from '../gateway/circuit-breaker.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { httpMetrics } from '../metrics/http-metrics.js';
import { createMetricsRegistry } from '../metrics/registry.js';
import { RateLimiter } from '../ratelimit/limiter.js';
import { rateLimitHook } from './middleware/rate-limit.js';
import { metricsRoutes } from './routes/metrics.js';
import type { GatewayDeps } from '../gateway/handle-chat.js';
import { buildRuntime, type Runtime } from '../gateway/runtime.js';
import { combineTelemetry, NO_TELEMETRY, type GatewayTelemetry } from '../gateway/telemetry.js';
import { ALL_SCOPES } from '../keys/key-record.js';
import { KeyStore } from '../keys/key-store.js';
import { DEFAULT_ACCOUNT, Keyring } from '../keys/keyring.js';
import { createLogger } from '../logging/logger.js';
import type { AccountDirectory, Logger, PluginContext, Principal } from '../plugins/types.js';
import type { Database } from '../db/schema.js';
import { createHttpClient } from '../upstream/http-client.js';
import { createSecretResolver } from '../vault/secret-resolver.js';
import { KnownSecrets } from '../vault/known-secrets.js';
import { VaultStore } from '../vault/vault-store.js';
import { adminVaultRoutes } from './routes/admin-vault.js';
import { Drain } from './drain.js';

export interface StartOptions {
  readonly configPath?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Overrides server.port (0 = any free port). */
  readonly port?: number;
  readonly host?: string;
  readonly logger?: Logger & { flush?: () => void };
  readonly clock?: () => number;
  readonly random?: () => number;
  /** Where the first-start admin key is printed. */
  readonly announce?: (line: string) => void;
}

export interface RunningGateway {
  readonly url: string;
  readonly port: number;
  readonly app: Express;
  readonly server: Server;
  readonly database: DatabaseHandle;
  readonly keyStore: KeyStore;
  runtime(): Runtime;
  /** Re-reads the YAML; on errors keeps the old config and throws a ConfigError. */
  reload(): Promise<void>;
  /** Stops accepting, drains in-flight requests (up to shutdown_timeout_ms), flushes, closes. */
  close(): Promise<void>;
}

/** Accounts for auth schemes: existing ids are remembered (accounts are never deleted). */
function accountDirectory(db: Kysely<Database>, runtime: () => Runtime): AccountDirectory {
  const known = new Set<string>();
  return {
    exists(accountId) {
      if (known.has(accountId)) return true;
      return db
        .selectFrom('accounts')
        .select('id')
        .where('id', '=', accountId)
        .executeTakeFirst()
        .then((row) => {
          if (row && known.size < 100_000) known.add(accountId);
          return row !== undefined;
        });
    },
    isUnmetered: (accountId) => runtime().config.billing.unmetered_accounts.includes(accountId),
  };
}

async function ensureAdminKey(keyring: Keyring, keyStore: KeyStore, announce: (line: string) => void): Promise<void> {
  if (keyring.hasConfiguredAdminKeys || (await keyStore.hasActiveAdminKey())) return;
  const { key } = await keyStore.create({ accountId: DEFAULT_ACCOUNT, name: 'bootstrap-admin', scopes: ALL_SCOPES });
  announce(`Switchboard created an admin API key (shown once, store it now): ${key}`);
}

export async function startGateway(options: StartOptions = {}): Promise<RunningGateway> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  // Sub-millisecond resolution, so the gateway-overhead histogram can resolve what it measures.
  const clock = options.clock ?? (() => performance.timeOrigin + performance.now());
  const random = options.random ?? Math.random;
  const configPath = await resolveConfigPath(env, cwd, options.configPath);
  // An invalid file is reported with the plugins' own option errors too, like check-config does.
  let loaded: LoadedConfig = await loadConfig(configPath, env, cwd).catch(async (err: unknown) => {
    throw await withPluginErrors(err);
  });
  const logger = options.logger ?? createLogger(loaded.config.logging.level);

  const database = openDatabase(loaded.config.database.url, cwd);
  const migration = await migrateToLatest(database.db);
  if (migration.error) {
    await database.close();
    throw new Error(`database migration failed: ${(migration.error as Error).message}`);
  }

  const keyStore = new KeyStore(database.db, {
    prefix: loaded.config.auth.key_prefix,
    publicPrefix: loaded.config.auth.public_key_prefix,
    clock,
    dataVersion: () => database.sqlite.pragma('data_version', { simple: true }) as number,
  });
  const keyring = new Keyring(keyStore, clock);
  keyring.setAdminKeys(loaded.config.auth.admin_keys);

  const http = createHttpClient();
  // A malformed master key, or vault entries without their key, stop the start here.
  const vault = await VaultStore.open(database.db, env['SWITCHBOARD_MASTER_KEY'], clock).catch(async (err: unknown) => {
    await database.close();
    throw err;
  });
  if (!vault.enabled) logger.warn({ event: 'vault_disabled' }, 'SWITCHBOARD_MASTER_KEY is not set: the vault is disabled');
  const knownSecrets = new KnownSecrets();
  const secrets = createSecretResolver(() => vault, knownSecrets);
  const context: PluginContext = { logger, clock, random, http, secrets, keyring, accounts: accountDirectory(database.db, () => runtime) };
  let runtime = await buildRuntime(loaded, context);
  const breakerListeners: ((modelId: string, state: BreakerState) => void)[] = [];
  const breakers = new CircuitBreakers(loaded.config.routing.circuit_breaker, clock, (modelId, state) => {
    for (const listener of breakerListeners) listener(modelId, state);
  });

  // ---- subsystems plug in here (one block each) ----
  // Credits: ledger, reservations, key-limit windows, usage/pricing/credits/redeem routes.
  const billingSystem = await createBillingSystem({
    db: database.db,
    sqlite: database.sqlite,
    runtime: () => runtime,
    clock,
    logger,
    // A plain value when the key is cached, so reserve() stays synchronous and in memory.
    keyLimit: (keyId) => {
      const limitOf = (record: Awaited<ReturnType<typeof keyStore.findById>>) => record && { limitMicros: record.limitMicros, limitReset: record.limitReset };
      const record = keyStore.findByIdCached(keyId);
      return record instanceof Promise ? record.then(limitOf) : limitOf(record);
    },
    rateLimit: (principal) => rateLimiter.status(principal),
  });
  const billing: BillingPort = billingSystem.port;
  const telemetry: GatewayTelemetry[] = [];
  const publicRouters: Router[] = [];
  const apiRoutes: ((mw: ApiMiddleware) => Router)[] = [];
  const afterAuth: ((principal: Principal, res: Response) => void)[] = [];
  /** Batched writes flushed every few seconds and at shutdown. */
  const flushers: (() => Promise<void>)[] = [() => keyStore.flushTouches()];
  /** Run at shutdown after the last flush, before the database closes. */
  const closers: (() => Promise<void> | void)[] = [];
  apiRoutes.push(adminReloadRoutes(() => reloadConfig()));
  apiRoutes.push(...billingSystem.routes);
  // Charges still queued for the next group commit are written before the database closes.
  closers.push(() => billingSystem.ledger.flush());
  const jobs = startJobs(
    database.db as Kysely<unknown>,
    database.sqlite,
    {
      requestLogsDays: () => runtime.config.retention.request_logs_days,
      conversationsDays: () => runtime.config.retention.conversations_days,
      responsesDays: () => runtime.config.retention.responses_days,
    },
    clock,
    logger,
  );
  closers.push(() => jobs.stop());
  // Embeddings passthrough; `gateway` is built below, and read when createApp mounts the routes.
  apiRoutes.push((mw) => embeddingsRoutes({ gateway, http })(mw));
  apiRoutes.push(adminVaultRoutes({ vault, logger }));
  // Keys and accounts; a key's usage comes from the credits subsystem (billingSystem.keyUsage).
  const accounts = new AccountService(database.db, clock);
  const keyService = new KeyService({ db: database.db, keyStore, accounts, clock, maxKeysPerAccount: () => runtime.config.auth.max_keys_per_account });
  const keyRouteDeps = { keys: keyService, keyStore, clock, defaultRpm: () => runtime.config.rate_limits.default_rpm, usage: billingSystem.keyUsage };
  apiRoutes.push(keyRoutes(keyRouteDeps), openRouterKeyRoutes(keyRouteDeps), seedKeyApiRoutes(keyRouteDeps), adminAccountRoutes(accounts));
  // Metrics (own registry per gateway), HTTP observers, GET /metrics, per-key rate limits.
  const observers: RequestHandler[] = [];
  const metricsRegistry = createMetricsRegistry();
  const gatewayMetrics = new GatewayMetrics(metricsRegistry, { runtime: () => runtime, breakers });
  telemetry.push(gatewayMetrics);
  breakerListeners.push((modelId, state) => gatewayMetrics.breakerChanged(modelId, state));
  observers.push(httpMetrics(metricsRegistry));
  publicRouters.push(metricsRoutes(metricsRegistry, () => runtime.config.metrics));
  /** rateLimiter.status(principal) feeds /api/usage/summary's rateLimit. */
  const rateLimiter = new RateLimiter(() => runtime.config.rate_limits, clock);
  afterAuth.push(rateLimitHook(rateLimiter, (limit) => gatewayMetrics.rateLimited(limit)));
  // Native SSE chat + conversations, routing API, request log (feedback), persisted routing state.
  const requestLog = new RequestLogWriter(database, clock, logger);
  telemetry.push(requestLog.telemetry);
  const routingState = new RoutingStateStore(database.db, () => runtime, clock, logger);
  await routingState.restore();
  flushers.push(
    () => requestLog.flush(),
    () => routingState.flush(),
  );
  const conversations = new ConversationStore(database.db, clock);
  apiRoutes.push((mw) => nativeChatRoutes({ gateway, conversations })(mw));
  apiRoutes.push(routingApiRoutes({ runtime: () => runtime, breakers }), feedbackRoutes({ runtime: () => runtime, requestLog }));
  // ---- end of subsystems ----

  async function reloadConfig(): Promise<void> {
    let next: LoadedConfig;
    let nextRuntime: Runtime;
    try {
      next = await loadConfig(configPath, env, cwd);
      nextRuntime = await buildRuntime(next, context);
    } catch (err) {
      if (err instanceof ConfigError) logger.error({ event: 'reload_rejected', errors: err.errors }, 'reload rejected; the old configuration keeps serving');
      throw err;
    }
    for (const [name, policy] of nextRuntime.policies) {
      const state = runtime.policies.get(name)?.snapshot?.();
      if (state !== undefined) policy.restore?.(state);
    }
    loaded = next;
    runtime = nextRuntime;
    keyring.setAdminKeys(next.config.auth.admin_keys);
    keyStore.setPrefix(next.config.auth.key_prefix, next.config.auth.public_key_prefix);
    breakers.configure(next.config.routing.circuit_breaker);
    app.set('trust proxy', next.config.server.trust_proxy);
    logger.info({ event: 'reloaded', models: runtime.models.size }, 'configuration reloaded');
  }

  const drain = new Drain();
  const gateway: GatewayDeps = {
    runtime: () => runtime,
    breakers,
    billing,
    telemetry: combineTelemetry(NO_TELEMETRY, ...telemetry),
    clock,
    logger,
    redact: (text) => knownSecrets.redact(text),
  };
  const startedAt = clock();
  const app = createApp({
    gateway,
    db: database.db,
    keyStore,
    isDraining: () => drain.isDraining,
    startedAt,
    publicRouters,
    apiRoutes,
    observers: [drain.middleware, ...observers],
    afterAuth: (principal, res) => {
      for (const hook of afterAuth) hook(principal, res);
    },
  });

  await ensureAdminKey(keyring, keyStore, options.announce ?? ((line) => process.stdout.write(`${line}\n`)));

  const server = createServer({ keepAliveTimeout: 65_000, headersTimeout: 66_000 }, app);
  const port = options.port ?? loaded.config.server.port;
  const host = options.host ?? loaded.config.server.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // The address really bound (0.0.0.0 is printed as such: it is reachable from the network).
  const address = server.address() as AddressInfo;
  const url = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;

  const flushAll = async () => {
    for (const flush of flushers) await flush().catch((err: unknown) => logger.error({ err }, 'a batched write failed'));
  };
  const flushTimer = setInterval(() => void flushAll(), 2000);
  flushTimer.unref();

  logger.info({ event: 'started', url, config: configPath, models: runtime.models.size }, 'switchboard started');

  return {
    url,
    port: address.port,
    app,
    server,
    database,
    keyStore,
    runtime: () => runtime,
    reload: () => reloadConfig(),
    async close() {
      clearInterval(flushTimer);
      const timeout = runtime.config.server.shutdown_timeout_ms;
      const startedClosing = clock();
      // The listener stays open while in-flight requests finish, so /readyz can say 503.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeout);
        timer.unref();
        void drain.drained().then(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      const left = Math.max(0, timeout - (clock() - startedClosing));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.closeAllConnections();
          resolve();
        }, left);
        timer.unref();
        // Connections that finish their last response while draining become idle; close them promptly.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        server.close(() => {
          clearTimeout(timer);
          clearInterval(sweep);
          resolve();
        });
        server.closeIdleConnections();
      });
      await flushAll();
      for (const close of closers) await close();
      await http.close().catch(() => undefined);
      await database.close();
      logger.info({ event: 'stopped' }, 'switchboard stopped');
    },
  };
}
