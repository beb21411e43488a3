/**
 * What the gateway needs from billing: reserve the most a request can cost before calling a
 * provider, settle to the actual cost after (or release on failure). Amounts in micro-dollars.
 */
import type { Principal } from '../plugins/types.js';

export interface ChargeEstimate {
  readonly requestId: string;
  readonly modelId: string;
  /** The most this request can cost, overhead included. */
  readonly maxCostMicros: number;
}

export interface ActualCharge {
  readonly requestId: string;
  readonly modelId: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Provider cost × (1 + overhead), rounded once. */
  readonly costMicros: number;
}

export interface Reservation {
  readonly id: string;
}

export interface BillingPort {
  /** Throws GatewayError insufficient_credits / key_limit_reached. */
  reserve(principal: Principal, estimate: ChargeEstimate): Promise<Reservation> | Reservation;
  /** Commits the charge; resolves once it is durable. */
  settle(principal: Principal, reservation: Reservation, charge: ActualCharge): Promise<void> | void;
  release(principal: Principal, reservation: Reservation): void;
  /**
   * Changes a reservation's maximum (e.g. from the cheapest possible model, held before routing,
   * to the chosen candidates' worst case); throws like reserve() when the increase does not fit.
   */
  resize?(principal: Principal, reservation: Reservation, maxCostMicros: number): void;
}

/** No credits system: nothing is reserved or charged. */
export const UNMETERED: BillingPort = {
  reserve: (_p, estimate) => ({ id: estimate.requestId }),
  settle: () => {},
  release: () => {},
  resize: () => {},
};
