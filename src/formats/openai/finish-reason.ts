import type { FinishReason } from '../canonical.js';
import type { OpenAIFinishReason } from './wire.js';

/** An upstream OpenAI `finish_reason` (any string, as compatible servers vary) → canonical. */
export function finishReasonFromOpenAI(raw: string | null): FinishReason {
  switch (raw) {
    case 'stop':
      return { unified: 'stop', raw };
    case 'length':
      return { unified: 'length', raw };
    case 'tool_calls':
    case 'function_call':
      return { unified: 'tool-calls', raw };
    case 'content_filter':
      return { unified: 'content-filter', raw };
    default:
      return { unified: 'other', raw };
  }
}

/**
 * Canonical → the five values OpenAI clients know. Agents loop on `tool_calls`, so an answer
 * that carries tool calls says so even when the provider called it a plain stop.
 */
export function finishReasonToOpenAI(reason: FinishReason, hasToolCalls: boolean): OpenAIFinishReason {
  switch (reason.unified) {
    case 'length':
      return 'length';
    case 'content-filter':
      return 'content_filter';
    case 'tool-calls':
      return 'tool_calls';
    default:
      return hasToolCalls ? 'tool_calls' : 'stop';
  }
}
