/** A client-facing wire format: decode its request, encode a result, a stream, an error. */
import type { GatewayError } from '../errors.js';
import type { ChatRequest, ChatResult, StreamEvent } from './canonical.js';

export interface ResponseMeta {
  /** The response id in the format's style (chatcmpl-…, msg_…). */
  readonly id: string;
  /** Switchboard model id. */
  readonly model: string;
  /** Unix seconds. */
  readonly created: number;
  readonly includeUsage: boolean;
  /** Prompt tokens as estimated before the call (Anthropic's message_start wants a number). */
  readonly inputTokens: number;
}

export interface StreamEncoder {
  encode(event: StreamEvent): string;
  error(error: GatewayError): string;
  /** Trailer after the finish event (OpenAI's [DONE]); '' if none. */
  end(): string;
}

export interface ClientFormat {
  readonly name: 'openai' | 'anthropic';
  decode(body: unknown): { readonly request: ChatRequest; readonly includeUsage: boolean };
  responseId(requestId: string): string;
  encodeResult(result: ChatResult, meta: ResponseMeta): unknown;
  streamEncoder(meta: ResponseMeta): StreamEncoder;
}
