/**
 * The one internal model of a chat exchange. Client formats (OpenAI, Anthropic, native SSE)
 * decode into ChatRequest and encode ChatResult / StreamEvent back out; providers encode
 * ChatRequest into their wire format and decode their answers into ChatResult / StreamEvent.
 */
import type { GatewayError } from '../errors.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Anthropic-style prompt-cache breakpoint; kept on the part it was set on, dropped (with a warning) by providers without prompt caching. */
export interface CacheControl {
  readonly type: 'ephemeral';
  /** e.g. "5m" or "1h". */
  readonly ttl?: string;
}

export interface TextPart {
  readonly type: 'text';
  readonly text: string;
  readonly cacheControl?: CacheControl;
}

/**
 * Model reasoning ("thinking"). `signature` (Anthropic) must be sent back unchanged with the
 * block on the next turn; `redactedData` holds an Anthropic `redacted_thinking` block's opaque data
 * (then `text` is empty). Providers that cannot take reasoning back drop it from history.
 */
export interface ReasoningPart {
  readonly type: 'reasoning';
  readonly text: string;
  readonly signature?: string;
  readonly redactedData?: string;
}

export type ImageSource = { readonly kind: 'url'; readonly url: string } | { readonly kind: 'base64'; readonly mediaType: string; readonly data: string };

export interface ImagePart {
  readonly type: 'image';
  readonly source: ImageSource;
  readonly cacheControl?: CacheControl;
}

export interface ToolCallPart {
  readonly type: 'tool-call';
  readonly id: string;
  readonly name: string;
  /** JSON text of the arguments, exactly as the model produced it. */
  readonly arguments: string;
}

export interface ToolResultPart {
  readonly type: 'tool-result';
  readonly toolCallId: string;
  /** Tool name when the client format carries it (Gemini needs it; OpenAI/Anthropic do not). */
  readonly toolName?: string;
  readonly content: string;
  readonly isError?: boolean;
  readonly cacheControl?: CacheControl;
}

export type SystemMessage = {
  readonly role: 'system';
  readonly content: readonly TextPart[];
  /** Other fields of an Anthropic system turn (e.g. `output_config` under per-turn-control), for Anthropic providers only. */
  readonly anthropic?: JsonObject;
};
export type UserMessage = { readonly role: 'user'; readonly content: readonly (TextPart | ImagePart)[] };
export type AssistantMessage = { readonly role: 'assistant'; readonly content: readonly (TextPart | ReasoningPart | ToolCallPart)[] };
export type ToolMessage = { readonly role: 'tool'; readonly content: readonly ToolResultPart[] };
export type Message = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

export interface ToolDefinition {
  readonly name: string;
  readonly description?: string;
  /** JSON Schema of the arguments object. */
  readonly parameters: JsonObject;
  readonly cacheControl?: CacheControl;
  /** Other fields of an Anthropic tool definition (e.g. `defer_loading`, `strict`), for Anthropic providers only. */
  readonly anthropic?: JsonObject;
}

export type ToolChoice =
  | { readonly type: 'auto' }
  | { readonly type: 'none' }
  | { readonly type: 'required' }
  | { readonly type: 'tool'; readonly name: string };

export type ResponseFormat =
  | { readonly type: 'text' }
  | { readonly type: 'json_object' }
  | { readonly type: 'json_schema'; readonly name: string; readonly schema: JsonObject; readonly strict?: boolean; readonly description?: string };

/** What the client asked of the model's reasoning; each provider maps it to its own field. */
export interface ReasoningRequest {
  /** false = the client turned reasoning off explicitly. */
  readonly enabled: boolean;
  readonly effort?: 'minimal' | 'low' | 'medium' | 'high' | 'max';
  /** Anthropic `thinking.budget_tokens`. */
  readonly budgetTokens?: number;
  /** Anthropic `thinking: {type: "adaptive"}`: the model decides how long to think. */
  readonly adaptive?: boolean;
  /** Only an effort was given (Anthropic `output_config.effort` without `thinking`): no thinking mode was asked for. */
  readonly effortOnly?: boolean;
}

