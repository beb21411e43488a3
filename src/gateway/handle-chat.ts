/**
 * principal → route → attempts → billing → result. The client-format edges call
 * `completeChat` or `openChatStream` with a decoded ChatRequest and encode what comes back.
 * The core owns usage: billing, telemetry and the policy read the canonical finish here, once.
 */
import { chargeMicros } from '../billing/price.js';
import { GatewayError, isGatewayError, type ErrorCode } from '../errors.js';
import type { ChatRequest, ChatResult, StreamEvent, Usage } from '../formats/canonical.js';
import { usesCacheControl } from '../formats/unsupported-fields.js';
import type { CallContext, Logger, Principal, Provider } from '../plugins/types.js';
import { singleEventBatches } from '../upstream/event-batches.js';
import { runAttempts, type AttemptSuccess } from './attempts.js';
import type { BillingPort, Reservation } from './billing-port.js';
import type { CircuitBreakers } from './circuit-breaker.js';
import { route, type RouteDecision } from './router.js';
import type { ResolvedModel, Runtime } from './runtime.js';
import type { GatewayTelemetry } from './telemetry.js';
import { redactError } from '../vault/known-secrets.js';
import { estimatePromptTokens, estimateTokens, TokenCounter } from './token-estimate.js';

export interface GatewayDeps {
  readonly runtime: () => Runtime;
  readonly breakers: CircuitBreakers;
  readonly billing: BillingPort;
  readonly telemetry: GatewayTelemetry;
  readonly clock: () => number;
  readonly logger: Logger;
  /** Cuts the provider credentials this process knows out of client-visible text (default: unchanged). */
  readonly redact?: (text: string) => string;
}

export interface ChatCall {
  readonly request: ChatRequest;
  readonly principal: Principal;
  readonly requestId: string;
  /** Aborted when the client disconnects. */
  readonly signal: AbortSignal;
  /** Called before each fallback (native SSE tells the client). */
  readonly onFallback?: (from: string, to: string, reason: ErrorCode) => void;
}

export interface ChatOutcome {
  readonly model: ResolvedModel;
  readonly decision: RouteDecision;
  readonly attempts: number;
  readonly warnings: readonly string[];
  /** The prompt's token estimate (what was reserved for), for encoders that report it. */
  readonly promptTokens: number;
}

export interface CompletedChat extends ChatOutcome {
  readonly result: ChatResult & { readonly usage: Usage };
  readonly costMicros: number;
  readonly upstreamMs: number;
}

export interface OpenedStream extends ChatOutcome {
  /**
   * Canonical events in batches, as they arrived from the provider (never empty); the `finish`
   * event carries usage and is yielded after the charge is committed, and nothing follows it.
   */
  readonly batches: AsyncGenerator<readonly StreamEvent[]>;
  /** Cost of the finished stream (0 until it ends). */
  costMicros(): number;
  usage(): Usage | null;
  upstreamMs(): number;
  /**
   * For a route that fails before it starts reading `batches` (e.g. while writing the head):
   * aborts the upstream call and releases the reservation. Once `batches` has started, its own
   * cleanup bills what was produced and this does nothing.
   */
  cancel(): Promise<void>;
}

function identity(call: ChatCall) {
  return { requestId: call.requestId, accountId: call.principal.accountId, keyId: call.principal.keyId };
}

function providerFor(principal: Principal, model: ResolvedModel, runtime: Runtime): Provider {
  return principal.mode === 'test' ? runtime.testProvider : model.provider;
}

function maxCostMicros(model: ResolvedModel, promptTokens: number, req: ChatRequest, overhead: number): number {
  // With cache breakpoints the whole prompt may be written to the cache: its dearest price.
  const input = model.cacheWritePer1M > model.inputPer1M && usesCacheControl(req) ? { cacheWriteTokens: promptTokens } : {};
  return chargeMicros(model, { inputTokens: promptTokens, outputTokens: req.maxTokens, ...input }, overhead);
}

