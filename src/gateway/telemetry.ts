/** What the gateway reports as it works; metrics and logs implement it. Never blocks. */
import type { ErrorCode } from '../errors.js';
import type { Usage } from '../formats/canonical.js';

/** Who and which request an event is about. */
export interface RequestIdentity {
  readonly requestId: string;
  readonly accountId: string;
  readonly keyId: string | null;
}

export interface RoutedEvent extends RequestIdentity {
  readonly category: string;
  readonly subcategory: string;
  readonly policy: string;
  readonly modelId: string;
}

export interface AttemptEvent {
  readonly modelId: string;
  readonly provider: string;
  readonly ok: boolean;
  readonly errorCode?: ErrorCode;
  /** Time until the provider answered (headers / first event). */
  readonly latencyMs: number;
}

export interface FallbackEvent {
  readonly fromModel: string;
  readonly toModel: string;
  readonly reason: ErrorCode;
}

export interface CompletionEvent extends RequestIdentity {
  readonly modelId: string;
  readonly provider: string;
  readonly category: string;
  readonly stream: boolean;
  readonly usage: Usage;
  readonly costMicros: number;
  /** Time spent waiting on the provider for the attempt that answered, first to last byte. */
  readonly upstreamMs: number;
  readonly ttftMs: number | null;
  readonly attempts: number;
  /** test-mode keys are never billed. */
  readonly mode: 'live' | 'test';
}

export interface GatewayTelemetry {
  routed(event: RoutedEvent): void;
  attempt(event: AttemptEvent): void;
  fallback(event: FallbackEvent): void;
  completed(event: CompletionEvent): void;
}

export const NO_TELEMETRY: GatewayTelemetry = {
  routed: () => {},
  attempt: () => {},
  fallback: () => {},
  completed: () => {},
};

/** Fans every event out to several consumers (metrics, request log, …). */
export function combineTelemetry(...consumers: readonly GatewayTelemetry[]): GatewayTelemetry {
  if (consumers.length === 1) return consumers[0]!;
  return {
    routed: (e) => consumers.forEach((c) => c.routed(e)),
    attempt: (e) => consumers.forEach((c) => c.attempt(e)),
    fallback: (e) => consumers.forEach((c) => c.fallback(e)),
    completed: (e) => consumers.forEach((c) => c.completed(e)),
  };
}
