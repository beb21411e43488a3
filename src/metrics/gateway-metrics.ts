/**
 * The gateway's own Prometheus series, fed by GatewayTelemetry events. Label values are bounded:
 * model ids, provider names, categories and policies come from the YAML, reasons from the
 * error-code table; never key ids, request ids or user text. Gauges that describe current state
 * (circuit breakers, bandit posteriors) are read at scrape time.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { FastHistogram, type HistogramSeries } from './fast-histogram.js';
import type { BreakerState, CircuitBreakers } from '../gateway/circuit-breaker.js';
import type { Runtime } from '../gateway/runtime.js';
import type { PolicyArmStats } from '../plugins/types.js';
import type { AttemptEvent, CompletionEvent, FallbackEvent, GatewayTelemetry, RoutedEvent } from '../gateway/telemetry.js';
import { deferredCounter, histogramChildren, type DeferredSeries, type SeriesLookup } from './label-cache.js';
import { LATENCY_BUCKETS } from './registry.js';

export const BREAKER_STATE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

export interface GatewayMetricsDeps {
  readonly runtime: () => Runtime;
  readonly breakers: CircuitBreakers;
}

/** Every learning arm of every policy, with its metric labels (read at scrape time). */
function eachArm(runtime: Runtime, visit: (labels: { policy: string; category: string; model: string }, arm: PolicyArmStats) => void): void {
  for (const [policy, impl] of runtime.policies) {
    for (const arm of impl.stats?.() ?? []) visit({ policy, category: arm.category, model: arm.modelId }, arm);
  }
}

export class GatewayMetrics implements GatewayTelemetry {
  private readonly upstreamErrors: Counter<'provider' | 'reason'>;
  private readonly fallbacks: Counter<'from_model' | 'to_model' | 'reason'>;
  private readonly attemptsPerRequest: HistogramSeries;
  private readonly rateLimitedRequests: Counter<'limit'>;
  private readonly breakerTransitions: Counter<'model' | 'state'>;
  // Cached children for the per-request series (label values in labelNames order).
  private readonly routingDecisionsBy: SeriesLookup<DeferredSeries>;
  private readonly upstreamRequestsBy: SeriesLookup<DeferredSeries>;
  private readonly upstreamLatencyBy: SeriesLookup<HistogramSeries>;
  private readonly completionsBy: SeriesLookup<DeferredSeries>;
  private readonly tokensBy: SeriesLookup<DeferredSeries>;
  private readonly costBy: SeriesLookup<DeferredSeries>;
  private readonly ttftBy: SeriesLookup<HistogramSeries>;
  private readonly upstreamDurationBy: SeriesLookup<HistogramSeries>;

