/**
 * The Responses `response` object: the echoed request fields, the output items, status and
 * usage. The same builder serves the JSON answer, every lifecycle stream event and GET.
 */
import type { GatewayError } from '../../errors.js';
import type { ChatResult, FinishReason, Usage } from '../canonical.js';
import { encodeOutput, forClient } from './encode-output.js';
import { ItemIds } from './ids.js';
import type { ResponsesEcho, ResponsesError, ResponsesObject, ResponsesOutputItem, ResponsesStatus, ResponsesUsage } from './wire.js';

export interface ResponseShell {
  readonly id: string;
  /** Switchboard model id. */
  readonly model: string;
  /** Unix seconds. */
  readonly createdAt: number;
  readonly echo: ResponsesEcho;
  readonly customTools: ReadonlySet<string>;
  readonly includeEncryptedReasoning: boolean;
}

export function encodeResponsesUsage(usage: Usage): ResponsesUsage {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cacheReadTokens ?? 0, cache_write_tokens: usage.cacheWriteTokens ?? 0 },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

/** Length- or filter-limited answers are `incomplete`, as OpenAI reports them. */
export function statusOf(reason: FinishReason): { status: ResponsesStatus; incomplete: ResponsesObject['incomplete_details'] } {
  if (reason.unified === 'length') return { status: 'incomplete', incomplete: { reason: 'max_output_tokens' } };
  if (reason.unified === 'content-filter') return { status: 'incomplete', incomplete: { reason: 'content_filter' } };
  return { status: 'completed', incomplete: null };
}

/** The code a client can act on (Codex matches context_length_exceeded, insufficient_quota, rate_limit_exceeded). */
export function responsesErrorOf(error: GatewayError): ResponsesError {
  const message = error.code === 'internal' ? 'Internal server error' : error.message;
  switch (error.code) {
    case 'rate_limited':
    case 'upstream_rate_limited':
      return { code: 'rate_limit_exceeded', message };
    case 'context_length_exceeded':
      return { code: 'context_length_exceeded', message };
    case 'insufficient_credits':
    case 'key_limit_reached':
      return { code: 'insufficient_quota', message };
    default:
      return { code: 'server_error', message };
  }
}

export interface ResponseState {
  readonly status: ResponsesStatus;
  /** Output items with their sealed reasoning (what is stored); stripped for the client here. */
  readonly output: readonly ResponsesOutputItem[];
  readonly usage?: Usage;
  readonly incomplete?: ResponsesObject['incomplete_details'];
  readonly error?: ResponsesError;
  /** Unix seconds, when finished. */
  readonly completedAt?: number;
}

export function buildResponse(shell: ResponseShell, state: ResponseState): ResponsesObject {
  return {
    id: shell.id,
    object: 'response',
    created_at: shell.createdAt,
    completed_at: state.completedAt ?? null,
    status: state.status,
    background: false,
    error: state.error ?? null,
    incomplete_details: state.incomplete ?? null,
    model: shell.model,
    output: state.output.map((item) => forClient(item, shell.includeEncryptedReasoning)),
    ...shell.echo,
    ...(state.usage !== undefined ? { usage: encodeResponsesUsage(state.usage) } : {}),
  };
}

/** A finished (non-streamed) answer: the response object and the output to store. */
export function encodeResponsesResult(
  result: ChatResult & { readonly usage: Usage },
  shell: ResponseShell,
  completedAt: number,
): { response: ResponsesObject; output: ResponsesOutputItem[] } {
  const { status, incomplete } = statusOf(result.finishReason);
  const output = encodeOutput(result.content, new ItemIds(shell.id), shell.customTools, status === 'incomplete');
  return { response: buildResponse(shell, { status, output, usage: result.usage, incomplete, completedAt }), output };
}
