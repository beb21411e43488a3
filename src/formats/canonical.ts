/**
 * The one internal model of a chat exchange. Client formats (OpenAI, Anthropic, native SSE)
 * decode into ChatRequest and encode ChatResult / StreamEvent back out; providers encode
 * ChatRequest into their wire format and decode their answers into ChatResult / StreamEvent.
 */
import type { GatewayError } from '../errors.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface TextPart {
  readonly type: 'text';
  readonly text: string;
}

export type ImageSource =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'base64'; readonly mediaType: string; readonly data: string };

export interface ImagePart {
  readonly type: 'image';
  readonly source: ImageSource;
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
}

export type SystemMessage = { readonly role: 'system'; readonly content: readonly TextPart[] };
export type UserMessage = { readonly role: 'user'; readonly content: readonly (TextPart | ImagePart)[] };
export type AssistantMessage = { readonly role: 'assistant'; readonly content: readonly (TextPart | ToolCallPart)[] };
export type ToolMessage = { readonly role: 'tool'; readonly content: readonly ToolResultPart[] };
export type Message = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

export interface ToolDefinition {
  readonly name: string;
  readonly description?: string;
  /** JSON Schema of the arguments object. */
  readonly parameters: JsonObject;
}

export type ToolChoice =
  | { readonly type: 'auto' }
  | { readonly type: 'none' }
  | { readonly type: 'required' }
  | { readonly type: 'tool'; readonly name: string };

export type ResponseFormat =
  | { readonly type: 'text' }
  | { readonly type: 'json_object' }
  | { readonly type: 'json_schema'; readonly name: string; readonly schema: JsonObject; readonly strict?: boolean };

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
  /** The part of outputTokens spent on reasoning. */
  readonly reasoningTokens?: number;
}

export interface ChatResult {
  /** Provider's response id when it gave one. */
  readonly id?: string;
  readonly content: readonly (TextPart | ToolCallPart)[];
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
  | { readonly type: 'start'; readonly id?: string; readonly warnings?: readonly string[] }
  | { readonly type: 'text-delta'; readonly text: string }
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