  constructor(registry: Registry, deps: GatewayMetricsDeps) {
    const registers = [registry];
    this.routingDecisionsBy = deferredCounter({
      name: 'switchboard_routing_decisions_total',
      help: 'Routing decisions by category, first-choice model and policy.',
      labelNames: ['category', 'model', 'policy'],
      registers,
    });
    this.upstreamRequestsBy = deferredCounter({
      name: 'switchboard_upstream_requests_total',
      help: 'Upstream attempts by provider, model and outcome (ok or error).',
      labelNames: ['provider', 'model', 'outcome'],
      registers,
    });
    this.upstreamErrors = new Counter({
      name: 'switchboard_upstream_errors_total',
      help: 'Failed upstream attempts by provider and reason (Switchboard error code).',
      labelNames: ['provider', 'reason'],
      registers,
    });
    this.fallbacks = new Counter({
      name: 'switchboard_fallbacks_total',
      help: 'Fallbacks from one model to the next candidate, by reason.',
      labelNames: ['from_model', 'to_model', 'reason'],
      registers,
    });
    this.completionsBy = deferredCounter({
      name: 'switchboard_completions_total',
      help: 'Completed chat requests by model.',
      labelNames: ['model', 'provider', 'category', 'stream', 'mode'],
      registers,
    });
    this.tokensBy = deferredCounter({
      name: 'switchboard_tokens_total',
      help: 'Tokens by model and direction (input or output).',
      labelNames: ['model', 'direction'],
      registers,
    });
    this.costBy = deferredCounter({
      name: 'switchboard_cost_usd_total',
      help: 'Charged cost in USD (overhead included) by model.',
      labelNames: ['model'],
      registers,
    });
    this.attemptsPerRequest = new FastHistogram({
      name: 'switchboard_attempts_per_request',
      help: 'Upstream attempts needed per completed request.',
      labelNames: [],
      buckets: [1, 2, 3, 4, 5, 8],
      registers,
    }).labels();
    this.rateLimitedRequests = new Counter({
      name: 'switchboard_rate_limited_requests_total',
      help: 'Requests refused by the per-key rate limit, by which limit (requests or tokens).',
      labelNames: ['limit'],
      registers,
    });
    this.breakerTransitions = new Counter({
      name: 'switchboard_circuit_breaker_transitions_total',
      help: 'Circuit breaker state changes by model and new state.',
      labelNames: ['model', 'state'],
      registers,
    });
    this.upstreamLatencyBy = histogramChildren(
      new FastHistogram({
        name: 'switchboard_upstream_latency_seconds',
        help: 'Time until the provider answered (headers or first stream event), per attempt.',
        labelNames: ['provider', 'model', 'outcome'],
        buckets: LATENCY_BUCKETS,
        registers,
      }),
    );
    this.ttftBy = histogramChildren(
      new FastHistogram({
        name: 'switchboard_time_to_first_token_seconds',
        help: 'Streaming: time from the upstream request to the first token.',
        labelNames: ['model'],
        buckets: LATENCY_BUCKETS,
        registers,
      }),
    );
    this.upstreamDurationBy = histogramChildren(
      new FastHistogram({
        name: 'switchboard_upstream_duration_seconds',
        help: 'Time spent on the provider for the answering attempt, first to last byte.',
        labelNames: ['model'],
        buckets: LATENCY_BUCKETS,
        registers,
      }),
    );
    // Present from the first scrape, so rate() works before the first refusal.
    for (const limit of ['requests', 'tokens'] as const) this.rateLimitedRequests.inc({ limit }, 0);

    new Gauge({
      name: 'switchboard_circuit_breaker_state',
      help: 'Circuit breaker state per model: 0 closed, 1 half-open, 2 open.',
      labelNames: ['model'],
      registers,
      collect() {
        this.reset();
        for (const id of deps.runtime().models.keys()) this.set({ model: id }, BREAKER_STATE_VALUE[deps.breakers.state(id)]);
      },
    });
    new Gauge({
      name: 'switchboard_bandit_posterior_mean',
      help: 'Posterior mean reward alpha / (alpha + beta) per policy, category and model.',
      labelNames: ['policy', 'category', 'model'],
      registers,
      collect() {
        this.reset();
        eachArm(deps.runtime(), (labels, arm) => {
          const total = arm.alpha + arm.beta;
          if (total > 0) this.set(labels, arm.alpha / total);
        });
      },
    });
    new Gauge({
      name: 'switchboard_bandit_pulls',
      help: 'Observations per policy, category and model.',
      labelNames: ['policy', 'category', 'model'],
      registers,
      collect() {
        this.reset();
        eachArm(deps.runtime(), (labels, arm) => this.set(labels, arm.pulls));
      },
    });
  }

  routed(e: RoutedEvent): void {
    this.routingDecisionsBy(e.category, e.modelId, e.policy).inc();
  }

  attempt(e: AttemptEvent): void {
    const outcome = e.ok ? 'ok' : 'error';
    this.upstreamRequestsBy(e.provider, e.modelId, outcome).inc();
    this.upstreamLatencyBy(e.provider, e.modelId, outcome).observe(e.latencyMs / 1000);
    if (!e.ok) this.upstreamErrors.inc({ provider: e.provider, reason: e.errorCode ?? 'unknown' });
  }

  fallback(e: FallbackEvent): void {
    this.fallbacks.inc({ from_model: e.fromModel, to_model: e.toModel, reason: e.reason });
  }

  completed(e: CompletionEvent): void {
    this.completionsBy(e.modelId, e.provider, e.category, e.stream ? 'true' : 'false', e.mode).inc();
    this.tokensBy(e.modelId, 'input').inc(e.usage.inputTokens);
    this.tokensBy(e.modelId, 'output').inc(e.usage.outputTokens);
    this.costBy(e.modelId).inc(e.costMicros / 1e6);
    this.upstreamDurationBy(e.modelId).observe(e.upstreamMs / 1000);
    if (e.ttftMs !== null) this.ttftBy(e.modelId).observe(e.ttftMs / 1000);
    this.attemptsPerRequest.observe(e.attempts);
  }

  rateLimited(limit: 'requests' | 'tokens'): void {
    this.rateLimitedRequests.inc({ limit });
  }

  breakerChanged(modelId: string, state: BreakerState): void {
    this.breakerTransitions.inc({ model: modelId, state });
  }
}
