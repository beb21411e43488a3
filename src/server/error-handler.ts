/**
 * The only place errors are rendered: in the envelope of the route's client format, with the
 * code table's status. Unknown errors are logged with the request id and answered without
 * details. A failure after the first byte of a stream only closes the response.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { GatewayError, isGatewayError } from '../errors.js';
import { encodeAnthropicError } from '../formats/anthropic/encode-error.js';
import { encodeOpenAIError } from '../formats/openai/encode-error.js';
import type { Logger } from '../plugins/types.js';
import { ClientDisconnected } from './client-signal.js';
import { envelopeFor } from './client-format.js';
import { stateOf } from './request-state.js';
import { redactError } from '../vault/known-secrets.js';

interface HttpParserError {
  readonly type?: string;
  readonly status?: number;
  readonly limit?: number;
}

function asGatewayError(err: unknown): GatewayError | undefined {
  if (isGatewayError(err)) return err;
  const parserError = err as HttpParserError;
  if (parserError?.type === 'entity.too.large')
    return new GatewayError('payload_too_large', `Request body is larger than the limit of ${parserError.limit ?? '?'} bytes`);
  if (parserError?.type === 'entity.parse.failed') return new GatewayError('request_invalid', 'Malformed JSON in request body');
  if (parserError?.type === 'encoding.unsupported' || parserError?.type === 'charset.unsupported')
    return new GatewayError('unsupported_media', 'Unsupported request body encoding');
  if (parserError?.type === 'request.aborted') return new GatewayError('request_invalid', 'The request body was not received completely');
  if (parserError?.type === 'request.size.invalid') return new GatewayError('request_invalid', 'The request body does not match its Content-Length');
  // The router's decodeURIComponent of a path parameter (`/api/keys/%ZZ`).
  if (err instanceof URIError) return new GatewayError('request_invalid', 'The request path has malformed percent-encoding');
  // Any other body-reader error (stream.not.readable, a gzip/br body that does not decompress…)
  // is the request's fault: the reader marks its errors with a type, or as exposable 4xx.
  const exposed = (err as { expose?: unknown })?.expose === true && parserError?.status !== undefined && parserError.status >= 400 && parserError.status < 500;
  if ((typeof parserError?.type === 'string' && parserError.type !== '') || exposed)
    return new GatewayError('request_invalid', 'The request body could not be read (is its Content-Encoding right?)', {
      status: parserError?.status !== undefined && parserError.status >= 400 && parserError.status < 500 ? parserError.status : 400,
    });
  return undefined;
}

export function renderError(path: string, error: GatewayError): { status: number; body: unknown } {
  switch (envelopeFor(path)) {
    case 'openai':
      return encodeOpenAIError(error);
    case 'openrouter': {
      // OpenRouter's SDK validates `error.code` as the integer HTTP status; the Switchboard code moves to metadata.
      const { status, body } = encodeOpenAIError(error);
      return { status, body: { error: { ...body.error, code: status, metadata: { error_code: error.code } } } };
    }
    case 'anthropic':
      return encodeAnthropicError(error);
    default:
      return { status: error.status, body: { error: error.message } };
  }
}

/** `redact` cuts the known provider credentials out of a message before it is logged or sent. */
export function errorHandler(logger: Logger, redact: (text: string) => string = (t) => t): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (err instanceof ClientDisconnected) {
      // Nobody is left to answer (the request log line and the metrics already say 499, aborted).
      res.end();
      return;
    }
    let error = asGatewayError(err);
    if (error) error = redactError(error, redact);
    const state = res.locals['switchboard'] ? stateOf(res) : undefined;
    if (!error) {
      const logged = err instanceof Error ? { type: err.name, message: redact(err.message), stack: redact(err.stack ?? '') } : { type: typeof err };
      logger.error({ err: logged, requestId: state?.requestId, path: req.path }, 'unhandled error');
      error = new GatewayError('internal', `Internal error (request id ${state?.requestId ?? 'unknown'})`);
    }
    if (state) state.errorCode = error.code;
    if (res.headersSent) {
      res.end();
      return;
    }
    const { status, body } = renderError(req.path, error);
    for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
    res.status(status).json(body);
  };
}

export const notFound: RequestHandler = (req) => {
  throw new GatewayError('not_found', `No route for ${req.method} ${req.path}`);
};
