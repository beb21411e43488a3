/**
 * Request bodies of the key APIs (seed and OpenRouter formats) → one normalized input.
 * Every rejection is a 400 naming the field; values a client sent are never echoed when they
 * could be a key.
 */
import { GatewayError } from '../errors.js';
import { usdToMicros } from '../billing/price.js';
import type { Scope } from '../plugins/types.js';
import { ALL_SCOPES, type KeyType, type LimitReset } from './key-record.js';
import { validateIpEntry } from './ip-allow.js';
import { MAX_ALLOWED_ORIGINS, normalizeOrigin } from './origin-allow.js';

export const MAX_KEY_NAME = 100;
export const MAX_EXPIRY_DAYS = 730;
export const MAX_ALLOWED_IPS = 100;
const MAX_LIMIT_USD = 1_000_000_000;
export const DAY_MS = 86_400_000;

export interface KeyCreateInput {
  readonly name?: string;
  readonly scopes?: readonly Scope[];
  readonly limitMicros?: number | null;
  readonly limitReset?: LimitReset | null;
  readonly expiresAt?: string | null;
  readonly allowedIps?: readonly string[] | null;
  readonly mode?: 'live' | 'test';
  readonly rateLimitRpm?: number | null;
  /** Account id or name; admin callers only. */
  readonly account?: string;
  /** `public`: a browser-safe key (completion routes only, from allowedOrigins). */
  readonly type?: KeyType;
  readonly allowedOrigins?: readonly string[] | null;
}

export interface KeyPatch {
  readonly name?: string;
  readonly disabled?: boolean;
  readonly scopes?: readonly Scope[];
  readonly limitMicros?: number | null;
  readonly limitReset?: LimitReset | null;
  readonly expiresAt?: string | null;
  readonly allowedIps?: readonly string[] | null;
  readonly rateLimitRpm?: number | null;
  readonly allowedOrigins?: readonly string[] | null;
}

export type Fields = Record<string, unknown>;
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export const invalid = (message: string) => new GatewayError('request_invalid', message);

export function bodyObject(body: unknown): Fields {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw invalid('The request body must be a JSON object');
  return body as Fields;
}

export function rejectUnknown(fields: Fields, allowed: readonly string[]): void {
  for (const name of Object.keys(fields)) {
    if (!allowed.includes(name)) throw invalid(`${name.length <= 40 ? name : 'a field'}: unknown field (allowed: ${allowed.join(', ')})`);
  }
}

export function parseName(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid('name: must be a non-empty string');
  if (value.length > MAX_KEY_NAME) throw invalid(`name: at most ${MAX_KEY_NAME} characters`);
  return value.trim();
}

export function parseScopes(value: unknown): Scope[] {
  if (!Array.isArray(value) || value.length === 0) throw invalid(`scopes: must be a non-empty array of ${ALL_SCOPES.join(', ')}`);
  const scopes: Scope[] = [];
  for (const s of value) {
    if (typeof s !== 'string' || !(ALL_SCOPES as readonly string[]).includes(s)) {
      throw invalid(`scopes: unknown scope${typeof s === 'string' && s.length <= 20 ? ` "${s}"` : ''} (known: ${ALL_SCOPES.join(', ')})`);
    }
    if (!scopes.includes(s as Scope)) scopes.push(s as Scope);
  }
  return scopes;
}

function parseLimit(value: unknown, field: string): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(`${field}: must be a number of USD or null`);
  if (value < 0) throw invalid(`${field}: must not be negative`);
  if (value > MAX_LIMIT_USD) throw invalid(`${field}: at most ${MAX_LIMIT_USD} USD`);
  return usdToMicros(value);
}

function parseLimitReset(value: unknown): LimitReset | null {
  if (value === null) return null;
  if (value === 'daily' || value === 'weekly' || value === 'monthly') return value;
  throw invalid('limit_reset: must be "daily", "weekly", "monthly" or null');
}

