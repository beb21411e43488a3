/**
 * The fallback loop: try candidates in order until one answers. A retryable failure (connect
 * error, timeout, 429, 5xx) before the first byte moves on; anything else is final. Each attempt
 * gets its own AbortSignal tied to the client's and to the total deadline.
 */
import { GatewayError, isGatewayError } from '../errors.js';
import type { CircuitBreakers } from './circuit-breaker.js';
import type { ResolvedModel } from './runtime.js';
import type { GatewayTelemetry } from './telemetry.js';

export interface AttemptSuccess<T> {
  readonly value: T;
  readonly model: ResolvedModel;
  readonly attempts: number;
  /** Aborts the winning attempt's upstream request (e.g. when the client goes away). */
  readonly controller: AbortController;
  readonly startedAt: number;
  readonly answeredAt: number;
}

export interface AttemptHooks {
  readonly breakers: CircuitBreakers;
  readonly telemetry: GatewayTelemetry;
  readonly clock: () => number;
  /** A failed attempt, for the policy's learning. */
  onFailure?(model: ResolvedModel, error: GatewayError, latencyMs: number): void;
  /** Before trying the next candidate (e.g. the native SSE "retrying with fallback" event). */
  onFallback?(from: ResolvedModel, to: ResolvedModel, error: GatewayError): void;
}

function toGatewayError(err: unknown, model: ResolvedModel): GatewayError {
  if (isGatewayError(err)) return err;
  return new GatewayError('upstream_bad_response', `Provider ${model.providerName} failed unexpectedly`, { provider: model.providerName, cause: err });
}

function finalError(errors: readonly { model: ResolvedModel; error: GatewayError }[]): GatewayError {
  const last = errors[errors.length - 1];
  if (!last) return new GatewayError('service_unavailable', 'No model is available right now (all candidates are cooling down after failures)');
  if (errors.length === 1) return last.error;
  const summary = errors.map((e) => `${e.model.id}: ${e.error.message}`).join('; ');
  const status = last.error.code === 'upstream_rate_limited' ? 429 : last.error.code === 'upstream_timeout' ? 504 : 502;
  return new GatewayError('all_attempts_failed', `All ${errors.length} attempts failed (${summary})`, { status, headers: last.error.headers });
}

export async function runAttempts<T>(
  candidates: readonly ResolvedModel[],
  clientSignal: AbortSignal,
  deadlineMs: number,
  hooks: AttemptHooks,
  attempt: (model: ResolvedModel, signal: AbortSignal) => Promise<T>,
): Promise<AttemptSuccess<T>> {
  const errors: { model: ResolvedModel; error: GatewayError }[] = [];
  const deadline = hooks.clock() + deadlineMs;
  let tried = 0;
  const queue = candidates;

  for (let i = 0; i < queue.length; i++) {
    const model = queue[i]!;
    if (clientSignal.aborted) throw clientSignal.reason;
    if (!hooks.breakers.allow(model.id)) continue;
    const remaining = deadline - hooks.clock();
    if (remaining <= 0) {
      errors.push({ model, error: new GatewayError('upstream_timeout', 'The routing deadline passed before a model answered') });
      break;
    }
    const controller = new AbortController();
    const onClientAbort = () => controller.abort(clientSignal.reason);
    clientSignal.addEventListener('abort', onClientAbort, { once: true });
    // Whole milliseconds: Node keeps one timer list per distinct duration, and a fractional
    // remainder would give every request a list of its own.
    const timer = setTimeout(
      () => controller.abort(new GatewayError('upstream_timeout', 'The routing deadline passed before a model answered')),
      Math.ceil(remaining),
    );
    const startedAt = hooks.clock();
    tried++;
    try {
      const value = await attempt(model, controller.signal);
      const answeredAt = hooks.clock();
      hooks.breakers.success(model.id);
      hooks.telemetry.attempt({ modelId: model.id, provider: model.providerName, ok: true, latencyMs: answeredAt - startedAt });
      clientSignal.removeEventListener('abort', onClientAbort);
      clearTimeout(timer);
      return { value, model, attempts: tried, controller, startedAt, answeredAt };
    } catch (err) {
      clientSignal.removeEventListener('abort', onClientAbort);
      clearTimeout(timer);
      if (clientSignal.aborted) {
        hooks.breakers.release(model.id);
        throw clientSignal.reason;
      }
      const reason: unknown = controller.signal.aborted ? controller.signal.reason : err;
      const error = toGatewayError(reason, model);
      const latencyMs = hooks.clock() - startedAt;
      hooks.telemetry.attempt({ modelId: model.id, provider: model.providerName, ok: false, errorCode: error.code, latencyMs });
      errors.push({ model, error });
      const fallbackWorthy =
        error.retryable || (error.code === 'context_length_exceeded' && queue.slice(i + 1).some((m) => m.contextWindow > model.contextWindow));
      if (error.retryable) hooks.breakers.failure(model.id);
      else hooks.breakers.release(model.id);
      hooks.onFailure?.(model, error, latencyMs);
      if (!fallbackWorthy) throw error;
      const next = queue[i + 1];
      if (next) {
        hooks.telemetry.fallback({ fromModel: model.id, toModel: next.id, reason: error.code });
        hooks.onFallback?.(model, next, error);
      }
    }
  }
  throw finalError(errors);
}
