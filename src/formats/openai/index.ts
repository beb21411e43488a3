/** The OpenAI Chat Completions client format (POST /v1/chat/completions), as one ClientFormat. */
import type { ClientFormat } from '../client-format.js';
import { decodeOpenAIChatRequest } from './decode-request.js';
import { encodeOpenAIChatResult } from './encode-result.js';
import { OpenAIStreamEncoder } from './encode-stream.js';

export function openaiResponseId(requestId: string): string {
  return requestId.startsWith('chatcmpl-') ? requestId : `chatcmpl-${requestId}`;
}

export const openaiFormat: ClientFormat = {
  name: 'openai',
  decode: (body) => decodeOpenAIChatRequest(body),
  responseId: openaiResponseId,
  encodeResult: (result, meta) => encodeOpenAIChatResult(result, meta),
  streamEncoder: (meta) => new OpenAIStreamEncoder(meta),
};

/**
 * The same format as OpenRouter answers it (/api/v1/chat/completions): usage (with `cost` in
 * USD) always closes a stream, asked for or not, and reasoning is also sent as `reasoning`.
 */
export const openrouterFormat: ClientFormat = {
  ...openaiFormat,
  encodeResult: (result, meta) => encodeOpenAIChatResult(result, { ...meta, openrouter: true }),
  streamEncoder: (meta) => new OpenAIStreamEncoder({ ...meta, openrouter: true }),
};
