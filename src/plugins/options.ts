/** Validates one plugin's options on their own (used where YAML names a plugin by a bare string). */
import { Ajv } from 'ajv';
import { formatAjvErrors } from '../config/errors.js';
import type { AnyPlugin } from './types.js';

export function validatePluginOptions(
  plugin: AnyPlugin,
  options: Record<string, unknown>,
  path: string,
): { options: Record<string, unknown>; errors: string[] } {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, allowUnionTypes: true, code: { optimize: false } });
  const copy = structuredClone(options);
  const validate = ajv.compile(plugin.optionsSchema as object);
  if (validate(copy)) return { options: copy, errors: [] };
  return { options: copy, errors: formatAjvErrors(validate.errors ?? []).map((e) => `${path}.${e}`) };
}
