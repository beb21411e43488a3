/**
 * read → parse YAML → ${ENV} → load plugins → ajv (defaults) → env overrides → references →
 * deep-freeze. Every error is collected and thrown together as a ConfigError.
 */
import { readFile } from 'node:fs/promises';
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parseDocument } from 'yaml';
import { loadPlugins } from '../plugins/loader.js';
import type { PluginRegistry } from '../plugins/registry.js';
import { ConfigError, formatAjvErrors } from './errors.js';
import { interpolateEnv } from './interpolate.js';
import { buildConfigSchema } from './schema.js';
import { precompiledValidator } from './precompiled.js';
import { checkReferences } from './semantic.js';
import { checkSafety } from './safety.js';
import type { Config } from './types.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export const CONFIG_AJV_OPTIONS = { allErrors: true, useDefaults: true, strict: false, allowUnionTypes: true } as const;

/** Compiled at each start or reload unless the build's precompiled validator fits (config/precompiled.ts). */
export function configSchemaAjv(extra: { readonly code?: { readonly source?: boolean } } = {}): Ajv {
  // Skipping ajv's code optimizer halves the compile (~0.5 s of a CLI command).
  const ajv = new Ajv({ ...CONFIG_AJV_OPTIONS, code: { optimize: false, ...extra.code } });
  addFormats(ajv);
  return ajv;
}

export interface LoadedConfig {
  readonly config: Config;
  readonly registry: PluginRegistry;
  readonly path: string;
}

/** `$SWITCHBOARD_CONFIG`, else ./config.yaml, else ./config.example.yaml. */
export async function resolveConfigPath(env: NodeJS.ProcessEnv, cwd: string, explicit?: string): Promise<string> {
  if (explicit) return resolve(cwd, explicit);
  if (env['SWITCHBOARD_CONFIG']) return resolve(cwd, env['SWITCHBOARD_CONFIG']);
  for (const name of ['config.yaml', 'config.example.yaml']) {
    const path = resolve(cwd, name);
    if (
      await access(path).then(
        () => true,
        () => false,
      )
    )
      return path;
  }
  return resolve(cwd, 'config.yaml');
}

export function parseYaml(text: string): { value: unknown; errors: string[] } {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return { value: undefined, errors: doc.errors.map((e) => `(yaml) line ${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}`) };
  }
  const value = doc.toJS() as unknown;
  return { value: value ?? {}, errors: [] };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function applyEnvOverrides(config: Record<string, Record<string, unknown>>, env: NodeJS.ProcessEnv, errors: string[]): void {
  const port = env['PORT'];
  if (port !== undefined && port !== '') {
    if (!/^\d+$/.test(port) || Number(port) > 65535) errors.push(`PORT: must be an integer 0–65535, got "${port}"`);
    else if (config['server']) config['server']['port'] = Number(port);
  }
  const host = env['HOST'];
  if (host !== undefined && host.trim() !== '' && config['server']) config['server']['host'] = host.trim();
  const dbUrl = env['SWITCHBOARD_DATABASE_URL'];
  if (dbUrl && config['database']) config['database']['url'] = dbUrl;
}

/** Validates a parsed (not yet interpolated) YAML tree against the registry's schema. */
export function validateConfig(raw: unknown, registry: PluginRegistry, env: NodeJS.ProcessEnv): { config?: Config; tree?: object; errors: string[] } {
  const interpolated = interpolateEnv(raw, env);
  const errors = [...interpolated.errors];
  const tree = interpolated.value;
  if (tree === null || typeof tree !== 'object' || Array.isArray(tree)) return { errors: [...errors, '(root): must be a mapping of sections'] };

  const auth = (tree as Record<string, unknown>)['auth'];
  if (auth && typeof auth === 'object' && Array.isArray((auth as Record<string, unknown>)['admin_keys'])) {
    const a = auth as Record<string, unknown>;
    a['admin_keys'] = (a['admin_keys'] as unknown[]).filter((k) => !(typeof k === 'string' && k.trim() === ''));
  }

  const schema = buildConfigSchema(registry);
  const validate = precompiledValidator(schema) ?? configSchemaAjv().compile(schema);
  if (!validate(tree)) errors.push(...formatAjvErrors(validate.errors ?? []));
  // Report the cross-reference mistakes in the same pass (best effort on a tree that failed the schema).
  if (errors.length > 0) return { tree, errors: [...errors, ...referencesOfInvalidTree(tree)] };

  applyEnvOverrides(tree as Record<string, Record<string, unknown>>, env, errors);
  const config = tree as unknown as Config;
  errors.push(...checkReferences(config), ...checkSafety(config));
  if (errors.length > 0) return { errors };
  return { config: deepFreeze(config), errors };
}

export async function loadConfig(path: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError([`(file): cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`], path);
  }
  const parsed = parseYaml(text);
  if (parsed.errors.length > 0) throw new ConfigError(parsed.errors, path);

  const pluginsDir = readPluginsDir(interpolateEnv(parsed.value, env).value);
  const { registry, errors: pluginErrors } = await loadPlugins(pluginsDir, cwd);
  const { config, tree, errors } = validateConfig(parsed.value, registry, env);
  const all = [...pluginErrors, ...errors];
  if (all.length > 0 || !config) throw new InvalidConfigError(all, path, tree === undefined ? undefined : { config: tree as Config, registry });
  return { config, registry, path };
}

/**
 * A ConfigError that keeps the (defaulted, invalid) tree, so a caller can also instantiate the
 * plugins and list their option errors in the same report (check-config, start).
 */
export class InvalidConfigError extends ConfigError {
  constructor(
    errors: readonly string[],
    source: string,
    readonly partial: Pick<LoadedConfig, 'config' | 'registry'> | undefined,
  ) {
    super(errors, source);
  }
}

function referencesOfInvalidTree(tree: object): string[] {
  try {
    return checkReferences(tree as Config);
  } catch {
    return []; // a section too malformed to cross-check: its schema errors say what is wrong
  }
}

function readPluginsDir(tree: unknown): string {
  if (tree && typeof tree === 'object') {
    const plugins = (tree as Record<string, unknown>)['plugins'];
    if (plugins && typeof plugins === 'object') {
      const dir = (plugins as Record<string, unknown>)['dir'];
      if (typeof dir === 'string' && dir) return dir;
    }
  }
  return './plugins';
}
