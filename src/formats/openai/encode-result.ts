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
  /** OpenRouter's shape (/api/v1): usage with `cost` and both details objects, reasoning as `reasoning` too. */
  readonly openrouter?: boolean;
  /** What the answer cost (micro-dollars), once it is known. */
  readonly costMicros?: () => number;
}

export function encodeOpenAIUsage(usage: Usage | null, openrouter?: { readonly costMicros: number }): OpenAIUsage {
  const input = usage?.inputTokens ?? 0;
  const output = usage?.outputTokens ?? 0;
  const base: OpenAIUsage = { prompt_tokens: input, completion_tokens: output, total_tokens: input + output };
  if (openrouter !== undefined) {
    // OpenRouter always sends both details objects and the cost.
    return {
      ...base,
      cost: openrouter.costMicros / 1e6,
      is_byok: false,
      prompt_tokens_details: {
        cached_tokens: usage?.cacheReadTokens ?? 0,
        ...(usage?.cacheWriteTokens !== undefined ? { cache_write_tokens: usage.cacheWriteTokens } : {}),
      },
      completion_tokens_details: { reasoning_tokens: usage?.reasoningTokens ?? 0 },
    };
  }
  return {
    ...base,
    ...(usage?.cacheReadTokens !== undefined ? { prompt_tokens_details: { cached_tokens: usage.cacheReadTokens } } : {}),
    ...(usage?.reasoningTokens !== undefined ? { completion_tokens_details: { reasoning_tokens: usage.reasoningTokens } } : {}),
  };
}

/** The usage object for the meta's flavour (OpenRouter's carries the cost). */
export function usageFor(usage: Usage | null, meta: Pick<OpenAIResultMeta, 'openrouter' | 'costMicros'>): OpenAIUsage {
  return meta.openrouter === true ? encodeOpenAIUsage(usage, { costMicros: meta.costMicros?.() ?? 0 }) : encodeOpenAIUsage(usage);
}

export function encodeOpenAIChatResult(result: ChatResult, meta: OpenAIResultMeta): OpenAIChatCompletion {
  let text = '';
  let reasoning = '';
  const toolCalls: OpenAIToolCall[] = [];
  for (const part of result.content) {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'reasoning') reasoning += part.text;
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
          ...(reasoning !== '' ? { reasoning_content: reasoning, ...(meta.openrouter === true ? { reasoning } : {}) } : {}),
          ...(hasToolCalls ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: finishReasonToOpenAI(result.finishReason, hasToolCalls),
      },
    ],
    usage: usageFor(result.usage, meta),
    system_fingerprint: SYSTEM_FINGERPRINT,
  };
}
