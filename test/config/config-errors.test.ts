/** Every kind of mistake a user makes in YAML is reported as `path.to.field: what is wrong`, all at once. */
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { loadConfig } from '../../src/config/load.js';
import { buildRuntime } from '../../src/gateway/runtime.js';
import { createLogger } from '../../src/logging/logger.js';
import { createHttpClient } from '../../src/upstream/http-client.js';

async function load(yaml: string, env: NodeJS.ProcessEnv = {}, files: Record<string, string> = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-config-'));
  await mkdir(join(dir, 'plugins'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, 'plugins', name), text);
  const path = join(dir, 'config.yaml');
  await writeFile(path, yaml);
  return loadConfig(path, env, dir);
}

async function errorsOf(yaml: string, env: NodeJS.ProcessEnv = {}, files: Record<string, string> = {}): Promise<readonly string[]> {
  try {
    await load(yaml, env, files);
  } catch (err) {
    if (err instanceof ConfigError) return err.errors;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const PROVIDERS = 'providers: [{ name: m, type: mock }]\nmodels: [{ id: a, provider: m }]\n';

describe('configuration errors', () => {
  it.each([
    ['YAML syntax', 'server: {port: 8080\n', /^\(yaml\) line \d+: /],
    ['duplicate key', 'server: {}\nserver: {}\n', /^\(yaml\) line \d+: .*[Uu]nique|duplicate/],
    ['wrong type', `server: { port: "eighty" }\n${PROVIDERS}`, /^server\.port: must be integer$/],
    ['out of range', `server: { port: 70000 }\n${PROVIDERS}`, /^server\.port: must be <= 65535$/],
    ['unknown key', `server: { prot: 8080 }\n${PROVIDERS}`, /^server\.prot: unknown key$/],
    ['unknown section', `serve: {}\n${PROVIDERS}`, /^serve: unknown key$/],
    ['unknown provider type', 'providers: [{ name: x, type: openia }]', /^providers\.0\.type: must be one of .*openai/],
    ['missing provider name', 'providers: [{ type: mock }]', /^providers\.0\.name: is required$/],
    ['unknown provider option', 'providers: [{ name: x, type: openai, base_ur: "http://x" }]', /^providers\.0\.base_ur: unknown key$/],
    ['bad provider option type', 'providers: [{ name: x, type: mock, failure_rate: 2 }]', /^providers\.0\.failure_rate: must be <= 1$/],
    [
      'model with unknown provider',
      'providers: [{ name: m, type: mock }]\nmodels: [{ id: a, provider: nope }]',
      /^models\.0\.provider: no provider named "nope"/,
    ],
    [
      'duplicate model id',
      'providers: [{ name: m, type: mock }]\nmodels: [{ id: a, provider: m }, { id: a, provider: m }]',
      /^models\.1\.id: duplicate model id "a"$/,
    ],
    [
      'negative price',
      'providers: [{ name: m, type: mock }]\nmodels: [{ id: a, provider: m, pricing: { input_per_1m: -1 } }]',
      /^models\.0\.pricing\.input_per_1m: must be >= 0$/,
    ],
    [
      'unknown category',
      'providers: [{ name: m, type: mock }]\nmodels: [{ id: a, provider: m, categories: [music] }]',
      /^models\.0\.categories\.0: must be one of text, code/,
    ],
    ['alias to nothing', `${PROVIDERS}aliases: { cheap: nope }`, /^aliases\.cheap: no model with id "nope"$/],
    [
      'route to unknown model',
      `${PROVIDERS}routing: { categories: { code: { models: [nope] } } }`,
      /^routing\.categories\.code\.models\.0: no model with id "nope"$/,
    ],
    ['unknown routing category', `${PROVIDERS}routing: { categories: { music: { models: [a] } } }`, /^routing\.categories\.music: unknown name/],
    ['bad body_limit', `server: { body_limit: lots }\n${PROVIDERS}`, /^server\.body_limit: must match pattern/],
    ['bad database url', `database: { url: "mysql://x" }\n${PROVIDERS}`, /^database\.url: must match pattern/],
    [
      'missing env var',
      `providers: [{ name: o, type: openai, api_key: "\${NOT_SET_ANYWHERE}" }]`,
      /^providers\.0\.api_key: environment variable NOT_SET_ANYWHERE is not set$/,
    ],
    [
      'bad promo expiry',
      `${PROVIDERS}billing: { promo_codes: [{ code: X, credits: 5, expires_at: tomorrow }] }`,
      /^billing\.promo_codes\.0\.expires_at: must match format "date-time"$/,
    ],
  ])('%s', async (_name, yaml, expected) => {
    const errors = await errorsOf(yaml);
    expect(errors).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  it('reports every error at once', async () => {
    const errors = await errorsOf('server: { port: x, prot: 1 }\nproviders: [{ name: m, type: nope }]\nlogging: { level: loud }\n');
    expect(errors.length).toBeGreaterThanOrEqual(4);
  });

  it('an invalid classifier regex names the rule (found when the plugins are instantiated, as at start and reload)', async () => {
    const loaded = await load(`${PROVIDERS}routing: { classifier: { type: rules, rules: [{ category: code, subcategory: x, patterns: ["(unclosed"] }] } }`);
    const keyring = {
      verify: () => {
        throw new Error('unused');
      },
    };
    const ctx = {
      logger: createLogger('silent'),
      clock: Date.now,
      random: Math.random,
      http: createHttpClient(),
      secrets: { resolve: (r: string | undefined) => r },
      keyring,
    };
    const error = await buildRuntime(loaded, ctx).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).errors.join('\n')).toMatch(/routing\.classifier.*rules\[0\]\.patterns\[0\]: invalid regular expression/);
  });

  it('a plugin file that fails to load is an error naming the file', async () => {
    const errors = await errorsOf(PROVIDERS, {}, { 'broken.js': 'export default {;' });
    expect(errors).toEqual([expect.stringMatching(/^plugins\.dir: .*broken\.js: failed to load/)]);
  });

  it('a file that is not a plugin is an error naming the file', async () => {
    const errors = await errorsOf(PROVIDERS, {}, { 'not-a-plugin.mjs': 'export default { hello: 1 };' });
    expect(errors).toEqual([expect.stringMatching(/not-a-plugin\.mjs: the default export is not a plugin definition/)]);
  });

  it('a user plugin adds a provider type, and its options are validated by its own schema', async () => {
    const plugin = `export default {
      apiVersion: 1, kind: 'provider', name: 'echo', description: 'Echo.',
      optionsSchema: { type: 'object', additionalProperties: false, properties: { prefix: { type: 'string', default: '>' } } },
      create: (o) => ({ name: 'echo', capabilities: { streaming: false, tools: false, images: false },
        chat: async () => ({ content: [{ type: 'text', text: o.prefix }], finishReason: { unified: 'stop', raw: null }, usage: null }),
        stream: async function* () {} }),
    };`;
    const ok = await load('providers: [{ name: e, type: echo, prefix: "!" }]\nmodels: [{ id: a, provider: e }]\n', {}, { 'echo.mjs': plugin });
    expect(ok.config.providers[0]).toMatchObject({ type: 'echo', prefix: '!' });
    const errors = await errorsOf('providers: [{ name: e, type: echo, prefix: 5 }]\n', {}, { 'echo.mjs': plugin });
    expect(errors).toEqual(['providers.0.prefix: must be string']);
  });

  it('interpolates ${VAR} and ${VAR:-default}, ignores empty admin keys, applies defaults, and freezes', async () => {
    const { config } = await load(
      'auth: { admin_keys: ["${ADMIN:-}", "${OTHER}"] }\nserver: { host: "${HOST:-127.0.0.1}" }\nproviders: [{ name: m, type: mock }]\nmodels: [{ id: a, provider: m }]\n',
      { OTHER: `bkb_${'b'.repeat(48)}`, PORT: '9999' },
    );
    expect(config.auth.admin_keys).toEqual([`bkb_${'b'.repeat(48)}`]);
    expect(config.server.host).toBe('127.0.0.1');
    expect(config.server.port).toBe(9999);
    expect(config.rate_limits.default_rpm).toBe(60);
    expect(config.billing.overhead).toBe(0.025);
    expect(config.routing.max_attempts).toBe(3);
    expect(Object.isFrozen(config.server)).toBe(true);
  });

  it('SWITCHBOARD_DATABASE_URL overrides database.url; a bad PORT is an error', async () => {
    const { config } = await load(PROVIDERS, { SWITCHBOARD_DATABASE_URL: 'sqlite::memory:' });
    expect(config.database.url).toBe('sqlite::memory:');
    expect(await errorsOf(PROVIDERS, { PORT: 'http' })).toEqual(['PORT: must be an integer 0–65535, got "http"']);
  });

  it('the shipped config.example.yaml is valid', async () => {
    const { config } = await loadConfig(join(import.meta.dirname, '../../config.example.yaml'), {}, join(import.meta.dirname, '../..'));
    expect(config.providers.some((p) => p.type === 'mock')).toBe(true);
  });
});
