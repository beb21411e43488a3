import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/plugins/types.js';
import { MemoryRateLimitStore, RateLimiter, rateLimitKey, type RateLimitSettings } from '../../src/ratelimit/limiter.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

function principal(overrides: Partial<Principal> = {}): Principal {
  return { accountId: 'acct-1', keyId: 'key-1', scopes: ['chat'], mode: 'live', rateLimitRpm: null, scheme: 'api-key', ...overrides };
}

function setup(settings: RateLimitSettings = { default_rpm: 60, default_tpm: null }) {
  let now = T0;
  const store = new MemoryRateLimitStore();
  const limiter = new RateLimiter(
    () => settings,
    () => now,
    store,
  );
  return {
    limiter,
    store,
    advance(ms: number) {
      now += ms;
    },
    at(ms: number) {
      now = T0 + ms;
    },
  };
}

function admitted(limiter: RateLimiter, p: Principal, n: number): number {
  let ok = 0;
  for (let i = 0; i < n; i++) if (limiter.admit(p).allowed) ok++;
  return ok;
}

describe('RateLimiter (GCRA, requests per minute)', () => {
  it('admits exactly the limit in a burst, then refuses', () => {
    const { limiter } = setup({ default_rpm: 5, default_tpm: null });
    const p = principal();
    const results = Array.from({ length: 6 }, () => limiter.admit(p));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, true, true, false]);
    expect(results.map((r) => r.requests.remaining)).toEqual([4, 3, 2, 1, 0, 0]);
    expect(results[5]!.limitedBy).toBe('requests');
  });

  it('gives Retry-After as the whole seconds until one request fits again', () => {
    const { limiter, advance } = setup({ default_rpm: 5, default_tpm: null });
    const p = principal();
    admitted(limiter, p, 5);
    // One request every 12 s is earned back.
    expect(limiter.admit(p).retryAfterSeconds).toBe(12);
    advance(11_500);
    expect(limiter.admit(p)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    advance(500);
    expect(limiter.admit(p).allowed).toBe(true);
    expect(limiter.admit(p).allowed).toBe(false);
  });

  it('reports the limit, the remaining requests and the reset time (unix seconds, bucket full again)', () => {
    const { limiter } = setup({ default_rpm: 60, default_tpm: null });
    const p = principal();
    const first = limiter.admit(p);
    expect(first.requests).toEqual({ limit: 60, remaining: 59, reset: T0 / 1000 + 1 });
    admitted(limiter, p, 9);
    expect(limiter.status(p)).toEqual({ limit: 60, remaining: 50, reset: T0 / 1000 + 10 });
  });

  it('lets no 2× burst through across a minute boundary (unlike a fixed window)', () => {
    const { limiter, at } = setup({ default_rpm: 10, default_tpm: null });
    const p = principal();
    at(59_900);
    expect(admitted(limiter, p, 10)).toBe(10);
    at(60_100); // a fixed window would have reset here and let 10 more through
    expect(admitted(limiter, p, 10)).toBe(0);
    at(59_900 + 6_000); // one request is earned back every 6 s
    expect(admitted(limiter, p, 10)).toBe(1);
  });

  it('never admits more than the limit plus what the elapsed time earned, in any window', () => {
    const { limiter, at } = setup({ default_rpm: 30, default_tpm: null });
    const p = principal();
    const times: number[] = [];
    for (let ms = 0; ms < 300_000; ms += 250) {
      at(ms);
      if (limiter.admit(p).allowed) times.push(ms);
    }
    for (const start of times) {
      const inWindow = times.filter((t) => t >= start && t < start + 60_000).length;
      expect(inWindow).toBeLessThanOrEqual(30 + 30);
    }
    // The sustained rate is exact: 30 per minute after the initial burst.
    expect(times.filter((t) => t >= 120_000 && t < 180_000).length).toBe(30);
  });

  it('uses the per-key override and keeps keys apart', () => {
    const { limiter } = setup({ default_rpm: 2, default_tpm: null });
    const fast = principal({ keyId: 'fast', rateLimitRpm: 4 });
    const slow = principal({ keyId: 'slow' });
    expect(admitted(limiter, fast, 10)).toBe(4);
    expect(admitted(limiter, slow, 10)).toBe(2);
    expect(limiter.status(fast).limit).toBe(4);
  });

  it('limits principals without a key id by account and scheme', () => {
    expect(rateLimitKey(principal({ keyId: null, scheme: 'jwt', accountId: 'a' }))).toBe('account:jwt:a');
    const { limiter } = setup({ default_rpm: 3, default_tpm: null });
    const jwtA = principal({ keyId: null, scheme: 'jwt', accountId: 'a' });
    const adminA = principal({ keyId: null, scheme: 'api-key', accountId: 'a' });
    expect(admitted(limiter, jwtA, 5)).toBe(3);
    expect(admitted(limiter, adminA, 5)).toBe(3);
  });

  it('status() reads without counting', () => {
    const { limiter } = setup({ default_rpm: 3, default_tpm: null });
    const p = principal();
    for (let i = 0; i < 5; i++) expect(limiter.status(p).remaining).toBe(3);
    expect(admitted(limiter, p, 5)).toBe(3);
  });

  it('evicts idle keys once their bucket is full again', () => {
    const { limiter, store, advance } = setup({ default_rpm: 60, default_tpm: null });
    for (let i = 0; i < 1000; i++) limiter.admit(principal({ keyId: `k${i}` }));
    expect(store.size()).toBe(1000);
    advance(61_000);
    limiter.admit(principal({ keyId: 'fresh' }));
    expect(store.size()).toBe(1);
    // A peek never creates an entry.
    limiter.status(principal({ keyId: 'never-seen' }));
    expect(store.size()).toBe(1);
  });
});

describe('RateLimiter tokens per minute (settled after the response)', () => {
  it('admits while the token bucket is not empty and charges real usage afterwards', () => {
    const { limiter, advance } = setup({ default_rpm: 100, default_tpm: 1000 });
    const p = principal();
    const first = limiter.admit(p);
    expect(first.allowed).toBe(true);
    expect(first.tokens).toEqual({ limit: 1000, remaining: 1000, reset: T0 / 1000 });
    limiter.settleTokens(p, 1500); // one big request overdraws the bucket
    const refused = limiter.admit(p);
    expect(refused).toMatchObject({ allowed: false, limitedBy: 'tokens' });
    // 500 tokens of debt plus 1 token needed, at 1000 per minute: 30.06 s → 31 s.
    expect(refused.retryAfterSeconds).toBe(31);
    // A refusal by tokens does not use up a request slot.
    expect(refused.requests.remaining).toBe(99);
    advance(31_000);
    expect(limiter.admit(p).allowed).toBe(true);
  });
});
