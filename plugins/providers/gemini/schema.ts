/**
 * JSON Schema → the OpenAPI subset Gemini accepts for function parameters and responseSchema.
 * Gemini answers 400 on `$schema` and `additionalProperties`, and on an OBJECT with no properties.
 */
import type { JsonObject, JsonValue } from '../../../src/formats/canonical.js';

const REJECTED_KEYS = new Set(['$schema', 'additionalProperties']);

/** Keys whose value maps names to schemas (the names themselves are never stripped). */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions']);

export function cleanSchema(schema: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (REJECTED_KEYS.has(key)) continue;
    out[key] = SCHEMA_MAPS.has(key) && isObject(value) ? mapValues(value) : cleanValue(value);
  }
  return out;
}

/** Function parameters, or undefined for a tool that takes none (Gemini rejects empty objects). */
export function toParameters(schema: JsonObject): JsonObject | undefined {
  const cleaned = cleanSchema(schema);
  const props = cleaned['properties'];
  const empty = props === undefined || (isObject(props) && Object.keys(props).length === 0);
  if (cleaned['type'] === 'object' && empty) return undefined;
  if (Object.keys(cleaned).length === 0) return undefined;
  return cleaned;
}

function mapValues(map: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [name, value] of Object.entries(map)) out[name] = isObject(value) ? cleanSchema(value) : value;
  return out;
}

function cleanValue(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(cleanValue);
  if (isObject(value)) return cleanSchema(value);
  return value;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
