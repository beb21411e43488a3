/**
 * The OpenAI Chat Completions wire format, as far as Switchboard writes it (provider requests,
 * client responses and chunks). Incoming bodies are never typed by these: they are `unknown`
 * and narrowed field by field (decode-request.ts, the provider's decoders).
 */
import type { JsonObject } from '../canonical.js';

export type OpenAIContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } };

export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type OpenAIMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | OpenAIContentPart[] }
  | { role: 'assistant'; content: string | null; tool_calls?: OpenAIToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface OpenAITool {
  type: 'function';
  function: { name: string; description?: string; parameters: JsonObject };
}

export type OpenAIToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

export type OpenAIResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; schema: JsonObject; strict?: boolean; description?: string } };

export interface OpenAIChatRequestBody {
  model: string;
  messages: OpenAIMessage[];
  /** One of the two is sent (the provider's `max_tokens_field`): o-series and GPT-5 models refuse `max_tokens`. */
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string[];
  tools?: OpenAITool[];
  tool_choice?: OpenAIToolChoice;
  parallel_tool_calls?: boolean;
  response_format?: OpenAIResponseFormat;
  reasoning_effort?: 'minimal' | 'low' | 'medium' | 'high';
  user?: string;
  stream: boolean;
  stream_options?: { include_usage: boolean };
}

export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens: number; cache_write_tokens?: number };
  completion_tokens_details?: { reasoning_tokens: number };
  /** OpenRouter: what the request cost, in USD (credits). */
  cost?: number;
  is_byok?: boolean;
}

export interface OpenAIChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: {
    index: number;
    message: {
      role: 'assistant';
      content: string | null;
      refusal: null;
      /** DeepSeek / vLLM style reasoning text. */
      reasoning_content?: string;
      /** OpenRouter style reasoning text (on /api/v1). */
      reasoning?: string;
      tool_calls?: OpenAIToolCall[];
    };
    logprobs: null;
    finish_reason: OpenAIFinishReason;
  }[];
  usage: OpenAIUsage;
  /**
   * Always present: OpenRouter's SDK requires it in a non-streamed completion, and the OpenAI
   * SDK's type allows only a string (not null), so it is a constant string.
   */
  system_fingerprint: string;
}

export interface OpenAIChunkToolCall {
  index: number;
  id?: string;
  type?: 'function';
  function: { name?: string; arguments: string };
}

export interface OpenAIChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: {
    index: number;
    delta: { role?: 'assistant'; content?: string | null; reasoning_content?: string; reasoning?: string; tool_calls?: OpenAIChunkToolCall[] };
    logprobs: null;
    finish_reason: OpenAIFinishReason | null;
  }[];
  usage?: OpenAIUsage | null;
}

export interface OpenAIErrorBody {
  error: { message: string; type: string; code: string | null; param: null };
}
