/**
 * POST /v1/embeddings and /api/v1/embeddings: an OpenAI-compatible passthrough to the provider of
 * the requested model, with Switchboard's auth, rate limits, the provider's credential swapped in
 * and billing from the answer's `usage`.
 *
 * Why the shared undici client and not http-proxy-middleware: the body must be read anyway (to
 * find `model`) and rewritten (the upstream model name), and the answer must be read whole too
 * (its `usage` is billed and its `model` replaced by the Switchboard id). With both directions
 * buffered a streaming proxy adds nothing, while the pooled HttpClient already carries the
 * timeouts, no-redirect rule and transport-error taxonomy the providers use.
 */
import { Router } from 'express';
import type { ApiMiddleware } from '../../app.js';
import { chargeMicros } from '../../billing/price.js';
import { GatewayError } from '../../errors.js';
import type { GatewayDeps } from '../../gateway/handle-chat.js';
import type { ResolvedModel, Runtime } from '../../gateway/runtime.js';
import type { HttpClient } from '../../upstream/http-client.js';
import { mapOpenAIError } from '../../../plugins/providers/openai/map-error.js';
import { requireScope } from '../middleware/authenticate.js';
import { principalOf, stateOf } from '../request-state.js';
import { promptTokensOf, readEmbeddingsBody, testModeEmbeddings, type JsonObject } from './embeddings-wire.js';
import { clientSignal } from '../client-signal.js';

export interface EmbeddingsDeps {
  readonly gateway: GatewayDeps;
  readonly http: HttpClient;
}

const DEFAULT_TIMEOUT_MS = 60_000;

function embeddingModel(runtime: Runtime, requested: string): ResolvedModel {
  const id = runtime.resolveModelId(requested);
  const model = id === undefined ? undefined : runtime.models.get(id);
  if (!model) {
    const available = [...runtime.models.values()].filter((m) => m.capabilities.has('embeddings')).map((m) => m.id);
    throw new GatewayError('model_not_found', `Unknown model "${requested}". Models with embeddings: ${available.join(', ') || '(none configured)'}`);
  }
  if (!model.capabilities.has('embeddings')) throw new GatewayError('request_invalid', `model ${model.id} does not support embeddings`);
  return model;
}

type PassthroughTarget = NonNullable<ReturnType<NonNullable<ResolvedModel['provider']['passthroughTarget']>>>;

/** Resolved per request: the credential may come from the vault and change without a restart. */
function passthroughOf(model: ResolvedModel): PassthroughTarget {
  const target = model.provider.passthroughTarget?.();
  if (!target)
    throw new GatewayError(
      'request_invalid',
      `model ${model.id} does not support embeddings (provider ${model.providerName} has no OpenAI-compatible passthrough)`,
    );
  return target;
}

function timeoutFor(runtime: Runtime, providerName: string): number {
  const timeout = runtime.config.providers.find((p) => p.name === providerName)?.['timeout_ms'];
  return typeof timeout === 'number' && timeout > 0 ? timeout : DEFAULT_TIMEOUT_MS;
}

function parseAnswer(text: string, provider: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new GatewayError('upstream_bad_response', `Provider ${provider} sent an embeddings answer that is not a JSON object`, { provider });
  }
  return parsed as JsonObject;
}

export function embeddingsRoutes(deps: EmbeddingsDeps) {
  const { gateway } = deps;

  const callUpstream = async (
    model: ResolvedModel,
    target: PassthroughTarget,
    runtime: Runtime,
    body: JsonObject,
    signal: AbortSignal,
  ): Promise<JsonObject> => {
    const started = gateway.clock();
    const report = (ok: boolean, errorCode?: GatewayError['code']) =>
      gateway.telemetry.attempt({
        modelId: model.id,
        provider: model.providerName,
        ok,
        latencyMs: gateway.clock() - started,
        ...(errorCode ? { errorCode } : {}),
      });
    try {
      const res = await deps.http.send(`${target.baseUrl}/embeddings`, {
        headers: { ...target.headers, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ ...body, model: model.upstreamModel }),
        signal,
        timeoutMs: timeoutFor(runtime, model.providerName),
        provider: model.providerName,
      });
      const text = await res.text();
      if (res.status < 200 || res.status >= 300) throw mapOpenAIError(model.providerName, res.status, text);
      const answer = parseAnswer(text, model.providerName);
      report(true);
      return answer;
    } catch (err) {
      if (err instanceof GatewayError) report(false, err.code);
      throw err;
    }
  };

  return (mw: ApiMiddleware): Router => {
    const router = Router();
    router.post(['/v1/embeddings', '/api/v1/embeddings'], mw.auth, requireScope('chat'), mw.body, async (req, res) => {
      const state = stateOf(res);
      const principal = principalOf(res);
      const runtime = gateway.runtime();
      const parsed = readEmbeddingsBody(req.body);
      const model = embeddingModel(runtime, parsed.model);
      const target = passthroughOf(model);
      const test = principal.mode === 'test';
      const overhead = runtime.config.billing.overhead;
      const cost = (inputTokens: number) => (test ? 0 : chargeMicros(model, { inputTokens, outputTokens: 0 }, overhead));
      state.modelId = model.id;
      state.category = 'embeddings';

      const reservation = await gateway.billing.reserve(principal, {
        requestId: state.requestId,
        modelId: model.id,
        maxCostMicros: cost(parsed.estimatedTokens),
      });
      const started = gateway.clock();
      let answer: JsonObject;
      try {
        answer = test
          ? testModeEmbeddings(parsed.body, model.id, parsed.estimatedTokens)
          : await callUpstream(model, target, runtime, parsed.body, clientSignal(req, res));
      } catch (err) {
        gateway.billing.release(principal, reservation);
        throw err;
      }
      const upstreamMs = gateway.clock() - started;
      const inputTokens = promptTokensOf(answer) ?? parsed.estimatedTokens;
      const costMicros = cost(inputTokens);
      await gateway.billing.settle(principal, reservation, { requestId: state.requestId, modelId: model.id, inputTokens, outputTokens: 0, costMicros });
      Object.assign(state, { inputTokens, outputTokens: 0, costMicros, upstreamMs, attempts: 1 });
      gateway.telemetry.completed({
        requestId: state.requestId,
        accountId: principal.accountId,
        keyId: principal.keyId,
        mode: principal.mode,
        modelId: model.id,
        provider: model.providerName,
        category: 'embeddings',
        stream: false,
        usage: { inputTokens, outputTokens: 0 },
        costMicros,
        upstreamMs,
        ttftMs: null,
        attempts: 1,
      });
      res.setHeader('X-Switchboard-Model', model.id);
      res.json({ ...answer, model: model.id });
    });
    return router;
  };
}
