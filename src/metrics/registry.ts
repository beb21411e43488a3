/**
 * One prom-client Registry per running gateway (never the global default: tests run several
 * servers in one process). Node process and event-loop metrics keep their standard names
 * (process_*, nodejs_*) so stock Node.js dashboards work; Switchboard's own series are
 * `switchboard_*` in base units.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';

export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  // Gauges named *_total break the exposition-format lint (promtool); each is the sum of the
  // per-type gauge of the same name without the suffix, which stays.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) registry.removeSingleMetric(name);
  return registry;
}

/** Buckets from sub-millisecond gateway work to minutes-long streams, in seconds. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/** Finer at the low end: the gateway's own overhead is usually well under 10 ms. */
export const OVERHEAD_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
