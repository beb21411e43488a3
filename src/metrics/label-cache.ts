/**
 * Pre-bound prom-client children, cached per label-value tuple (values in labelNames order), so
 * the hot path does not build a label object per call. Label values are bounded (see
 * gateway-metrics.ts), so the cache is too.
 */
import type { Counter, Histogram } from 'prom-client';

function cached<C>(bind: (values: string[]) => C): (...values: string[]) => C {
  const children = new Map<string, C>();
  return (...values) => {
    const key = values.length === 1 ? values[0]! : values.join('\u0000');
    let child = children.get(key);
    if (child === undefined) {
      child = bind(values);
      children.set(key, child);
    }
    return child;
  };
}

export function counterChildren(metric: Counter<string>): (...values: string[]) => Counter.Internal {
  return cached((values) => metric.labels(...values));
}

export function histogramChildren(metric: Histogram<string>): (...values: string[]) => Histogram.Internal<string> {
  return cached((values) => metric.labels(...values));
}
