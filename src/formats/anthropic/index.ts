/** The Anthropic Messages client format (POST /v1/messages), as one ClientFormat. */
import type { ClientFormat } from '../client-format.js';
import { decodeAnthropicRequest } from './decode-request.js';
import { anthropicMessageId, encodeAnthropicMessage } from './encode-result.js';
import { AnthropicStreamEncoder } from './encode-stream.js';

export const anthropicFormat: ClientFormat = {
  name: 'anthropic',
  // Anthropic streams always end with usage in message_delta; there is no opt-in.
  decode: (body, headers) => ({ request: decodeAnthropicRequest(body, headers), includeUsage: true }),
  responseId: (requestId) => anthropicMessageId(requestId),
  encodeResult: (result, meta) => encodeAnthropicMessage(result, meta),
  streamEncoder: (meta) => new AnthropicStreamEncoder(meta),
};
