/**
 * The plugin contracts. A plugin module's default export is a PluginDefinition; it has no import
 * side effects. The loader validates its options with `optionsSchema` (ajv, defaults applied)
 * and calls `create` once per configured instance, at start or reload, never per request.
 */
import type { JSONSchemaType } from 'ajv';
import type { ChatRequest, ChatResult, StreamEvent } from '../formats/canonical.js';
import type { HttpClient } from '../upstream/http-client.js';

export type PluginKind = 'provider' | 'policy' | 'auth' | 'classifier';

export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Resolves a credential reference from YAML (`vault:<name>` or a literal) at call time. */
export interface SecretResolver {
  resolve(ref: string | undefined): string | undefined;
}

/** The world, injected so plugins stay testable (seeded random, fake clock, fake HTTP). */
export interface PluginContext {
  readonly logger: Logger;
  /** Milliseconds since the epoch. */
  clock(): number;
  /** Uniform in [0, 1). */
  random(): number;
  readonly http: HttpClient;
  readonly secrets: SecretResolver;
  /** Verifies Switchboard API keys (for auth schemes that accept them). */
  readonly keyring: KeyVerifier;
  /**
   * The name YAML gives this instance (a provider's `name`), for messages a user reads: errors
   * say "Provider openai-eu …", not the plugin type. Absent where an instance has no name.
   */
  readonly instanceName?: string;
  /** Which accounts exist and which are unmetered (for auth schemes that map to accounts). */
  readonly accounts?: AccountDirectory;
}

export interface AccountDirectory {
  /** Whether the account exists; a known account answers synchronously. */
  exists(accountId: string): boolean | Promise<boolean>;
  /** Whether its requests are never charged (billing.unmetered_accounts). */
  isUnmetered(accountId: string): boolean;
}

export interface KeyVerifier {
  /**
   * The principal of a full API key; throws GatewayError auth_invalid / forbidden. `ip` is the
   * client address, or a function giving it: only keys with an IP allow-list read it.
   */
  verify(rawKey: string, ip: string | (() => string)): Principal | Promise<Principal>;
}

export interface PluginDefinition<K extends PluginKind, O, I> {
  readonly apiVersion: 1;
  readonly kind: K;
  /** What YAML names it by: `type: anthropic`. */
  readonly name: string;
  /** One sentence; shown in config errors and docs. */
  readonly description: string;
  /** An object schema; `additionalProperties: false`; defaults live here. */
  readonly optionsSchema: JSONSchemaType<O>;
  create(options: Readonly<O>, ctx: PluginContext): I | Promise<I>;
}

// ---------------------------------------------------------------- providers

export interface ProviderCapabilities {
  readonly streaming: boolean;
  readonly tools: boolean;
  readonly images: boolean;
  /** The wire format the provider speaks natively, if it is one of the client formats. */
  readonly nativeFormat?: 'openai' | 'anthropic';
}

export interface CallContext {
  /** Aborted when the client disconnects or the gateway gives up on the attempt. */
  readonly signal: AbortSignal;
  readonly requestId: string;
  /**
   * The YAML `capabilities` of the model being called (e.g. `reasoning`, `structured_output`),
   * so a provider serving several models can pick the request form each one accepts.
   */
  readonly capabilities?: ReadonlySet<string>;
}

export interface EmbeddingsRequest {
  readonly model: string;
  readonly body: Readonly<Record<string, unknown>>;
}

export interface Provider {
  readonly name: string;
  readonly capabilities: ProviderCapabilities;
  /** `req.model` is the upstream model name. Throws GatewayError (classified in map-error). */
  chat(req: ChatRequest, call: CallContext): Promise<ChatResult>;
  /**
   * Yields canonical events; the HTTP request is made on the first `next()`, so a failure
   * before any event is thrown from it (and can fall back). Ends with `finish` or throws.
   */
  stream(req: ChatRequest, call: CallContext): AsyncIterable<StreamEvent>;
  /**
   * Optional: the same events as stream(), grouped as they arrived (one array per upstream read;
   * never an empty one). The gateway uses it when present, so a burst of events costs one await
   * per pipeline layer instead of one per event. `decodeEventBatches` (src/upstream/event-batches)
   * builds it from SSE reads, and `eventsOf` derives stream() from it.
   */
  streamBatches?(req: ChatRequest, call: CallContext): AsyncIterable<readonly StreamEvent[]>;
  /** Where OpenAI-compatible passthrough routes (embeddings) are sent, with the credential. */
  passthroughTarget?(): { readonly baseUrl: string; readonly headers: Readonly<Record<string, string>> };
  close?(): Promise<void>;
}

