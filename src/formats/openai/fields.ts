/**
 * Small narrowing helpers for hand-validated client bodies: each throws
 * GatewayError('request_invalid', '<path>: <what is wrong>').
 */
import { GatewayError } from '../../errors.js';
import type { JsonObject, JsonValue } from '../canonical.js';

export type Rec = Record<string, unknown>;

export function invalid(path: string, what: string): GatewayError {
  return new GatewayError('request_invalid', `${path}: ${what}`);
}

export function isRecord(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** OpenAI clients send `null` for "not given"; both mean absent. */
export function given(v: unknown): boolean {
  return v !== undefined && v !== null;
}

export function record(v: unknown, path: string): Rec {
  if (!isRecord(v)) throw invalid(path, 'must be an object');
  return v;
}

export function string(v: unknown, path: string, nonEmpty = false): string {
  if (typeof v !== 'string') throw invalid(path, 'must be a string');
  if (nonEmpty && v.trim() === '') throw invalid(path, 'must not be empty');
  return v;
}

export function optString(v: unknown, path: string): string | undefined {
  return given(v) ? string(v, path) : undefined;
}

export function optBoolean(v: unknown, path: string): boolean | undefined {
  if (!given(v)) return undefined;
  if (typeof v !== 'boolean') throw invalid(path, 'must be a boolean');
  return v;
}

export function optNumber(v: unknown, path: string, min: number, max: number): number | undefined {
  if (!given(v)) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw invalid(path, `must be a number between ${min} and ${max}`);
  }
  return v;
}

export function optInteger(v: unknown, path: string, min: number): number | undefined {
  if (!given(v)) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw invalid(path, `must be an integer >= ${min}`);
  return v;
}

export function oneOf<T extends string>(v: unknown, path: string, values: readonly T[]): T {
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
    throw invalid(path, `must be one of ${values.join(', ')}`);
  }
  return v as T;
}

function isJson(v: unknown, depth: number): v is JsonValue {
  if (depth > 64) return false;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every((x) => isJson(x, depth + 1));
  if (isRecord(v)) return Object.values(v).every((x) => isJson(x, depth + 1));
  return false;
}

/** A JSON object (e.g. a JSON Schema); bodies come from JSON.parse, so this mostly checks the shape. */
export function jsonObject(v: unknown, path: string): JsonObject {
  if (!isRecord(v) || !isJson(v, 0)) throw invalid(path, 'must be a JSON object');
  return v as JsonObject;
}
