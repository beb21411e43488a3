/**
 * The configuration schema's validator, generated at build time (ajv standalone code) so a start
 * or a CLI command does not spend ~0.5 s compiling it. Used only when the schema is exactly the
 * one it was generated from (same built-in plugins, no user plugin options): a hash says so.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';

/** Next to the compiled package: dist/config-validator.cjs (absent when running the sources). */
export const PRECOMPILED_PATH = fileURLToPath(new URL('../../config-validator.cjs', import.meta.url));

export function schemaKey(schema: object): string {
  return createHash('sha256').update(JSON.stringify(schema)).digest('hex');
}

interface PrecompiledModule {
  readonly schemaKey?: string;
  readonly validate?: ValidateFunction;
}

let cached: PrecompiledModule | null | undefined;

export function precompiledValidator(schema: object): ValidateFunction | undefined {
  if (cached === undefined) {
    // Start-up only (and once per process): read the build's file if there is one.
    cached = existsSync(PRECOMPILED_PATH) ? (createRequire(import.meta.url)(PRECOMPILED_PATH) as PrecompiledModule) : null;
  }
  if (!cached?.validate || cached.schemaKey !== schemaKey(schema)) return undefined;
  return cached.validate;
}
