/**
 * OpenAI `chat.completion` JSON → canonical ChatResult. Compatible servers differ in the
 * details (missing ids, absent usage, `refusal`), so only what the result needs is required.
 */
import { GatewayError } from '../../../src/errors.js';
import type { ChatResult, ReasoningPart, TextPart, ToolCallPart, Usage } from '../../../src/formats/canonical.js';
import { finishReasonFromOpenAI } from '../../../src/formats/openai/finish-reason.js';

type Rec = Record<string, unknown>;

export function isRecord(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bad(provider: string, what: string): GatewayError {
  return new GatewayError('upstream_bad_response', `Provider ${provider} sent an invalid response: ${what}`, { provider });
}

function count(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.round(v) : undefined;
}

/** OpenAI `usage` → canonical; null when absent or unusable. */
export function decodeUsage(raw: unknown): Usage | null {
  if (!isRecord(raw)) return null;
  const input = count(raw['prompt_tokens']);
  const output = count(raw['completion_tokens']);
  if (input === undefined && output === undefined) return null;
  const usage: { -readonly [K in keyof Usage]: Usage[K] } = { inputTokens: input ?? 0, outputTokens: output ?? 0 };
  const cached = isRecord(raw['prompt_tokens_details']) ? count(raw['prompt_tokens_details']['cached_tokens']) : undefined;
  const reasoning = isRecord(raw['completion_tokens_details']) ? count(raw['completion_tokens_details']['reasoning_tokens']) : undefined;
  if (cached !== undefined && cached > 0) usage.cacheReadTokens = cached;
  if (reasoning !== undefined && reasoning > 0) usage.reasoningTokens = reasoning;
  return usage;
}

export function decodeOpenAIResponse(provider: string, body: unknown): ChatResult {
  if (!isRecord(body)) throw bad(provider, 'body is not a JSON object');
  const choices = body['choices'];
  if (!Array.isArray(choices) || choices.length === 0) throw bad(provider, 'no choices');
  const choice: unknown = choices[0];
  if (!isRecord(choice) || !isRecord(choice['message'])) throw bad(provider, 'choices[0].message is missing');
  const message = choice['message'];

  const content: (TextPart | ReasoningPart | ToolCallPart)[] = [];
  const reasoning = reasoningText(message);
  if (reasoning !== '') content.push({ type: 'reasoning', text: reasoning });
  const text = message['content'];
  if (typeof text === 'string') {
    if (text !== '') content.push({ type: 'text', text });
  } else if (text !== null && text !== undefined) {
    throw bad(provider, 'choices[0].message.content is not a string');
  }
  const refusal = message['refusal'];
  if (!content.some((p) => p.type === 'text') && typeof refusal === 'string' && refusal !== '') content.push({ type: 'text', text: refusal });

  const toolCalls = message['tool_calls'];
  if (Array.isArray(toolCalls)) {
    toolCalls.forEach((call: unknown, i) => content.push(decodeToolCall(provider, call, i)));
  } else if (toolCalls !== undefined && toolCalls !== null) {
    throw bad(provider, 'choices[0].message.tool_calls is not an array');
  }
  const legacy = message['function_call'];
  if (isRecord(legacy) && typeof legacy['name'] === 'string') {
    content.push({ type: 'tool-call', id: 'call_0', name: legacy['name'], arguments: argumentsText(legacy['arguments']) });
  }

  const raw = choice['finish_reason'];
  return {
    ...(typeof body['id'] === 'string' ? { id: body['id'] } : {}),
    content,
    finishReason: finishReasonFromOpenAI(typeof raw === 'string' ? raw : null),
    usage: decodeUsage(body['usage']),
  };
}

function decodeToolCall(provider: string, call: unknown, i: number): ToolCallPart {
  if (!isRecord(call) || !isRecord(call['function']) || typeof call['function']['name'] !== 'string') {
    throw bad(provider, `choices[0].message.tool_calls[${i}] has no function name`);
  }
  const fn = call['function'];
  // Some compatible servers (older Ollama) omit ids; clients need one to answer the call.
  const id = typeof call['id'] === 'string' && call['id'] !== '' ? call['id'] : `call_${i}`;
  return { type: 'tool-call', id, name: fn['name'] as string, arguments: argumentsText(fn['arguments']) };
}

/** Arguments are JSON text; a few servers send an object instead. */
export function argumentsText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '{}';
  return JSON.stringify(v);
}

/** Reasoning text as compatible servers send it: `reasoning_content` (DeepSeek, vLLM) or `reasoning` (OpenRouter). */
export function reasoningText(message: Rec): string {
  const value = message['reasoning_content'] ?? message['reasoning'];
  return typeof value === 'string' ? value : '';
}