function costOf(model: ResolvedModel, usage: Usage, principal: Principal, overhead: number): number {
  return principal.mode === 'test' ? 0 : chargeMicros(model, usage, overhead);
}

function hooksFor(deps: GatewayDeps, runtime: Runtime, decision: RouteDecision, call: ChatCall) {
  return {
    breakers: deps.breakers,
    telemetry: deps.telemetry,
    clock: deps.clock,
    onFailure(model: ResolvedModel, error: GatewayError, latencyMs: number) {
      if (decision.policy === 'explicit' || !error.retryable) return;
      runtime.policies.get(decision.policy)?.observe?.({ category: decision.category, modelId: model.id, ok: false, latencyMs, costUsd: 0 });
    },
    onFallback(from: ResolvedModel, to: ResolvedModel, error: GatewayError) {
      call.onFallback?.(from.id, to.id, error.code);
    },
  };
}

function observeSuccess(runtime: Runtime, decision: RouteDecision, model: ResolvedModel, latencyMs: number, costMicros: number): void {
  if (decision.policy === 'explicit') return;
  runtime.policies.get(decision.policy)?.observe?.({ category: decision.category, modelId: model.id, ok: true, latencyMs, costUsd: costMicros / 1e6 });
}

async function prepare(
  deps: GatewayDeps,
  call: ChatCall,
): Promise<{ runtime: Runtime; decision: RouteDecision; reservation: Reservation; promptTokens: number }> {
  const runtime = deps.runtime();
  const promptTokens = estimatePromptTokens(call.request);
  const overhead = runtime.config.billing.overhead;
  const test = call.principal.mode === 'test';
  const costOn = (m: ResolvedModel) => maxCostMicros(m, promptTokens, call.request, overhead);
  // Held before routing, at what the cheapest model would cost: classifying may call a paid model
  // (the llm classifier), and a request the caller cannot pay for must cost nothing upstream.
  let cheapest = Number.POSITIVE_INFINITY;
  for (const m of runtime.models.values()) cheapest = Math.min(cheapest, costOn(m));
  const floor = test || !Number.isFinite(cheapest) ? 0 : cheapest;
  const reservation = await deps.billing.reserve(call.principal, { requestId: call.requestId, modelId: 'auto', maxCostMicros: floor });
  try {
    const decision = await route(runtime, deps.breakers, call.request);
    const first = decision.candidates[0];
    if (!first) throw new GatewayError('service_unavailable', 'No model is configured for this request');
    deps.telemetry.routed({ ...identity(call), category: decision.category, subcategory: decision.subcategory, policy: decision.policy, modelId: first.id });
    // Then for the most expensive candidate: a fallback must not overspend either.
    const worst = test ? 0 : Math.max(...decision.candidates.map(costOn));
    if (deps.billing.resize) deps.billing.resize(call.principal, reservation, worst);
    else if (worst > floor) {
      deps.billing.release(call.principal, reservation);
      return {
        runtime,
        decision,
        reservation: await deps.billing.reserve(call.principal, { requestId: call.requestId, modelId: first.id, maxCostMicros: worst }),
        promptTokens,
      };
    }
    return { runtime, decision, reservation, promptTokens };
  } catch (err) {
    deps.billing.release(call.principal, reservation);
    throw err;
  }
}

