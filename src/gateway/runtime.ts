/**
 * The configuration resolved into live objects: provider, policy, classifier and auth plugin
 * instances and the model table. Built at start and on reload, then swapped atomically; a
 * request keeps the Runtime it started with.
 */
import { ConfigError } from '../config/errors.js';
import type { LoadedConfig } from '../config/load.js';
import type { Config, ModelCapability } from '../config/types.js';
import { validatePluginOptions } from '../plugins/options.js';
import type { PluginRegistry } from '../plugins/registry.js';
import type { AnyPlugin, Authenticator, Classifier, PluginContext, PluginKind, Policy, Provider } from '../plugins/types.js';

/** Anthropic bills a 5-minute prompt-cache write at 1.25× the input price; the default when YAML names none. */
const CACHE_WRITE_FACTOR = 1.25;

export interface ResolvedModel {
  readonly id: string;
  readonly name: string;
  readonly providerName: string;
  readonly provider: Provider;
  readonly upstreamModel: string;
  readonly categories: readonly string[];
  /** USD per 1M tokens, provider price (before overhead). */
  readonly inputPer1M: number;
  readonly outputPer1M: number;
  /** Prompt-cache reads and writes, USD per 1M tokens (provider price). */
  readonly cachedInputPer1M: number;
  readonly cacheWritePer1M: number;
  readonly contextWindow: number;
  readonly capabilities: ReadonlySet<ModelCapability>;
  readonly fallbacks: readonly string[];
}

export interface Runtime {
  readonly config: Config;
  readonly registry: PluginRegistry;
  readonly providers: ReadonlyMap<string, Provider>;
  readonly models: ReadonlyMap<string, ResolvedModel>;
  readonly classifier: Classifier;
  readonly policies: ReadonlyMap<string, Policy>;
  readonly authenticators: readonly { readonly name: string; readonly authenticator: Authenticator }[];
  /** Answers for test-mode keys: never reaches a real provider. */
  readonly testProvider: Provider;
  /** A model id for an id, an alias, or "<provider>/<id>"; undefined if unknown. */
  resolveModelId(requested: string): string | undefined;
}

function withoutKeys(entry: Readonly<Record<string, unknown>>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entry)) if (!keys.includes(k)) out[k] = v;
  return out;
}

async function instantiate<T>(
  registry: PluginRegistry,
  kind: PluginKind,
  type: string,
  options: Record<string, unknown>,
  ctx: PluginContext,
  path: string,
  errors: string[],
): Promise<T | undefined> {
  const plugin: AnyPlugin | undefined = registry.get(kind, type);
  if (!plugin) {
    errors.push(`${path}.type: unknown ${kind} plugin "${type}"`);
    return undefined;
  }
  try {
    return (await plugin.create(options, ctx)) as T;
  } catch (err) {
    const source = registry.source(kind, type);
    errors.push(`${path}: ${kind} plugin "${type}"${source && source !== 'built-in' ? ` (${source})` : ''} rejected its options: ${(err as Error).message}`);
    return undefined;
  }
}

export async function buildRuntime(loaded: Pick<LoadedConfig, 'config' | 'registry'>, ctx: PluginContext): Promise<Runtime> {
  const { config, registry } = loaded;
  const errors: string[] = [];

  const providers = new Map<string, Provider>();
  for (const [i, entry] of config.providers.entries()) {
    const instanceCtx: PluginContext = { ...ctx, instanceName: entry.name };
    const provider = await instantiate<Provider>(registry, 'provider', entry.type, withoutKeys(entry, ['name', 'type']), instanceCtx, `providers.${i}`, errors);
    if (provider) providers.set(entry.name, provider);
  }

  const models = new Map<string, ResolvedModel>();
  for (const m of config.models) {
    const provider = providers.get(m.provider);
    if (!provider) continue;
    models.set(m.id, {
      id: m.id,
      name: m.name ?? m.id,
      providerName: m.provider,
      provider,
      upstreamModel: m.upstream_model ?? m.id,
      categories: m.categories,
      inputPer1M: m.pricing.input_per_1m,
      outputPer1M: m.pricing.output_per_1m,
      cachedInputPer1M: m.pricing.cache_read_per_1m ?? m.pricing.cached_input_per_1m ?? m.pricing.input_per_1m,
      cacheWritePer1M: m.pricing.cache_write_per_1m ?? m.pricing.input_per_1m * CACHE_WRITE_FACTOR,
      contextWindow: m.context_window,
      capabilities: new Set(m.capabilities),
      fallbacks: m.fallbacks,
    });
  }

  const { type: classifierType, ...classifierOptions } = config.routing.classifier;
  const classifier = await instantiate<Classifier>(registry, 'classifier', classifierType, classifierOptions, ctx, 'routing.classifier', errors);

  const policies = new Map<string, Policy>();
  for (const plugin of registry.list('policy')) {
    const options = config.routing.policies[plugin.name] ?? {};
    const policy = await instantiate<Policy>(registry, 'policy', plugin.name, { ...options }, ctx, `routing.policies.${plugin.name}`, errors);
    if (policy) policies.set(plugin.name, policy);
  }

  const authenticators: { name: string; authenticator: Authenticator }[] = [];
  for (const [i, scheme] of config.auth.schemes.entries()) {
    const path = `auth.schemes.${i}`;
    const type = typeof scheme === 'string' ? scheme : scheme.type;
    let options = typeof scheme === 'string' ? {} : withoutKeys(scheme, ['type']);
    const plugin = registry.get('auth', type);
    if (plugin && typeof scheme === 'string') {
      const checked = validatePluginOptions(plugin, options, path);
      errors.push(...checked.errors);
      options = checked.options;
    }
    const authenticator = await instantiate<Authenticator>(registry, 'auth', type, options, ctx, path, errors);
    if (authenticator) authenticators.push({ name: type, authenticator });
  }

  const mockPlugin = registry.get('provider', 'mock');
  const testProvider = mockPlugin ? ((await mockPlugin.create(validatePluginOptions(mockPlugin, {}, 'mock').options, ctx)) as Provider) : undefined;

  if (errors.length > 0 || !classifier || !testProvider)
    throw new ConfigError(errors.length > 0 ? errors : ['(plugins): the built-in mock provider and a classifier are required']);

  const aliases = config.aliases;
  return {
    config,
    registry,
    providers,
    models,
    classifier,
    policies,
    authenticators,
    testProvider,
    resolveModelId(requested) {
      if (models.has(requested)) return requested;
      const alias = aliases[requested];
      if (alias !== undefined && models.has(alias)) return alias;
      const slash = requested.indexOf('/');
      if (slash > 0) {
        const rest = requested.slice(slash + 1);
        if (models.has(rest)) return rest;
      }
      return undefined;
    },
  };
}
