/**
 * The one way a charge is computed: tokens × the model's YAML price per 1M tokens gives
 * micro-dollars directly (1M tokens at $X = X·10⁶ µ$, so one token costs X µ$), then
 * × (1 + overhead), rounded once, half up.
 */
export interface PriceTable {
  readonly inputPer1M: number;
  readonly outputPer1M: number;
  /** Prompt-cache reads (default: the input price). */
  readonly cachedInputPer1M?: number;
  /** Prompt-cache writes (default: the input price). */
  readonly cacheWritePer1M?: number;
}

export interface BilledUsage {
  /** Every prompt token, cache reads and writes included. */
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens?: number;
  readonly cacheWriteTokens?: number;
}

export function chargeMicros(price: PriceTable, usage: BilledUsage, overhead: number): number {
  const cached = Math.min(usage.cacheReadTokens ?? 0, usage.inputTokens);
  const written = Math.min(usage.cacheWriteTokens ?? 0, usage.inputTokens - cached);
  const providerCost =
    (usage.inputTokens - cached - written) * price.inputPer1M +
    cached * (price.cachedInputPer1M ?? price.inputPer1M) +
    written * (price.cacheWritePer1M ?? price.inputPer1M) +
    usage.outputTokens * price.outputPer1M;
  return Math.round(providerCost * (1 + overhead) + Number.EPSILON * providerCost);
}

/** A price per 1M tokens as the caller pays it (overhead included), for /api/pricing and /api/models. */
export function priceWithOverhead(perMillion: number, overhead: number): number {
  return Math.round(perMillion * (1 + overhead) * 1e6) / 1e6;
}

export function microsToUsd(micros: number): number {
  return Math.round(micros) / 1e6;
}

export function usdToMicros(usd: number): number {
  return Math.round(usd * 1e6);
}
