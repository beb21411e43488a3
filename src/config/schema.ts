/**
 * The configuration's JSON schema: the core keys plus, for every plugin in the registry, its own
 * options schema (providers by `type`, the classifier by `type`, policies by name, auth schemes).
 * Every property has a one-sentence description; README's configuration reference follows it.
 */
import type { PluginRegistry } from '../plugins/registry.js';

type Schema = Record<string, unknown>;

const str = (description: string, extra: Schema = {}): Schema => ({ type: 'string', description, ...extra });
const int = (description: string, extra: Schema = {}): Schema => ({ type: 'integer', description, ...extra });
const num = (description: string, extra: Schema = {}): Schema => ({ type: 'number', description, ...extra });
const bool = (description: string, extra: Schema = {}): Schema => ({ type: 'boolean', description, ...extra });
const obj = (description: string, properties: Record<string, Schema>, extra: Schema = {}): Schema => ({
  type: 'object',
  description,
  properties,
  additionalProperties: false,
  default: {},
  ...extra,
});

export const CATEGORIES = ['text', 'code', 'image', 'video', 'document'] as const;
const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127}$';

/** A plugin instance: `{type, ...options}`; validated against the plugin named by `type`. */
function pluginInstanceSchema(registry: PluginRegistry, kind: 'provider' | 'classifier' | 'auth', core: Record<string, Schema>, required: string[]): Schema {
  const plugins = registry.list(kind);
  const names = plugins.map((p) => p.name);
  return {
    type: 'object',
    required: ['type', ...required],
    properties: { type: { type: 'string', enum: names, description: `Which ${kind} plugin: ${names.join(', ')}.` }, ...core },
    allOf: plugins.map((plugin) => {
      const options = plugin.optionsSchema as unknown as Schema;
      const properties = { ...((options['properties'] as Record<string, Schema> | undefined) ?? {}), ...core, type: { const: plugin.name } };
      return {
        if: { properties: { type: { const: plugin.name } }, required: ['type'] },
        then: {
          ...options,
          properties,
          required: [...((options['required'] as string[] | undefined) ?? []), 'type', ...required],
          additionalProperties: false,
        },
      };
    }),
  };
}