export type ProviderPlugin<O = Record<string, unknown>> = PluginDefinition<'provider', O, Provider>;

// ---------------------------------------------------------------- routing policies

export interface Candidate {
  /** Switchboard model id. */
  readonly modelId: string;
  readonly provider: string;
  /** USD per 1M tokens (provider price, before overhead). */
  readonly inputPer1M: number;
  readonly outputPer1M: number;
  /** false while the circuit breaker holds the model open. */
  readonly healthy: boolean;
}

export interface RoutingInput {
  readonly category: string;
  readonly subcategory: string;
}

export interface AttemptOutcome {
  readonly category: string;
  readonly modelId: string;
  readonly ok: boolean;
  readonly latencyMs: number;
  readonly costUsd: number;
}

export interface FeedbackOutcome {
  readonly category: string;
  readonly modelId: string;
  /** In [0, 1]. */
  readonly score: number;
}

export interface Policy {
  /** Sync, no I/O: the order in which candidates are tried. */
  rank(candidates: readonly Candidate[], input: RoutingInput): readonly Candidate[];
  observe?(outcome: AttemptOutcome): void;
  feedback?(outcome: FeedbackOutcome): void;
  /** Serializable learned state; the host persists it. */
  snapshot?(): unknown;
  restore?(state: unknown): void;
  /** Per (category, model) statistics for /api/routing/stats and metrics. */
  stats?(): readonly PolicyArmStats[];
}

export interface PolicyArmStats {
  readonly category: string;
  readonly modelId: string;
  readonly pulls: number;
  readonly successes: number;
  readonly failures: number;
  readonly alpha: number;
  readonly beta: number;
  readonly meanReward: number;
  readonly avgLatencyMs: number;
  readonly avgCostUsd: number;
}

export type PolicyPlugin<O = Record<string, unknown>> = PluginDefinition<'policy', O, Policy>;

// ---------------------------------------------------------------- classifiers

export interface ClassifyInput {
  /** The text of the conversation's last user turn (plus a short tail of context). */
  readonly prompt: string;
  readonly hasImages: boolean;
  readonly hasFiles: boolean;
}

export interface Classification {
  readonly category: string;
  readonly subcategory: string;
  /** In [0, 1]. */
  readonly confidence: number;
}

export interface Classifier {
  classify(input: ClassifyInput): Classification | Promise<Classification>;
}

export type ClassifierPlugin<O = Record<string, unknown>> = PluginDefinition<'classifier', O, Classifier>;

// ---------------------------------------------------------------- auth schemes

export type Scope = 'chat' | 'read' | 'keys' | 'admin';

export interface Principal {
  readonly accountId: string;
  /** The API key's id; null for principals that are not keys (a JWT subject). */
  readonly keyId: string | null;
  readonly scopes: readonly Scope[];
  readonly mode: 'live' | 'test';
  /** Per-principal requests-per-minute override. */
  readonly rateLimitRpm: number | null;
  /** Which scheme authenticated it. */
  readonly scheme: string;
  /**
   * Set for a browser-safe (public) key: it may only call the completion routes and /api/chat,
   * from one of these origins (scheme://host[:port]).
   */
  readonly publicKey?: { readonly allowedOrigins: readonly string[] };
  /**
   * For a key minted by another key: that key and the ones above it, nearest first. Their credit
   * limits and rate limits apply to this key's requests too.
   */
  readonly lineage?: readonly KeyAncestor[];
}

export interface KeyAncestor {
  readonly keyId: string;
  /** Its requests-per-minute override (null: the default). */
  readonly rateLimitRpm: number | null;
}

export interface AuthRequest {
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly ip: string;
}

export interface Authenticator {
  /** null = "not mine, try the next scheme"; throws GatewayError('auth_invalid') to reject. */
  authenticate(req: AuthRequest): Promise<Principal | null> | Principal | null;
}

export type AuthPlugin<O = Record<string, unknown>> = PluginDefinition<'auth', O, Authenticator>;

export type AnyPlugin = PluginDefinition<PluginKind, unknown, unknown>;
