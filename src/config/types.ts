/** The validated, defaulted, frozen configuration (the YAML after ${ENV} and ajv). */

export interface PluginInstanceConfig {
  readonly type: string;
  readonly [option: string]: unknown;
}

export interface ProviderConfig extends PluginInstanceConfig {
  readonly name: string;
}

/**
 * `reasoning`: the openai provider sends `reasoning_effort` (o-series, GPT-5); `structured_output`:
 * the anthropic provider sends `output_config.format` natively instead of a forced tool.
 */
export type ModelCapability = 'text' | 'tools' | 'vision' | 'streaming' | 'embeddings' | 'reasoning' | 'structured_output';

export interface ModelConfig {
  readonly id: string;
  readonly name?: string;
  readonly provider: string;
  readonly upstream_model?: string;
  readonly categories: readonly string[];
  readonly pricing: {
    readonly input_per_1m: number;
    readonly output_per_1m: number;
    readonly cache_read_per_1m?: number;
    /** Older name of cache_read_per_1m. */
    readonly cached_input_per_1m?: number;
    readonly cache_write_per_1m?: number;
  };
  readonly context_window: number;
  readonly capabilities: readonly ModelCapability[];
  readonly fallbacks: readonly string[];
}

export interface CategoryRouteConfig {
  readonly policy: string;
  readonly models: readonly string[];
}

export interface PromoCodeConfig {
  readonly code: string;
  readonly credits: number;
  readonly max_redemptions?: number;
  readonly expires_at?: string;
}

export interface Config {
  readonly server: {
    readonly port: number;
    readonly host: string;
    readonly body_limit: string;
    /** false, a hop count, or proxy addresses/CIDRs (`true` is a config error). */
    readonly trust_proxy: boolean | number | string | readonly string[];
    readonly shutdown_timeout_ms: number;
  };
  readonly database: { readonly url: string };
  readonly auth: {
    readonly key_prefix: string;
    readonly public_key_prefix: string;
    readonly admin_keys: readonly string[];
    readonly schemes: readonly (string | PluginInstanceConfig)[];
    readonly max_keys_per_account: number;
  };
  readonly rate_limits: { readonly default_rpm: number; readonly default_tpm: number | null; readonly public_rpm: number };
  readonly billing: {
    readonly overhead: number;
    readonly promo_codes: readonly PromoCodeConfig[];
    /** Accounts recorded at cost but never charged nor blocked by balance (default ["default"]). */
    readonly unmetered_accounts: readonly string[];
  };
  readonly plugins: { readonly dir: string };
  readonly providers: readonly ProviderConfig[];
  readonly models: readonly ModelConfig[];
  readonly aliases: Readonly<Record<string, string>>;
  readonly routing: {
    readonly max_attempts: number;
    readonly deadline_ms: number;
    readonly default_category: string;
    readonly feedback_ttl_s: number;
    readonly classifier: PluginInstanceConfig;
    readonly categories: Readonly<Record<string, CategoryRouteConfig>>;
    readonly policies: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
    readonly circuit_breaker: { readonly failures: number; readonly window_s: number; readonly cooldown_s: number };
  };
  readonly metrics: { readonly enabled: boolean; readonly token?: string };
  readonly logging: { readonly level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent'; readonly log_prompts: boolean };
  readonly limits: { readonly max_messages: number; readonly max_conversation_bytes: number; readonly max_account_bytes: number };
  readonly storage: { readonly conversations: boolean };
  readonly retention: { readonly request_logs_days: number; readonly conversations_days: number; readonly responses_days: number };
}