export async function completeChat(deps: GatewayDeps, call: ChatCall): Promise<CompletedChat> {
  const { runtime, decision, reservation, promptTokens } = await prepare(deps, call);
  let success: AttemptSuccess<ChatResult>;
  try {
    success = await runAttempts(
      decision.candidates,
      call.signal,
      runtime.config.routing.deadline_ms,
      hooksFor(deps, runtime, decision, call),
      (model, signal) =>
        providerFor(call.principal, model, runtime).chat(
          { ...call.request, model: model.upstreamModel },
          { signal, requestId: call.requestId, capabilities: model.capabilities },
        ),
    );
  } catch (err) {
    deps.billing.release(call.principal, reservation);
    throw err;
  }
  const { value: result, model } = success;
  const usage: Usage = result.usage ?? {
    inputTokens: promptTokens,
    outputTokens: result.content.reduce(
      (n, p) => n + (p.type === 'tool-call' ? estimateTokens(p.name) + estimateTokens(p.arguments) : estimateTokens(p.text)),
      0,
    ),
  };
  const costMicros = costOf(model, usage, call.principal, runtime.config.billing.overhead);
  await deps.billing.settle(call.principal, reservation, {
    requestId: call.requestId,
    modelId: model.id,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    costMicros,
  });
  const upstreamMs = success.answeredAt - success.startedAt;
  observeSuccess(runtime, decision, model, upstreamMs, costMicros);
  deps.telemetry.completed({
    ...identity(call),
    mode: call.principal.mode,
    modelId: model.id,
    provider: model.providerName,
    category: decision.category,
    stream: false,
    usage,
    costMicros,
    upstreamMs,
    ttftMs: null,
    attempts: success.attempts,
  });
  return { model, decision, attempts: success.attempts, warnings: result.warnings ?? [], promptTokens, result: { ...result, usage }, costMicros, upstreamMs };
}

interface FirstBatch {
  readonly iterator: AsyncIterator<readonly StreamEvent[]>;
  /** The first non-empty batch (or done). */
  readonly first: IteratorResult<readonly StreamEvent[]>;
}

function batchesOf(provider: Provider, req: ChatRequest, call: CallContext): AsyncIterator<readonly StreamEvent[]> {
  const batches = provider.streamBatches ? provider.streamBatches(req, call) : singleEventBatches(provider.stream(req, call));
  return batches[Symbol.asyncIterator]();
}

async function nonEmpty(iterator: AsyncIterator<readonly StreamEvent[]>): Promise<IteratorResult<readonly StreamEvent[]>> {
  let next = await iterator.next();
  while (!next.done && next.value.length === 0) next = await iterator.next();
  return next;
}

/** Opens the provider's stream and reads up to its first event: a failure so far can fall back. */
async function firstBatch(provider: Provider, req: ChatRequest, call: CallContext): Promise<FirstBatch> {
  const iterator = batchesOf(provider, req, call);
  const first = await nonEmpty(iterator);
  const head = first.done ? undefined : first.value[0];
  if (head?.type === 'error') {
    await iterator.return?.();
    throw head.error;
  }
  return { iterator, first };
}

