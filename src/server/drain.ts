/**
 * Graceful drain: once shutdown starts, /readyz answers 503 (so a load balancer stops sending)
 * while the listener stays open and the requests already in flight finish; new requests other
 * than the health checks get 503 `service_unavailable` with Connection: close. `drained()`
 * resolves when nothing is in flight any more.
 */
import type { RequestHandler } from 'express';
import { GatewayError } from '../errors.js';

const HEALTH_PATHS = new Set(['/healthz', '/readyz']);

export class Drain {
  private inFlight = 0;
  private draining = false;
  private waiters: (() => void)[] = [];

  get isDraining(): boolean {
    return this.draining;
  }

  readonly middleware: RequestHandler = (req, res, next) => {
    if (HEALTH_PATHS.has(req.path)) return next();
    if (this.draining) {
      res.setHeader('Connection', 'close');
      throw new GatewayError('service_unavailable', 'The server is shutting down; retry the request', { headers: { 'Retry-After': '1' } });
    }
    this.inFlight++;
    res.once('close', () => {
      this.inFlight--;
      if (this.inFlight === 0 && this.draining) this.release();
    });
    next();
  };

  /** Starts draining; resolves when no request is in flight. */
  drained(): Promise<void> {
    this.draining = true;
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
