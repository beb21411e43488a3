/** What the gateway reports as it works; metrics and logs implement it. Never blocks. */
import type { ErrorCode } from '../errors.js';
import type { Usage } from '../formats/canonical.js';

export interface RoutedEvent {
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

export interface CompletionEvent {
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