function parseExpiresAt(value: unknown, now: number): string | null {
  if (value === null) return null;
  const at = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(at)) throw invalid('expires_at: must be an ISO-8601 date-time (e.g. 2027-01-31T00:00:00Z) or null');
  if (at <= now) throw invalid('expires_at: must be in the future');
  if (at > now + MAX_EXPIRY_DAYS * DAY_MS) throw invalid(`expires_at: at most ${MAX_EXPIRY_DAYS} days from now`);
  return new Date(at).toISOString();
}

function parseExpiresInDays(value: unknown, now: number): string {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_EXPIRY_DAYS) {
    throw invalid(`expires_in_days: must be an integer from 1 to ${MAX_EXPIRY_DAYS}`);
  }
  return new Date(now + value * DAY_MS).toISOString();
}

export function parseAllowedIps(value: unknown): string[] | null {
  if (value === null) return null;
  if (!Array.isArray(value)) throw invalid('allowed_ips: must be an array of IP addresses or CIDRs, or null');
  if (value.length > MAX_ALLOWED_IPS) throw invalid(`allowed_ips: at most ${MAX_ALLOWED_IPS} entries`);
  const entries: string[] = [];
  for (const entry of value) {
    if (typeof entry !== 'string') throw invalid('allowed_ips: every entry must be a string');
    const problem = validateIpEntry(entry.trim());
    if (problem) throw invalid(`allowed_ips: ${problem.length > 120 ? 'an entry is not an IP address or CIDR' : problem}`);
    if (!entries.includes(entry.trim())) entries.push(entry.trim());
  }
  return entries.length === 0 ? null : entries;
}

export function parseAllowedOrigins(value: unknown): string[] | null {
  if (value === null) return null;
  if (!Array.isArray(value)) throw invalid('allowed_origins: must be an array of origins (e.g. ["https://app.example.com"]), or null');
  if (value.length > MAX_ALLOWED_ORIGINS) throw invalid(`allowed_origins: at most ${MAX_ALLOWED_ORIGINS} entries`);
  const origins: string[] = [];
  for (const entry of value) {
    if (typeof entry !== 'string') throw invalid('allowed_origins: every entry must be a string');
    const parsed = normalizeOrigin(entry);
    if ('problem' in parsed) throw invalid(`allowed_origins: ${parsed.problem}`);
    if (!origins.includes(parsed.origin)) origins.push(parsed.origin);
  }
  return origins.length === 0 ? null : origins;
}

export function parseKeyType(value: unknown): KeyType {
  if (value === 'secret' || value === 'public') return value;
  throw invalid('type: must be "secret" or "public"');
}

export function parseMode(value: unknown): 'live' | 'test' {
  if (value === 'live' || value === 'test') return value;
  throw invalid('mode: must be "live" or "test"');
}

function parseRpm(value: unknown): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 1_000_000)
    throw invalid('rate_limit_rpm: must be an integer from 1 to 1000000, or null');
  return value;
}

function parseBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw invalid(`${field}: must be true or false`);
  return value;
}

const SEED_CREATE_FIELDS = [
  'name',
  'scopes',
  'limit',
  'limit_reset',
  'expires_in_days',
  'expires_at',
  'allowed_ips',
  'mode',
  'rate_limit_rpm',
  'account',
  'type',
  'allowed_origins',
];
const SEED_PATCH_FIELDS = ['name', 'disabled', 'limit', 'limit_reset', 'scopes', 'allowed_ips', 'rate_limit_rpm', 'expires_at', 'allowed_origins'];

function parseCommon(f: Fields, now: number, into: Mutable<KeyPatch>): void {
  if (f['name'] !== undefined) into.name = parseName(f['name']);
  if (f['scopes'] !== undefined) into.scopes = parseScopes(f['scopes']);
  if (f['limit'] !== undefined) into.limitMicros = parseLimit(f['limit'], 'limit');
  if (f['limit_reset'] !== undefined) into.limitReset = parseLimitReset(f['limit_reset']);
  if (f['expires_at'] !== undefined) into.expiresAt = parseExpiresAt(f['expires_at'], now);
  if (f['allowed_ips'] !== undefined) into.allowedIps = parseAllowedIps(f['allowed_ips']);
  if (f['rate_limit_rpm'] !== undefined) into.rateLimitRpm = parseRpm(f['rate_limit_rpm']);
  if (f['allowed_origins'] !== undefined) into.allowedOrigins = parseAllowedOrigins(f['allowed_origins']);
}

