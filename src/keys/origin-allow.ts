/**
 * Browser origins of public keys: `scheme://host[:port]` exactly as a browser sends them in the
 * Origin header (lower-case, no path, no trailing slash, default ports left out), compared as
 * strings. No wildcards: a public key names each site it is embedded in.
 */

export const MAX_ALLOWED_ORIGINS = 50;

/** The normalized origin, or an error message (never echoing more than a short value). */
export function normalizeOrigin(entry: string): { origin: string } | { problem: string } {
  const shown = entry.length <= 80 ? `"${entry}"` : 'an entry';
  let url: URL;
  try {
    url = new URL(entry.trim());
  } catch {
    return { problem: `${shown} is not an origin (scheme://host[:port], e.g. https://app.example.com)` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { problem: `${shown}: only http and https origins are allowed` };
  if (url.username !== '' || url.password !== '' || (url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    return { problem: `${shown} is not an origin: give only scheme://host[:port], without a path` };
  }
  if (url.hostname.includes('*')) return { problem: `${shown}: wildcards are not allowed; list each origin` };
  return { origin: url.origin };
}

/** True when a request's Origin header is one of the key's origins. */
export function originAllowed(allowed: readonly string[] | ReadonlySet<string>, origin: string | undefined): origin is string {
  if (origin === undefined) return false;
  const lower = origin.toLowerCase();
  return Array.isArray(allowed) ? allowed.includes(lower) : (allowed as ReadonlySet<string>).has(lower);
}
