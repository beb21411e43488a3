/**
 * Native SSE events of `POST /api/chat`: each is `data: {json}\n\n` with a `type`.
 * Order: meta → strategy_decision → (error notices of fallbacks) → token… → done; or a final
 * `error` that ends the stream.
 */
import { chargeMicros, microsToUsd } from '../../billing/price.js';
import type { GatewayError } from '../../errors.js';
import type { Usage } from '../canonical.js';

export const FALLBACK_NOTICE = 'Model unavailable, retrying with fallback...';

export interface MetaEvent {
  readonly type: 'meta';
  readonly model: string;
  readonly category: string;
  readonly subcategory: string;
  /** null when nothing is stored (storage.conversations: false, or the request's store: false). */
  readonly conversationId: string | null;
  readonly requestId: string;
}

export interface StrategyDecisionEvent {
  readonly type: 'strategy_decision';
  readonly strategy: 'direct';
  readonly reason: string;
}

export interface TokenEvent {
  readonly type: 'token';
  readonly text: string;
}

/** `retrying: true` marks a fallback notice (the stream continues); otherwise the stream ends. */
export interface ErrorEvent {
  readonly type: 'error';
  readonly error: string;
  /** A code from the error table (src/errors.ts, README "Error codes"). */
  readonly code: string;
  readonly retrying?: boolean;
  readonly from?: string;
  readonly to?: string;
}

export interface CostBreakdown {
  readonly inputUsd: number;
  readonly outputUsd: number;
  readonly overheadUsd: number;
}

export interface DoneEvent {
  readonly type: 'done';
  readonly latencyMs: number;
  readonly costUsd: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly model: string;
  readonly costBreakdown: CostBreakdown;
}

export type NativeEvent = MetaEvent | StrategyDecisionEvent | TokenEvent | ErrorEvent | DoneEvent;

export function encodeNativeEvent(event: NativeEvent): string {
  return `data: ${JSON.stringify(event)}\n\n`;
}

/** `code` is why `from` failed (e.g. upstream_unavailable): every error event carries one. */
export function fallbackNotice(from: string, to: string, code: string): ErrorEvent {
  return { type: 'error', error: FALLBACK_NOTICE, code, retrying: true, from, to };
}

export function finalError(error: GatewayError): ErrorEvent {
  return { type: 'error', error: error.message, code: error.code };
}

interface Priced {
  readonly inputPer1M: number;
  readonly outputPer1M: number;
  readonly cachedInputPer1M?: number;
  readonly cacheWritePer1M?: number;
}

/**
 * Splits a charge into the provider's input and output cost and Switchboard's overhead; the
 * three parts add up to `costMicros` exactly (the overhead takes the rounding).
 */
export function costBreakdown(price: Priced, usage: Usage, costMicros: number): CostBreakdown {
  if (costMicros === 0) return { inputUsd: 0, outputUsd: 0, overheadUsd: 0 };
  const input = chargeMicros(
    price,
    {
      inputTokens: usage.inputTokens,
      outputTokens: 0,
      ...(usage.cacheReadTokens !== undefined ? { cacheReadTokens: usage.cacheReadTokens } : {}),
      ...(usage.cacheWriteTokens !== undefined ? { cacheWriteTokens: usage.cacheWriteTokens } : {}),
    },
    0,
  );
  const output = chargeMicros(price, { inputTokens: 0, outputTokens: usage.outputTokens }, 0);
  const overhead = Math.max(0, costMicros - input - output);
  return { inputUsd: microsToUsd(input), outputUsd: microsToUsd(output), overheadUsd: microsToUsd(overhead) };
}

export function doneEvent(args: { model: string; latencyMs: number; usage: Usage; costMicros: number; price: Priced }): DoneEvent {
  return {
    type: 'done',
    latencyMs: Math.round(args.latencyMs),
    costUsd: microsToUsd(args.costMicros),
    inputTokens: args.usage.inputTokens,
    outputTokens: args.usage.outputTokens,
    model: args.model,
    costBreakdown: costBreakdown(args.price, args.usage, args.costMicros),
  };
}
