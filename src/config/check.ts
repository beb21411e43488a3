/**
 * Every mistake in one report: YAML, schema and cross-references (loadConfig) plus the plugins'
 * own option checks, which only run when a plugin is created. `check-config` and the start both
 * go through here, so they say the same thing about the same file.
 */
import { openDatabase } from '../db/client.js';
import { buildRuntime } from '../gateway/runtime.js';
import { KeyStore } from '../keys/key-store.js';
import { Keyring } from '../keys/keyring.js';
import { createLogger } from '../logging/logger.js';
import type { PluginContext } from '../plugins/types.js';
import { createHttpClient } from '../upstream/http-client.js';
import { createSecretResolver, NO_SECRETS } from '../vault/secret-resolver.js';
import { ConfigError } from './errors.js';
import { InvalidConfigError, loadConfig, type LoadedConfig } from './load.js';

/** A context for creating plugins without running anything: no secrets, an empty key store. */
async function withDryContext<T>(keyPrefix: string, work: (ctx: PluginContext) => Promise<T>): Promise<T> {
  const http = createHttpClient();
  const database = openDatabase('sqlite::memory:');
  const keyring = new Keyring(new KeyStore(database.db, { prefix: keyPrefix, clock: Date.now }), Date.now);
  try {
    return await work({ logger: createLogger('silent'), clock: Date.now, random: Math.random, http, secrets: createSecretResolver(() => NO_SECRETS), keyring });
  } finally {
    await http.close();
    await database.close();
  }
}

/** The plugins' errors for entries the schema did not already complain about (no double reports). */
function newPluginErrors(reported: readonly string[], pluginErrors: readonly string[]): string[] {
  const pathOf = (line: string) => line.slice(0, line.indexOf(':'));
  return pluginErrors.filter((line) => !reported.some((r) => pathOf(r).startsWith(pathOf(line)) || pathOf(line).startsWith(pathOf(r))));
}

/** The load error plus what the plugins say about the same (invalid) file. */
export async function withPluginErrors(err: unknown): Promise<unknown> {
  if (!(err instanceof InvalidConfigError) || !err.partial) return err;
  const partial = err.partial;
  let extra: string[] = [];
  await withDryContext('bkb_', async (ctx) => {
    try {
      await buildRuntime(partial, ctx);
    } catch (buildErr) {
      // A tree that failed its schema may break a plugin in ways its schema errors already explain.
      if (buildErr instanceof ConfigError) extra = newPluginErrors(err.errors, buildErr.errors);
    }
  });
  return new ConfigError([...err.errors, ...extra], err.source);
}

/** check-config: throws one ConfigError listing everything wrong with the file. */
export async function checkConfigFile(path: string, env: NodeJS.ProcessEnv, cwd: string): Promise<LoadedConfig> {
  let loaded: LoadedConfig;
  try {
    loaded = await loadConfig(path, env, cwd);
  } catch (err) {
    throw await withPluginErrors(err);
  }
  await withDryContext(loaded.config.auth.key_prefix, (ctx) => buildRuntime(loaded, ctx));
  return loaded;
}