/** POST /api/keys */
export function parseSeedCreate(body: unknown, now: number): KeyCreateInput {
  const f = bodyObject(body);
  rejectUnknown(f, SEED_CREATE_FIELDS);
  const out: Mutable<KeyCreateInput> = {};
  parseCommon(f, now, out);
  if (f['expires_in_days'] !== undefined) {
    if (f['expires_at'] !== undefined) throw invalid('expires_in_days: give either expires_in_days or expires_at, not both');
    out.expiresAt = parseExpiresInDays(f['expires_in_days'], now);
  }
  if (f['mode'] !== undefined) out.mode = parseMode(f['mode']);
  if (f['type'] !== undefined) out.type = parseKeyType(f['type']);
  if (f['account'] !== undefined) {
    if (typeof f['account'] !== 'string' || f['account'] === '' || f['account'].length > 100) throw invalid('account: must be an account id or name');
    out.account = f['account'];
  }
  return out;
}

/** PATCH /api/keys/:id */
export function parseSeedPatch(body: unknown, now: number): KeyPatch {
  const f = bodyObject(body);
  rejectUnknown(f, SEED_PATCH_FIELDS);
  const out: Mutable<KeyPatch> = {};
  parseCommon(f, now, out);
  if (f['disabled'] !== undefined) out.disabled = parseBoolean(f['disabled'], 'disabled');
  return out;
}

/**
 * POST /api/v1/keys (OpenRouter): name is required; OpenRouter fields with no meaning here
 * (include_byok_in_limit, creator_user_id, workspace_id, external) are checked for type and ignored.
 */
export function parseOpenRouterCreate(body: unknown, now: number): KeyCreateInput {
  const f = bodyObject(body);
  if (f['name'] === undefined) throw invalid('name: required');
  const out: Mutable<KeyCreateInput> = {};
  out.name = parseName(f['name']);
  if (f['limit'] !== undefined) out.limitMicros = parseLimit(f['limit'], 'limit');
  if (f['limit_reset'] !== undefined) out.limitReset = parseLimitReset(f['limit_reset']);
  if (f['expires_at'] !== undefined) out.expiresAt = parseExpiresAt(f['expires_at'], now);
  if (f['include_byok_in_limit'] !== undefined) parseBoolean(f['include_byok_in_limit'], 'include_byok_in_limit');
  return out;
}

/** PATCH /api/v1/keys/:hash (OpenRouter) */
export function parseOpenRouterPatch(body: unknown): KeyPatch {
  const f = bodyObject(body);
  const out: Mutable<KeyPatch> = {};
  if (f['name'] !== undefined) out.name = parseName(f['name']);
  if (f['disabled'] !== undefined) out.disabled = parseBoolean(f['disabled'], 'disabled');
  if (f['limit'] !== undefined) out.limitMicros = parseLimit(f['limit'], 'limit');
  if (f['limit_reset'] !== undefined) out.limitReset = parseLimitReset(f['limit_reset']);
  if (f['include_byok_in_limit'] !== undefined) parseBoolean(f['include_byok_in_limit'], 'include_byok_in_limit');
  return out;
}

/** ?offset=&limit= of list endpoints. */
export function parsePage(query: Record<string, unknown>, maxLimit: number, defaultLimit: number): { offset: number; limit: number } {
  const read = (name: string, fallback: number, min: number, max: number): number => {
    const raw = query[name];
    if (raw === undefined || raw === '') return fallback;
    const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) throw invalid(`${name}: must be an integer from ${min} to ${max}`);
    return n;
  };
  return { offset: read('offset', 0, 0, Number.MAX_SAFE_INTEGER), limit: read('limit', defaultLimit, 1, maxLimit) };
}
