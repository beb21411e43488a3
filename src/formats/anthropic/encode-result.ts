/** ChatResult → the Anthropic Message a client of POST /v1/messages expects. */
import type { ChatResult, FinishReason, JsonObject, ToolCallPart, Usage } from '../canonical.js';
import { parseBoundedJson } from '../json-depth.js';

export type AnthropicStopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'pause_turn' | 'refusal';

const FROM_UNIFIED: Record<FinishReason['unified'], AnthropicStopReason> = {
  stop: 'end_turn',
  length: 'max_tokens',
  'tool-calls': 'tool_use',
  'content-filter': 'refusal',
  error: 'end_turn',
  other: 'end_turn',
};

/** Keeps the provider's own value when it is an Anthropic one with the same meaning (e.g. stop_sequence). */
export function anthropicStopReason(reason: FinishReason): AnthropicStopReason {
  const mapped = FROM_UNIFIED[reason.unified];
  if (reason.raw === 'stop_sequence' && mapped === 'end_turn') return 'stop_sequence';
  if (reason.raw === 'pause_turn') return 'pause_turn';
  return mapped;
}

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** Canonical inputTokens include cache reads and writes; Anthropic reports the three apart. */
export function anthropicUsage(usage: Pick<Usage, 'inputTokens' | 'cacheReadTokens' | 'cacheWriteTokens'> & { outputTokens?: number }): AnthropicUsage {
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  return {
    input_tokens: Math.max(0, usage.inputTokens - cacheRead - cacheWrite),
    output_tokens: usage.outputTokens ?? 0,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
  };
}

/** The `input` object of a tool_use block; arguments that are not a JSON object become {}. */
export function toolInput(part: ToolCallPart): JsonObject {
  const parsed = parseBoundedJson(part.arguments);
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as JsonObject;
  return {};
}

type AnthropicResponseBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; input: JsonObject };

function responseBlock(part: ChatResult['content'][number]): AnthropicResponseBlock {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'reasoning':
      // Reasoning from other providers has no signature; the SDK types it as a string all the same.
      return part.redactedData !== undefined
        ? { type: 'redacted_thinking', data: part.redactedData }
        : { type: 'thinking', thinking: part.text, signature: part.signature ?? '' };
    case 'tool-call':
      return { type: 'tool_use', id: part.id, name: part.name, input: toolInput(part) };
  }
}

export function anthropicMessageId(id: string): string {
  return id.startsWith('msg_') ? id : `msg_${id}`;
}

export function encodeAnthropicMessage(result: ChatResult, meta: { readonly id: string; readonly model: string }): object {
  return {
    id: anthropicMessageId(meta.id),
    type: 'message',
    role: 'assistant',
    model: meta.model,
    content: result.content.map(responseBlock),
    stop_reason: anthropicStopReason(result.finishReason),
    stop_sequence: null,
    usage: anthropicUsage(result.usage ?? { inputTokens: 0 }),
  };
}
