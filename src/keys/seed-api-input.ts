/**
 * Request bodies of the seeds' other key APIs (SPEC §10) → the same KeyCreateInput as /api/keys:
 * Kolbo's `/api/api-keys` (permissions read/write, expiresInDays) and Orbit's
 * `/api/v1/settings/api-keys` (type secret|public, expiresIn enum, allowed_ips, allowed_origins).
 */
import type { Scope } from '../plugins/types.js';
import {
  bodyObject,
  DAY_MS,
  invalid,
  MAX_EXPIRY_DAYS,
  parseAllowedIps,
  parseAllowedOrigins,
  parseKeyType,
  parseMode,
  parseName,
  parseScopes,
  rejectUnknown,
  type KeyCreateInput,
  type Mutable,
} from './key-input.js';

/** Kolbo's permissions: `read` → scope read, `write` → scope chat. */
export const PERMISSION_SCOPES: Readonly<Record<'read' | 'write', Scope>> = { read: 'read', write: 'chat' };
export const KOLBO_DEFAULT_EXPIRY_DAYS = 365;

const KOLBO_FIELDS = ['name', 'permissions', 'expiresInDays'];
const ORBIT_FIELDS = ['name', 'type', 'scopes', 'mode', 'expiresIn', 'allowed_ips', 'allowed_origins'];
const EXPIRES_IN_DAYS: Readonly<Record<string, number | null>> = { never: null, '30d': 30, '90d': 90, '1y': 365 };

/** POST /api/api-keys */
export function parseKolboCreate(body: unknown, now: number): KeyCreateInput {
  const f = bodyObject(body);
  rejectUnknown(f, KOLBO_FIELDS);
  const out: Mutable<KeyCreateInput> = {};
  out.name = f['name'] === undefined ? 'API key' : parseName(f['name']);
  const permissions: unknown = f['permissions'] ?? ['read', 'write'];
  if (!Array.isArray(permissions) || permissions.length === 0) throw invalid('permissions: must be a non-empty array of "read", "write"');
  const scopes: Scope[] = [];
  for (const p of permissions as unknown[]) {
    if (p !== 'read' && p !== 'write') throw invalid('permissions: each entry must be "read" or "write"');
    if (!scopes.includes(PERMISSION_SCOPES[p])) scopes.push(PERMISSION_SCOPES[p]);
  }
  out.scopes = scopes;
  const days = f['expiresInDays'] ?? KOLBO_DEFAULT_EXPIRY_DAYS;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_EXPIRY_DAYS) {
    throw invalid(`expiresInDays: must be an integer from 1 to ${MAX_EXPIRY_DAYS}`);
  }
  out.expiresAt = new Date(now + days * DAY_MS).toISOString();
  return out;
}

/** POST /api/v1/settings/api-keys */
export function parseOrbitCreate(body: unknown, now: number): KeyCreateInput {
  const f = bodyObject(body);
  rejectUnknown(f, ORBIT_FIELDS);
  if (f['name'] === undefined) throw invalid('name: required');
  const out: Mutable<KeyCreateInput> = { name: parseName(f['name']) };
  if (f['type'] !== undefined) out.type = parseKeyType(f['type']);
  if (f['scopes'] !== undefined) out.scopes = parseScopes(f['scopes']);
  if (f['mode'] !== undefined) out.mode = parseMode(f['mode']);
  if (f['expiresIn'] !== undefined) {
    const expiresIn = f['expiresIn'];
    const days = typeof expiresIn === 'string' && Object.hasOwn(EXPIRES_IN_DAYS, expiresIn) ? EXPIRES_IN_DAYS[expiresIn] : undefined;
    if (days === undefined) throw invalid(`expiresIn: must be one of ${Object.keys(EXPIRES_IN_DAYS).join(', ')}`);
    out.expiresAt = days === null ? null : new Date(now + days * DAY_MS).toISOString();
  }
  if (f['allowed_ips'] !== undefined) out.allowedIps = parseAllowedIps(f['allowed_ips']);
  if (f['allowed_origins'] !== undefined) out.allowedOrigins = parseAllowedOrigins(f['allowed_origins']);
  return out;
}
