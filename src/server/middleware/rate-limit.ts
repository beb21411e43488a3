/**
 * The after-auth hook that enforces per-key rate limits: every authenticated response carries
 * X-RateLimit-Limit / -Remaining / -Reset (requests per minute; plus -Tokens variants when a
 * tokens-per-minute limit is configured); over the limit it throws `rate_limited` (429 with
 * Retry-After, rendered in the route's envelope). Tokens are settled when the response ends.
 */
import type { Response } from 'express';
import { GatewayError } from '../../errors.js';
import type { Principal } from '../../plugins/types.js';
import type { RateLimiter } from '../../ratelimit/limiter.js';
import { onResponseDone } from '../response-hooks.js';
import { stateOf } from '../request-state.js';

export type RateLimitedReason = 'requests' | 'tokens';

export function rateLimitHook(limiter: RateLimiter, onLimited: (reason: RateLimitedReason) => void = () => {}): (principal: Principal, res: Response) => void {
  return (principal, res) => {
    // An operator must never lock themselves out of /api/admin/* (reload, credits, vault).
    if (principal.scopes.includes('admin') && res.req.path.startsWith('/api/admin/')) return;
    const admission = limiter.admit(principal);
    res.setHeader('X-RateLimit-Limit', String(admission.requests.limit));
    res.setHeader('X-RateLimit-Remaining', String(admission.requests.remaining));
    res.setHeader('X-RateLimit-Reset', String(admission.requests.reset));
    if (admission.tokens) {
      res.setHeader('X-RateLimit-Limit-Tokens', String(admission.tokens.limit));
      res.setHeader('X-RateLimit-Remaining-Tokens', String(admission.tokens.remaining));
      res.setHeader('X-RateLimit-Reset-Tokens', String(admission.tokens.reset));
    }
    if (!admission.allowed) {
      onLimited(admission.limitedBy ?? 'requests');
      const n = admission.retryAfterSeconds;
      throw new GatewayError('rate_limited', `Rate limit exceeded. Retry after ${n} seconds.`, { headers: { 'Retry-After': String(n) } });
    }
    if (admission.tokens) {
      onResponseDone(res, () => {
        const state = stateOf(res);
        limiter.settleTokens(principal, (state.inputTokens ?? 0) + (state.outputTokens ?? 0));
      });
    }
  };
}
