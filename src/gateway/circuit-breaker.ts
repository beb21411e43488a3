/**
 * Per-model circuit breaker: `failures` failures within `window_s` open it; after `cooldown_s`
 * one probe is let through (half-open); its success closes the breaker, its failure re-opens it.
 * State lives outside the Runtime so it survives a reload.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerSettings {
  readonly failures: number;
  readonly window_s: number;
  readonly cooldown_s: number;
}

interface ModelBreaker {
  failures: number[];
  openedAt: number | null;
  probeInFlight: boolean;
}

export class CircuitBreakers {
  private readonly models = new Map<string, ModelBreaker>();

  constructor(
    private settings: BreakerSettings,
    private readonly clock: () => number,
    private readonly onChange: (modelId: string, state: BreakerState) => void = () => {},
  ) {}

  configure(settings: BreakerSettings): void {
    this.settings = settings;
  }

  state(modelId: string): BreakerState {
    const b = this.models.get(modelId);
    if (!b || b.openedAt === null) return 'closed';
    return this.clock() - b.openedAt >= this.settings.cooldown_s * 1000 ? 'half-open' : 'open';
  }

  /** Whether a request may be sent now; in half-open, only one probe at a time. */
  allow(modelId: string): boolean {
    const state = this.state(modelId);
    if (state === 'closed') return true;
    if (state === 'open') return false;
    const b = this.models.get(modelId);
    if (!b || b.probeInFlight) return false;
    b.probeInFlight = true;
    this.onChange(modelId, 'half-open');
    return true;
  }

  /** An attempt ended without saying anything about the model's health (client left, bad request). */
  release(modelId: string): void {
    const b = this.models.get(modelId);
    if (b) b.probeInFlight = false;
  }

  isHealthy(modelId: string): boolean {
    return this.state(modelId) !== 'open';
  }

  success(modelId: string): void {
    const b = this.models.get(modelId);
    if (!b) return;
    const wasOpen = b.openedAt !== null;
    this.models.delete(modelId);
    if (wasOpen) this.onChange(modelId, 'closed');
  }

  failure(modelId: string): void {
    const now = this.clock();
    let b = this.models.get(modelId);
    if (!b) this.models.set(modelId, (b = { failures: [], openedAt: null, probeInFlight: false }));
    if (b.openedAt !== null && b.probeInFlight) {
      b.openedAt = now;
      b.probeInFlight = false;
      this.onChange(modelId, 'open');
      return;
    }
    const since = now - this.settings.window_s * 1000;
    b.failures = b.failures.filter((t) => t > since);
    b.failures.push(now);
    if (b.openedAt === null && b.failures.length >= this.settings.failures) {
      b.openedAt = now;
      b.failures = [];
      this.onChange(modelId, 'open');
    }
  }

  /** Every model that is not closed, for metrics and /api/models. */
  snapshot(): Map<string, BreakerState> {
    const out = new Map<string, BreakerState>();
    for (const id of this.models.keys()) out.set(id, this.state(id));
    return out;
  }
}
