/**
 * The slice of the Anthropic Messages wire format this adapter writes, plus small narrowing
 * helpers for what it reads. Kept local (not the SDK's types) so the plugin has no runtime or
 * build dependency on @anthropic-ai/sdk.
 */
import type { FinishReason, JsonObject, JsonValue, UnifiedFinishReason, Usage } from '../../../src/formats/canonical.js';

export type AnthropicCacheControl = { type: 'ephemeral'; ttl?: string };
type Cached = { cache_control?: AnthropicCacheControl };

export type AnthropicTextBlock = { type: 'text'; text: string } & Cached;
export type AnthropicImageBlock = {
  type: 'image';
  source: { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string };
} & Cached;
export type AnthropicToolUseBlock = { type: 'tool_use'; id: string; name: string; input: JsonObject };
export type AnthropicToolResultBlock = { type: 'tool_result'; tool_use_id: string; content: string; is_error?: boolean } & Cached;
export type AnthropicThinkingBlock = { type: 'thinking'; thinking: string; signature: string };
export type AnthropicRedactedThinkingBlock = { type: 'redacted_thinking'; data: string };
export type AnthropicBlock =
  | AnthropicTextBlock
  | AnthropicImageBlock
  | AnthropicToolUseBlock
  | AnthropicToolResultBlock
  | AnthropicThinkingBlock
  | AnthropicRedactedThinkingBlock;

export interface AnthropicMessageParam {
  /** `system` only with the mid-conversation-system beta. */
  role: 'user' | 'assistant' | 'system';
  content: AnthropicBlock[];
}

export type AnthropicThinking = { type: 'enabled'; budget_tokens: number } | { type: 'adaptive' } | { type: 'disabled' };

export interface AnthropicTool {
  name: string;
  description?: string;
  input_schema: JsonObject;
  cache_control?: AnthropicCacheControl;
}

export type AnthropicToolChoice =
  | { type: 'auto'; disable_parallel_tool_use?: boolean }
  | { type: 'any'; disable_parallel_tool_use?: boolean }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean }
  | { type: 'none' };

export interface AnthropicRequestBody {
  model: string;
  max_tokens: number;
  messages: AnthropicMessageParam[];
  system?: string | AnthropicTextBlock[];
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
  stop_sequences?: string[];
  temperature?: number;
  top_p?: number;
  metadata?: { user_id: string };
  stream: boolean;
  thinking?: AnthropicThinking;
  output_config?: JsonObject;
  context_management?: JsonValue;
  /** Other Anthropic fields the client sent (service_tier, top_k…), verbatim. */
  [extra: string]: unknown;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function optionalNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

const FINISH: Record<string, UnifiedFinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool-calls',
  refusal: 'content-filter',
  pause_turn: 'other',
};

export function mapStopReason(raw: unknown): FinishReason {
  if (typeof raw !== 'string') return { unified: 'other', raw: null };
  return { unified: FINISH[raw] ?? 'other', raw };
}

/**
 * Anthropic's `input_tokens` excludes prompt-cache reads and writes; the canonical inputTokens
 * counts the whole prompt (as OpenAI's prompt_tokens does), with cache reads as a subset.
 */
export function decodeUsage(usage: Record<string, unknown>, outputTokens?: number): Usage {
  const input = optionalNumber(usage['input_tokens']) ?? 0;
  const cacheRead = optionalNumber(usage['cache_read_input_tokens']) ?? 0;
  const cacheWrite = optionalNumber(usage['cache_creation_input_tokens']) ?? 0;
  const out: Usage = {
    inputTokens: input + cacheRead + cacheWrite,
    outputTokens: outputTokens ?? optionalNumber(usage['output_tokens']) ?? 0,
  };
  return {
    ...out,
    ...(cacheRead > 0 ? { cacheReadTokens: cacheRead } : {}),
    ...(cacheWrite > 0 ? { cacheWriteTokens: cacheWrite } : {}),
  };
}
