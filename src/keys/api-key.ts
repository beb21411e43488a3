/** API key strings: generation, hashing, display label. Only the hash is ever stored. */
import crypto, { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const KEY_RANDOM_HEX = 48;

export function generateApiKey(prefix: string): string {
  return `${prefix}${randomBytes(KEY_RANDOM_HEX / 2).toString('hex')}`;
}

const oneShotHash: typeof crypto.hash | undefined = typeof crypto.hash === 'function' ? crypto.hash : undefined;

/** SHA-256 is enough: keys carry 192 random bits, so there is nothing to brute-force. */
export function hashApiKey(key: string): string {
  // The one-shot crypto.hash (Node ≥ 20.12) skips creating a Hash object: this runs on every request.
  return oneShotHash ? oneShotHash('sha256', key, 'hex') : createHash('sha256').update(key, 'utf8').digest('hex');
}

export function hashesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** e.g. bkb_a1b2...9f0e */
export function keyLabel(key: string, prefix: string): string {
  const body = key.slice(prefix.length);
  return `${prefix}${body.slice(0, 4)}...${body.slice(-4)}`;
}

export function looksLikeApiKey(candidate: string, prefix: string): boolean {
  if (candidate.length !== prefix.length + KEY_RANDOM_HEX || !candidate.startsWith(prefix)) return false;
  for (let i = prefix.length; i < candidate.length; i++) {
    const c = candidate.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}