/**
 * Anthropic-only request fields that have no canonical meaning, passed through verbatim to
 * Anthropic providers and turned into warnings for the others.
 */
export interface AnthropicPassthrough {
  /** `anthropic-beta` header values, split on commas. */
  readonly betas?: readonly string[];
  readonly contextManagement?: JsonValue;
  /** Other top-level Anthropic fields (e.g. `metadata`, `service_tier`), by name. */
  readonly extra?: JsonObject;
}

export interface ChatRequest {
  /** Before routing: what the client asked for (id, alias or "auto"). For a provider: the upstream model name. */
  readonly model: string;
  readonly messages: readonly Message[];
  readonly maxTokens: number;
  readonly temperature?: number;
  readonly topP?: number;
  readonly stop?: readonly string[];
  readonly tools?: readonly ToolDefinition[];
  readonly toolChoice?: ToolChoice;
  readonly responseFormat?: ResponseFormat;
  readonly parallelToolCalls?: boolean;
  readonly user?: string;
  readonly stream: boolean;
  readonly reasoning?: ReasoningRequest;
  readonly anthropic?: AnthropicPassthrough;
}

export type UnifiedFinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';

export interface FinishReason {
  readonly unified: UnifiedFinishReason;
  /** The provider's own value (e.g. "end_turn", "STOP"), for logs and passthrough. */
  readonly raw: string | null;
}

export interface Usage {
  /** All prompt tokens, cache reads included (as OpenAI's prompt_tokens). */
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** The part of inputTokens read from the provider's prompt cache (billed at the cached price). */
  readonly cacheReadTokens?: number;
  /** The part of inputTokens written to the provider's prompt cache (billed at the cache-write price). */
  readonly cacheWriteTokens?: number;
  /** The part of outputTokens spent on reasoning. */
  readonly reasoningTokens?: number;
}

export interface ChatResult {
  /** Provider's response id when it gave one. */
  readonly id?: string;
  readonly content: readonly (TextPart | ReasoningPart | ToolCallPart)[];
  readonly finishReason: FinishReason;
  /** null when the provider reported none; the gateway then estimates it. */
  readonly usage: Usage | null;
  /** Settings the provider could not honour (sent to the client as a header, never dropped silently). */
  readonly warnings?: readonly string[];
}

/**
 * Stream parts. Tool calls are numbered by `index` in order of appearance (0, 1, …) within
 * one response; text and tool calls may interleave.
 */
export type StreamEvent =
  | {
      readonly type: 'start';
      readonly id?: string;
      readonly warnings?: readonly string[];
      /** Input-side usage when the provider reports it before the answer (Anthropic's message_start). */
      readonly usage?: Pick<Usage, 'inputTokens' | 'cacheReadTokens' | 'cacheWriteTokens'>;
    }
  | { readonly type: 'text-delta'; readonly text: string }
  | { readonly type: 'reasoning-delta'; readonly text: string }
  /** Closes a reasoning block; carries its signature (or the redacted block's data). */
  | { readonly type: 'reasoning-end'; readonly signature?: string; readonly redactedData?: string }
  | { readonly type: 'tool-call-start'; readonly index: number; readonly id: string; readonly name: string }
  | { readonly type: 'tool-call-delta'; readonly index: number; readonly argumentsDelta: string }
  | { readonly type: 'tool-call-end'; readonly index: number }
  | { readonly type: 'finish'; readonly finishReason: FinishReason; readonly usage: Usage | null }
  | { readonly type: 'error'; readonly error: GatewayError };

export function textOf(parts: readonly { readonly type: string; readonly text?: string }[]): string {
  let out = '';
  for (const part of parts) if (part.type === 'text' && part.text !== undefined) out += part.text;
  return out;
}
