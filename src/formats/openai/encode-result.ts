/**
 * Client-facing edge: canonical ChatResult → an OpenAI `chat.completion` object.
 */
import type { ChatResult, Usage } from '../canonical.js';
import { finishReasonToOpenAI } from './finish-reason.js';
import type { OpenAIChatCompletion, OpenAIToolCall, OpenAIUsage } from './wire.js';

export const SYSTEM_FINGERPRINT = 'fp_switchboard';

export interface OpenAIResultMeta {
  readonly id: string;
  /** The Switchboard model id that answered (not the provider's upstream name). */
  readonly model: string;
  /** Unix seconds. */
  readonly created: number;
}

export function encodeOpenAIUsage(usage: Usage | null): OpenAIUsage {
  const input = usage?.inputTokens ?? 0;
  const output = usage?.outputTokens ?? 0;
  return {
    prompt_tokens: input,
    completion_tokens: output,
    total_tokens: input + output,
    ...(usage?.cacheReadTokens !== undefined ? { prompt_tokens_details: { cached_tokens: usage.cacheReadTokens } } : {}),
    ...(usage?.reasoningTokens !== undefined ? { completion_tokens_details: { reasoning_tokens: usage.reasoningTokens } } : {}),
  };
}

export function encodeOpenAIChatResult(result: ChatResult, meta: OpenAIResultMeta): OpenAIChatCompletion {
  let text = '';
  const toolCalls: OpenAIToolCall[] = [];
  for (const part of result.content) {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'tool-call') toolCalls.push({ id: part.id, type: 'function', function: { name: part.name, arguments: part.arguments } });
  }
  const hasToolCalls = toolCalls.length > 0;
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          // OpenAI sends null, not "", when the answer is only tool calls.
          content: text === '' && hasToolCalls ? null : text,
          refusal: null,
          ...(hasToolCalls ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: finishReasonToOpenAI(result.finishReason, hasToolCalls),
      },
    ],
    usage: encodeOpenAIUsage(result.usage),
    system_fingerprint: SYSTEM_FINGERPRINT,
  };
}
