/** Narrowing helpers for hand-validated Anthropic bodies: each throws request_invalid naming the path. */
import { GatewayError } from '../../errors.js';
import type { CacheControl } from '../canonical.js';

export type Obj = Record<string, unknown>;

export function invalid(path: string, what: string): GatewayError {
  return new GatewayError('request_invalid', `${path}: ${what}`);
}

export function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function given(value: unknown): boolean {
  return value !== undefined && value !== null;
}

export function obj(value: unknown, path: string): Obj {
  if (!isObj(value)) throw invalid(path, value === undefined ? 'required' : 'must be an object');
  return value;
}

export function str(value: unknown, path: string): string {
  if (typeof value !== 'string') throw invalid(path, value === undefined ? 'required' : 'must be a string');
  return value;
}

export function optStr(value: unknown, path: string): string | undefined {
  return given(value) ? str(value, path) : undefined;
}

export function arr(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw invalid(path, value === undefined ? 'required' : 'must be an array');
  return value;
}

export function optNumber(value: unknown, path: string, min: number, max: number): number | undefined {
  if (!given(value)) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(path, 'must be a number');
  if (value < min || value > max) throw invalid(path, `must be between ${min} and ${max}`);
  return value;
}

/** `cache_control` on a block or tool: `{type: "ephemeral", ttl?: "5m" | "1h"}`. */
export function cacheControlOf(block: Obj, path: string): { cacheControl?: CacheControl } {
  const raw = block['cache_control'];
  if (!given(raw)) return {};
  const cc = obj(raw, `${path}.cache_control`);
  if (cc['type'] !== 'ephemeral') throw invalid(`${path}.cache_control.type`, "must be 'ephemeral'");
  const ttl = optStr(cc['ttl'], `${path}.cache_control.ttl`);
  return { cacheControl: ttl === undefined ? { type: 'ephemeral' } : { type: 'ephemeral', ttl } };
}
