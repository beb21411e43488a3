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
  /** The answer's charge in micro-dollars, final once the finish event is encoded (OpenRouter's `usage.cost`). */
  readonly costMicros?: () => number;
}

export interface StreamEncoder {
  encode(event: StreamEvent): string;
  error(error: GatewayError): string;
  /** Trailer after the finish event (OpenAI's [DONE]); '' if none. */
  end(): string;
}

/** Request headers as node gives them (lower-case names). */
export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface ClientFormat {
  readonly name: 'openai' | 'anthropic';
  /** `headers`: for the fields a format carries in headers (Anthropic's `anthropic-beta`). */
  decode(body: unknown, headers?: RequestHeaders): { readonly request: ChatRequest; readonly includeUsage: boolean };
  responseId(requestId: string): string;
  encodeResult(result: ChatResult, meta: ResponseMeta): unknown;
  streamEncoder(meta: ResponseMeta): StreamEncoder;
}