export function buildConfigSchema(registry: PluginRegistry): Schema {
  const policyNames = registry.list('policy').map((p) => p.name);
  const policyOptions: Record<string, Schema> = {};
  for (const plugin of registry.list('policy')) policyOptions[plugin.name] = { ...(plugin.optionsSchema as unknown as Schema), default: {} };
  const authSchemes = registry.list('auth').map((p) => p.name);

  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      server: obj('HTTP server settings.', {
        port: int('TCP port to listen on (env PORT overrides).', { minimum: 0, maximum: 65535, default: 8080 }),
        host: str('Interface to bind (env HOST overrides); beyond loopback, metrics.token is required.', { default: '127.0.0.1' }),
        body_limit: str('Largest accepted request body, e.g. 10mb.', { pattern: '^\\d+(\\.\\d+)?\\s*(b|kb|mb|gb)$', default: '10mb' }),
        trust_proxy: {
          description:
            "Whose X-Forwarded-For is believed: false (nobody), the number of proxy hops in front, or the proxies' addresses/CIDRs (a list or a comma-separated string); true is refused.",
          anyOf: [
            { type: 'boolean' },
            { type: 'integer', minimum: 0 },
            { type: 'string', minLength: 1 },
            { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
          ],
          default: false,
        },
        shutdown_timeout_ms: int('How long in-flight requests may take to finish on SIGTERM.', { minimum: 0, default: 10000 }),
      }),
      database: obj('Storage.', {
        url: str('sqlite:<path> (relative to the working directory) or sqlite::memory: (env SWITCHBOARD_DATABASE_URL overrides).', {
          default: 'sqlite:data/switchboard.db',
          pattern: '^(sqlite:|postgres(ql)?://)',
        }),
      }),
      auth: obj('Client authentication.', {
        key_prefix: str('Prefix of generated API keys.', { pattern: '^[a-z0-9_]{1,16}$', default: 'bkb_' }),
        public_key_prefix: str('Prefix of generated public (browser-safe) keys; must differ from key_prefix.', {
          pattern: '^[a-z0-9_]{1,16}$',
          default: 'pk_',
        }),
        admin_keys: {
          type: 'array',
          description: 'Admin API keys accepted in addition to those in the database, each <key_prefix><48 lowercase hex>; empty entries are ignored.',
          items: { type: 'string' },
          default: [],
        },
        schemes: {
          type: 'array',
          description: 'Auth scheme plugins tried in order.',
          minItems: 1,
          default: ['api-key'],
          items: { anyOf: [{ type: 'string', enum: authSchemes }, pluginInstanceSchema(registry, 'auth', {}, [])] },
        },
        max_keys_per_account: int('Active keys an account may hold.', { minimum: 1, default: 25 }),
      }),
      rate_limits: obj('Per-key rate limits.', {
        default_rpm: int('Requests per minute per key unless the key overrides it.', { minimum: 1, default: 60 }),
        default_tpm: { type: ['integer', 'null'], minimum: 1, description: 'Tokens per minute per key (null: no token limit).', default: null },
        public_rpm: int('Requests per minute per public (browser-safe) key unless the key overrides it.', { minimum: 1, default: 10 }),
      }),
      billing: obj('Credits and pricing.', {
        overhead: num('Fraction added to the provider cost (0.025 = 2.5%).', { minimum: 0, maximum: 10, default: 0.025 }),
        unmetered_accounts: {
          type: 'array',
          description:
            'Accounts whose requests are recorded in the ledger at cost but never charged nor blocked by balance (key limits still apply); the built-in operator account is "default".',
          items: { type: 'string', minLength: 1 },
          default: ['default'],
        },
        promo_codes: {
          type: 'array',
          description: 'Codes users can redeem for credits.',
          default: [],
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['code', 'credits'],
            properties: {
              code: str('The code users type.', { minLength: 1, maxLength: 64 }),
              credits: num('USD granted.', { exclusiveMinimum: 0 }),
              max_redemptions: int('How many accounts may redeem it.', { minimum: 1 }),
              expires_at: str('ISO-8601 instant after which it is refused.', { format: 'date-time' }),
            },
          },
        },
      }),
      plugins: obj('User plugins.', { dir: str('Folder scanned for plugin files at start and reload.', { default: './plugins' }) }),
      providers: {
        type: 'array',
        description: 'Upstream providers; each is an instance of a provider plugin.',
        default: [],
        items: pluginInstanceSchema(registry, 'provider', { name: str('Unique name that models refer to.', { pattern: ID_PATTERN }) }, ['name']),
      },
      models: {
        type: 'array',
        description: 'Models clients can use.',
        default: [],
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'provider'],
          properties: {
            id: str('The Switchboard model id clients send and see.', { pattern: ID_PATTERN }),
            name: str('Display name.'),
            provider: str('Name of the provider that serves it.'),
            upstream_model: str("The provider's model name (default: id)."),
            categories: {
              type: 'array',
              description: 'Categories it may serve under auto routing.',
              items: { type: 'string', enum: [...CATEGORIES] },
              default: ['text'],
            },
            pricing: {
              type: 'object',
              description: 'Provider price in USD per 1M tokens.',
              additionalProperties: false,
              default: {},
              properties: {
                input_per_1m: num('USD per 1M input tokens.', { minimum: 0, default: 0 }),
                output_per_1m: num('USD per 1M output tokens.', { minimum: 0, default: 0 }),
                cache_read_per_1m: num('USD per 1M input tokens read from the prompt cache (default: input price).', { minimum: 0 }),
                cached_input_per_1m: num('Older name of cache_read_per_1m, still accepted (cache_read_per_1m wins when both are set).', { minimum: 0 }),
                cache_write_per_1m: num('USD per 1M input tokens written to the prompt cache (default: input price × 1.25, Anthropic’s 5-minute rate).', {
                  minimum: 0,
                }),
              },
            },
            context_window: int('Largest prompt + answer in tokens.', { minimum: 1, default: 128000 }),
            capabilities: {
              type: 'array',
              description: 'What the model accepts.',
              items: { type: 'string', enum: ['text', 'tools', 'vision', 'streaming', 'embeddings', 'reasoning', 'structured_output'] },
              default: ['text', 'tools', 'vision', 'streaming'],
            },
            fallbacks: {
              type: 'array',
              description: 'Models tried next when this one fails and it was asked for by id.',
              items: { type: 'string' },
              default: [],
            },
          },
        },
      },
      aliases: { type: 'object', description: 'Extra names for models: alias → model id.', additionalProperties: { type: 'string' }, default: {} },
      routing: obj('How "auto" picks a model.', {
        max_attempts: int('Candidates tried per request before giving up.', { minimum: 1, maximum: 10, default: 3 }),
        deadline_ms: int('Total time budget for all attempts before the first byte.', { minimum: 1, default: 120000 }),
        default_category: { type: 'string', enum: [...CATEGORIES], description: 'Category used when a category has no route of its own.', default: 'text' },
        feedback_ttl_s: int('How long after a request /api/feedback accepts a score for it.', { minimum: 1, default: 86400 }),
        classifier: {
          ...pluginInstanceSchema(registry, 'classifier', {}, []),
          default: { type: 'rules' },
          description: 'The prompt classifier plugin and its options.',
        },
        categories: {
          type: 'object',
          description: 'Per category: the policy and its candidate models.',
          default: {},
          propertyNames: { enum: [...CATEGORIES] },
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            required: ['models'],
            properties: {
              policy: { type: 'string', enum: policyNames, description: 'Routing policy plugin.', default: 'fixed' },
              models: { type: 'array', items: { type: 'string' }, minItems: 1, description: 'Candidate model ids (or aliases).' },
            },
          },
        },
        policies: obj('Options for each policy plugin.', policyOptions),
        circuit_breaker: obj('Skip a failing model for a while.', {
          failures: int('Failures within the window that open the breaker.', { minimum: 1, default: 5 }),
          window_s: int('Window in seconds.', { minimum: 1, default: 60 }),
          cooldown_s: int('Seconds before a probe is let through.', { minimum: 1, default: 30 }),
        }),
      }),
      metrics: obj('Prometheus metrics.', {
        enabled: bool('Serve GET /metrics.', { default: true }),
        token: str('Bearer token required to scrape (empty: none; required when server.host is not a loopback address).'),
      }),
      logging: obj('Logs.', {
        level: { type: 'string', enum: ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], description: 'Minimum level written.', default: 'info' },
        log_prompts: bool('Write prompt and answer text into request logs.', { default: false }),
      }),
      limits: obj('Caps on what one request or account may send and store (test-mode keys included).', {
        max_messages: int('Messages accepted in one POST /api/chat body (413 beyond).', { minimum: 1, default: 1000 }),
        max_conversation_bytes: int('UTF-8 bytes one stored conversation may hold, inlined files included (413 beyond).', {
          minimum: 1,
          default: 5 * 1024 * 1024,
        }),
        max_account_bytes: int("UTF-8 bytes all of an account's stored conversations may hold (413 beyond).", { minimum: 1, default: 100 * 1024 * 1024 }),
      }),
      storage: obj('What is kept after a request.', {
        conversations: bool('Store /api/chat conversations (false: nothing is kept, conversationId is refused; a request may also send store: false).', {
          default: true,
        }),
      }),
      retention: obj('Data retention.', {
        request_logs_days: int('Days request logs are kept.', { minimum: 1, default: 30 }),
        conversations_days: int('Days a conversation is kept after its last message.', { minimum: 1, default: 90 }),
        responses_days: int('Days a stored Responses API response (previous_response_id, GET /v1/responses/:id) is kept.', { minimum: 1, default: 30 }),
      }),
    },
  };
}
