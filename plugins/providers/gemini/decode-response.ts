/**
 * Gemini GenerateContentResponse → ChatResult. The pieces are shared with the stream decoder.
 */
import type { ChatResult, FinishReason, ReasoningPart, TextPart, ToolCallPart, Usage } from '../../../src/formats/canonical.js';
import { GatewayError } from '../../../src/errors.js';
import { isRecord } from './wire.js';

export const PROVIDER = 'gemini';

const CONTENT_FILTER = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY']);

export function badResponse(detail: string): GatewayError {
  return new GatewayError('upstream_bad_response', `Gemini returned an unexpected response: ${detail}`, { provider: PROVIDER });
}

/** What one response (or one stream chunk) says, narrowed from `unknown`. */
export interface DecodedChunk {
  readonly id: string | undefined;
  readonly parts: readonly DecodedPart[];
  /** The candidate's finishReason, or null when this chunk has none. */
  readonly finishReason: string | null;
  /** promptFeedback.blockReason when the prompt was blocked. */
  readonly blockReason: string | null;
  readonly hasCandidate: boolean;
  readonly usage: Usage | null;
}

export type DecodedPart =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'thought'; readonly text: string }
  | { readonly type: 'call'; readonly id: string | undefined; readonly name: string; readonly args: unknown };

export function decodeChunk(value: unknown): DecodedChunk {
  if (!isRecord(value)) throw badResponse('body is not an object');
  const candidates = value['candidates'];
  if (candidates !== undefined && !Array.isArray(candidates)) throw badResponse('candidates is not an array');
  const candidate: unknown = candidates?.[0];
  if (candidate !== undefined && !isRecord(candidate)) throw badResponse('candidate is not an object');
  const feedback = value['promptFeedback'];
  const blockReason = isRecord(feedback) && typeof feedback['blockReason'] === 'string' ? feedback['blockReason'] : null;
  const finish = candidate?.['finishReason'];
  return {
    id: typeof value['responseId'] === 'string' ? value['responseId'] : undefined,
    parts: candidate === undefined ? [] : decodeParts(candidate['content']),
    finishReason: typeof finish === 'string' ? finish : null,
    blockReason,
    hasCandidate: candidate !== undefined,
    usage: decodeUsage(value['usageMetadata']),
  };
}

function decodeParts(content: unknown): DecodedPart[] {
  // A candidate stopped by a safety filter may come without content, or with content but no parts.
  if (content === undefined) return [];
  if (!isRecord(content)) throw badResponse('candidate content is not an object');
  const parts = content['parts'];
  if (parts === undefined) return [];
  if (!Array.isArray(parts)) throw badResponse('content.parts is not an array');
  const out: DecodedPart[] = [];
  for (const part of parts as unknown[]) {
    if (!isRecord(part)) throw badResponse('a content part is not an object');
    // Thought summaries (includeThoughts) are reasoning, not the answer.
    if (part['thought'] === true) {
      if (typeof part['text'] === 'string' && part['text'] !== '') out.push({ type: 'thought', text: part['text'] });
      continue;
    }
    const call = part['functionCall'];
    if (call !== undefined) {
      if (!isRecord(call) || typeof call['name'] !== 'string') throw badResponse('functionCall without a name');
      out.push({ type: 'call', id: typeof call['id'] === 'string' ? call['id'] : undefined, name: call['name'], args: call['args'] ?? {} });
    } else if (typeof part['text'] === 'string') {
      out.push({ type: 'text', text: part['text'] });
    }
  }
  return out;
}

export function decodeUsage(value: unknown): Usage | null {
  if (!isRecord(value)) return null;
  const count = (key: string): number | undefined => {
    const n = value[key];
    return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
  };
  const prompt = count('promptTokenCount');
  const candidates = count('candidatesTokenCount');
  const thoughts = count('thoughtsTokenCount');
  const cached = count('cachedContentTokenCount');
  if (prompt === undefined && candidates === undefined) return null;
  // Thinking tokens are billed as output but not counted in candidatesTokenCount.
  return {
    inputTokens: prompt ?? 0,
    outputTokens: (candidates ?? 0) + (thoughts ?? 0),
    ...(cached !== undefined ? { cacheReadTokens: cached } : {}),
    ...(thoughts !== undefined ? { reasoningTokens: thoughts } : {}),
  };
}

export function mapFinishReason(raw: string | null, hasToolCalls: boolean): FinishReason {
  if (raw === null) return { unified: hasToolCalls ? 'tool-calls' : 'other', raw: null };
  if (raw === 'STOP') return { unified: hasToolCalls ? 'tool-calls' : 'stop', raw };
  if (raw === 'MAX_TOKENS') return { unified: 'length', raw };
  if (CONTENT_FILTER.has(raw)) return { unified: 'content-filter', raw };
  return { unified: 'other', raw };
}

export function blockedFinish(blockReason: string): FinishReason {
  return { unified: 'content-filter', raw: blockReason };
}

export function callArguments(args: unknown): string {
  return JSON.stringify(args ?? {});
}

export function decodeResponse(value: unknown): ChatResult {
  const chunk = decodeChunk(value);
  if (!chunk.hasCandidate) {
    if (chunk.blockReason === null) throw badResponse('no candidates and no promptFeedback.blockReason');
    return { ...(chunk.id !== undefined ? { id: chunk.id } : {}), content: [], finishReason: blockedFinish(chunk.blockReason), usage: chunk.usage };
  }
  const content: (TextPart | ReasoningPart | ToolCallPart)[] = [];
  let callIndex = 0;
  for (const part of chunk.parts) {
    if (part.type === 'thought') {
      const last = content[content.length - 1];
      if (last?.type === 'reasoning') content[content.length - 1] = { type: 'reasoning', text: last.text + part.text };
      else content.push({ type: 'reasoning', text: part.text });
    } else if (part.type === 'text') {
      const last = content[content.length - 1];
      if (last?.type === 'text') content[content.length - 1] = { type: 'text', text: last.text + part.text };
      else content.push({ type: 'text', text: part.text });
    } else {
      content.push({ type: 'tool-call', id: part.id ?? `call_${callIndex}`, name: part.name, arguments: callArguments(part.args) });
      callIndex++;
    }
  }
  return {
    ...(chunk.id !== undefined ? { id: chunk.id } : {}),
    content,
    finishReason: mapFinishReason(chunk.finishReason, callIndex > 0),
    usage: chunk.usage,
  };
}