export async function openChatStream(deps: GatewayDeps, call: ChatCall): Promise<OpenedStream> {
  const { runtime, decision, reservation, promptTokens } = await prepare(deps, call);
  let success: AttemptSuccess<FirstBatch>;
  try {
    success = await runAttempts(
      decision.candidates,
      call.signal,
      runtime.config.routing.deadline_ms,
      hooksFor(deps, runtime, decision, call),
      (model, signal) =>
        firstBatch(
          providerFor(call.principal, model, runtime),
          { ...call.request, model: model.upstreamModel, stream: true },
          { signal, requestId: call.requestId, capabilities: model.capabilities },
        ),
    );
  } catch (err) {
    deps.billing.release(call.principal, reservation);
    throw err;
  }
  const { model } = success;
  const { iterator, first } = success.value;
  const overhead = runtime.config.billing.overhead;
  const head = first.done ? undefined : first.value[0];
  const warnings = head?.type === 'start' ? (head.warnings ?? []) : [];
  // Input usage the provider reported up front (Anthropic's message_start): billed even if the
  // stream breaks before its finish.
  const startUsage = head?.type === 'start' ? head.usage : undefined;

  const redact = (e: GatewayError): GatewayError => (deps.redact ? redactError(e, deps.redact) : e);
  const produced = new TokenCounter();
  let settledCost = 0;
  let finalUsage: Usage | null = null;
  let settled = false;
  let ttftMs: number | null = null;
  let endedAt: number | null = null;

  const settle = async (reported: Usage | null): Promise<Usage> => {
    const usage = reported ?? { ...(startUsage ?? { inputTokens: promptTokens }), outputTokens: produced.tokens };
    settled = true;
    finalUsage = usage;
    settledCost = costOf(model, usage, call.principal, overhead);
    endedAt = deps.clock();
    await deps.billing.settle(call.principal, reservation, {
      requestId: call.requestId,
      modelId: model.id,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      costMicros: settledCost,
    });
    const upstreamMs = endedAt - success.startedAt;
    deps.telemetry.completed({
      ...identity(call),
      mode: call.principal.mode,
      modelId: model.id,
      provider: model.providerName,
      category: decision.category,
      stream: true,
      usage,
      costMicros: settledCost,
      upstreamMs,
      ttftMs,
      attempts: success.attempts,
    });
    return usage;
  };

  const track = (ev: StreamEvent) => {
    if (ev.type === 'text-delta' || ev.type === 'reasoning-delta') {
      if (ttftMs === null) ttftMs = deps.clock() - success.startedAt;
      produced.add(ev.text);
    } else if (ev.type === 'tool-call-delta') produced.add(ev.argumentsDelta);
    else if (ev.type === 'tool-call-start') {
      if (ttftMs === null) ttftMs = deps.clock() - success.startedAt;
      produced.add(ev.name);
    }
  };

  let started = false;
  async function* batches(): AsyncGenerator<readonly StreamEvent[]> {
    started = true;
    let finished = false;
    try {
      let next = first;
      while (!next.done) {
        const batch = next.value;
        for (let i = 0; i < batch.length; i++) {
          const ev = batch[i]!;
          if (ev.type === 'finish') {
            // What came before the finish goes out now; the finish waits for the charge's commit.
            if (i > 0) yield batch.slice(0, i);
            const usage = await settle(ev.usage);
            observeSuccess(runtime, decision, model, (endedAt ?? deps.clock()) - success.startedAt, settledCost);
            finished = true;
            yield [{ type: 'finish', finishReason: ev.finishReason, usage }];
            return;
          }
          if (ev.type === 'error') {
            yield [...batch.slice(0, i), { type: 'error', error: redact(ev.error) }];
            return;
          }
          track(ev);
        }
        if (batch.length > 0) yield batch;
        next = await iterator.next();
      }
      // The provider ended without a finish: report what was produced.
      const usage = await settle(null);
      finished = true;
      yield [{ type: 'finish', finishReason: { unified: 'other', raw: null }, usage }];
    } catch (err) {
      if (call.signal.aborted) return;
      const error = isGatewayError(err) ? err : new GatewayError('upstream_bad_response', `Provider ${model.providerName} failed mid-stream`, { cause: err });
      yield [{ type: 'error', error: redact(error) }];
    } finally {
      if (!finished) success.controller.abort(new Error('stream closed'));
      await iterator.return?.().catch(() => undefined);
      // Client gone or provider failed mid-stream: bill what was produced.
      if (!settled) await settle(null).catch((err: unknown) => deps.logger.error({ err, requestId: call.requestId }, 'settling a broken stream failed'));
    }
  }

  const generator = batches();
  return {
    model,
    decision,
    attempts: success.attempts,
    warnings,
    promptTokens,
    batches: generator,
    costMicros: () => settledCost,
    usage: () => finalUsage,
    upstreamMs: () => (endedAt ?? deps.clock()) - success.startedAt,
    async cancel() {
      if (started || settled) return;
      started = true;
      // Completes the generator without running it: nothing more is read, settled or billed.
      await generator.return(undefined);
      success.controller.abort(new Error('stream abandoned before its first byte'));
      await iterator.return?.().catch(() => undefined);
      deps.billing.release(call.principal, reservation);
    },
  };
}
