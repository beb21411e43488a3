/**
 * The OpenAI Responses API wire shapes Switchboard produces (a subset of what the `openai` SDK
 * declares in resources/responses/responses.d.ts: every field it marks required is here).
 */
import type { JsonObject, JsonValue } from '../canonical.js';

export interface ResponsesOutputText {
  readonly type: 'output_text';
  readonly text: string;
  readonly annotations: readonly JsonValue[];
  readonly logprobs: readonly JsonValue[];
}

export interface ResponsesMessageItem {
  readonly id: string;
  readonly type: 'message';
  readonly role: 'assistant';
  readonly status: 'in_progress' | 'completed' | 'incomplete';
  readonly content: readonly ResponsesOutputText[];
}

export interface ResponsesSummaryText {
  readonly type: 'summary_text';
  readonly text: string;
}

export interface ResponsesReasoningItem {
  readonly id: string;
  readonly type: 'reasoning';
  readonly summary: readonly ResponsesSummaryText[];
  /** Opaque continuation token (see reasoning-token.ts); only with include: ["reasoning.encrypted_content"]. */
  readonly encrypted_content?: string | null;
  readonly status?: 'in_progress' | 'completed' | 'incomplete';
}

export interface ResponsesFunctionCallItem {
  readonly id: string;
  readonly type: 'function_call';
  readonly call_id: string;
  readonly name: string;
  readonly arguments: string;
  readonly status: 'in_progress' | 'completed' | 'incomplete';
}

/** A call of a `custom` (free-form input) tool, as Codex's apply_patch. */
export interface ResponsesCustomToolCallItem {
  readonly id: string;
  readonly type: 'custom_tool_call';
  readonly call_id: string;
  readonly name: string;
  readonly input: string;
  readonly status: 'in_progress' | 'completed' | 'incomplete';
}

export type ResponsesOutputItem = ResponsesMessageItem | ResponsesReasoningItem | ResponsesFunctionCallItem | ResponsesCustomToolCallItem;

export interface ResponsesUsage {
  readonly input_tokens: number;
  readonly input_tokens_details: { readonly cached_tokens: number; readonly cache_write_tokens: number };
  readonly output_tokens: number;
  readonly output_tokens_details: { readonly reasoning_tokens: number };
  readonly total_tokens: number;
}

export type ResponsesStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

export interface ResponsesError {
  readonly code: string;
  readonly message: string;
}

/** The request fields a response object echoes back. */
export interface ResponsesEcho {
  readonly instructions: string | null;
  readonly max_output_tokens: number | null;
  readonly metadata: { readonly [key: string]: string };
  readonly parallel_tool_calls: boolean;
  readonly previous_response_id: string | null;
  readonly reasoning: { readonly effort: string | null; readonly summary: string | null };
  readonly store: boolean;
  readonly temperature: number | null;
  readonly top_p: number | null;
  readonly text: { readonly format: JsonObject; readonly verbosity: string };
  readonly tool_choice: JsonValue;
  readonly tools: readonly JsonObject[];
  readonly truncation: 'auto' | 'disabled';
  readonly service_tier: string;
  readonly prompt_cache_key: string | null;
  readonly safety_identifier: string | null;
  readonly user?: string;
}

export interface ResponsesObject extends ResponsesEcho {
  readonly id: string;
  readonly object: 'response';
  readonly created_at: number;
  readonly completed_at: number | null;
  readonly status: ResponsesStatus;
  readonly background: false;
  readonly error: ResponsesError | null;
  readonly incomplete_details: { readonly reason: 'max_output_tokens' | 'content_filter' } | null;
  readonly model: string;
  readonly output: readonly ResponsesOutputItem[];
  readonly usage?: ResponsesUsage;
}
