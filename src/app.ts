/**
 * createApp(deps) → the Express app. It never listens (main.ts does; supertest uses it directly).
 * Route families live in server/routes; errors are rendered only by server/error-handler.
 */
import express, { type Express, type RequestHandler, type Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from './db/schema.js';
import { anthropicFormat } from './formats/anthropic/index.js';
import { openaiFormat, openrouterFormat } from './formats/openai/index.js';
import type { GatewayDeps } from './gateway/handle-chat.js';
import type { KeyStore } from './keys/key-store.js';
import type { Principal } from './plugins/types.js';
import { errorHandler, notFound } from './server/error-handler.js';
import { authenticate, requireScope } from './server/middleware/authenticate.js';
import { jsonBody } from './server/middleware/json-body.js';
import { corsPreflight } from './server/middleware/public-keys.js';
import { PUBLIC_KEY_PATHS } from './keys/public-keys.js';
import { requestId } from './server/middleware/request-id.js';
import { requestLog } from './logging/request-log.js';
import { chatRoute } from './server/routes/chat-route.js';
import { healthRoutes } from './server/routes/health.js';
import { listModelsRoute } from './server/routes/openai-models.js';
import type { ResponseStore } from './responses/response-store.js';
import { SqliteResponseStore } from './responses/sqlite-response-store.js';
import { responsesHandlers } from './server/routes/responses-route.js';

export interface ApiMiddleware {
  /** Authenticates (and runs afterAuth, e.g. rate limits). */
  readonly auth: RequestHandler;
  /** Parses a JSON body within server.body_limit. */
  readonly body: RequestHandler;
}

export interface AppDeps {
  readonly gateway: GatewayDeps;
  readonly db: Kysely<Database>;
  readonly keyStore: KeyStore;
  readonly isDraining: () => boolean;
  readonly startedAt: number;
  /** Routers mounted before the authenticated API (e.g. /metrics). */
  readonly publicRouters?: readonly Router[];
  /** Route families behind authentication; each applies its own scope checks. */
  readonly apiRoutes?: readonly ((mw: ApiMiddleware) => Router)[];
  /** Middleware mounted right after request-id, before any route (e.g. HTTP metrics). */
  readonly observers?: readonly RequestHandler[];
  /** Runs on every authenticated request (rate limits). */
  readonly afterAuth?: (principal: Principal, res: express.Response) => void;
  /** Stored Responses API responses; defaults to the gateway database. */
  readonly responseStore?: ResponseStore;
}

export function createApp(deps: AppDeps): Express {
  const { gateway } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('trust proxy', gateway.runtime().config.server.trust_proxy);

  app.use(requestId(gateway.clock));
  app.use(requestLog(gateway.logger, () => gateway.runtime().config.logging, gateway.clock));
  for (const observer of deps.observers ?? []) app.use(observer);

  const auth = authenticate(gateway.runtime, deps.afterAuth);
  const body = jsonBody(() => gateway.runtime().config.server.body_limit);

  // The completion routes come first: they are most of the traffic, and every layer a request
  // passes costs a match (and a nested router a dispatch of its own).
  app.options([...PUBLIC_KEY_PATHS], corsPreflight(deps.keyStore));
  app.post('/v1/chat/completions', auth, requireScope('chat'), body, chatRoute(openaiFormat, gateway));
  app.post('/api/v1/chat/completions', auth, requireScope('chat'), body, chatRoute(openrouterFormat, gateway));
  app.post('/v1/messages', auth, requireScope('chat'), body, chatRoute(anthropicFormat, gateway));
  const responses = responsesHandlers({ gateway, store: deps.responseStore ?? new SqliteResponseStore(deps.db) });
  app.post(['/v1/responses', '/api/v1/responses'], auth, requireScope('chat'), body, responses.create);
  app.get(['/v1/responses/:id', '/api/v1/responses/:id'], auth, requireScope('chat'), responses.retrieve);
  app.delete(['/v1/responses/:id', '/api/v1/responses/:id'], auth, requireScope('chat'), responses.remove);
  app.use(healthRoutes(deps.isDraining));
  for (const router of deps.publicRouters ?? []) app.use(router);
  app.get(['/v1/models', '/api/v1/models'], auth, requireScope('read'), listModelsRoute(gateway.runtime, deps.startedAt));

  for (const routes of deps.apiRoutes ?? []) app.use(routes({ auth, body }));

  app.use(notFound);
  app.use(errorHandler(gateway.logger, gateway.redact));
  return app;
}
