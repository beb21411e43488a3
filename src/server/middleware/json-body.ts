/**
 * JSON body parsing with the current config's server.body_limit (re-read after a reload).
 *
 * The common request (Content-Type application/json, UTF-8 or no charset, no Content-Encoding,
 * a Content-Length within the limit) is read here directly: express.json() costs about 40 µs
 * more per request (type and charset parsing, on-finished socket listeners, an AsyncResource per
 * read). Everything else — compressed or chunked bodies, other charsets and media types, a
 * declared length over the limit — goes to express.json(), so its errors and limits stay the
 * reference behaviour. The fast path raises the same error types the error handler maps
 * (entity.parse.failed, request.aborted, request.size.invalid), and like express.json(strict)
 * it accepts only an object or an array at the top level; an empty body is `{}`.
 */
import type { IncomingMessage } from 'node:http';
import express, { type RequestHandler } from 'express';
import { GatewayError } from '../../errors.js';
import { MAX_JSON_DEPTH, textTooDeep } from '../../formats/json-depth.js';

const FAST_TYPE = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;
const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** Bytes of a limit such as "10mb" (the `bytes` package's rules); undefined when unparsable. */
export function limitBytes(limit: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)$/i.exec(limit.trim());
  return m ? Math.floor(Number(m[1]) * UNITS[m[2]!.toLowerCase()]!) : undefined;
}

function httpError(status: number, message: string, type: string): Error {
  return Object.assign(new Error(message), { status, statusCode: status, expose: true, type });
}

/** Content-Length when the fast path may take this request, else undefined. */
function fastLength(req: IncomingMessage, limit: number): number | undefined {
  const { headers } = req;
  const type = headers['content-type'];
  if (type === undefined || !FAST_TYPE.test(type)) return undefined;
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return undefined;
  if (headers['transfer-encoding'] !== undefined) return undefined;
  const declared = headers['content-length'];
  if (declared === undefined || !/^\d+$/.test(declared)) return undefined;
  const length = Number(declared);
  return length <= limit ? length : undefined;
}

function readJson(req: IncomingMessage & { body?: unknown }, length: number, next: (err?: unknown) => void): void {
  const chunks: Buffer[] = [];
  let received = 0;
  let settled = false;
  const finish = (err?: unknown) => {
    if (settled) return;
    settled = true;
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('aborted', onAborted);
    req.off('error', onError);
    next(err);
  };
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received > length) {
      finish(httpError(400, 'request size did not match content length', 'request.size.invalid'));
      return;
    }
    chunks.push(chunk);
  };
  const onEnd = () => {
    if (received !== length) return finish(httpError(400, 'request size did not match content length', 'request.size.invalid'));
    const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received);
    if (textTooDeep(raw)) return finish(tooDeep());
    let text = raw.toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // as iconv-lite's UTF-8 decoder does
    if (text.length === 0) {
      req.body = {};
      return finish();
    }
    const first = /\S/.exec(text)?.[0];
    if (first !== '{' && first !== '[') return finish(httpError(400, 'Malformed JSON', 'entity.parse.failed'));
    try {
      req.body = JSON.parse(text) as unknown;
    } catch (err) {
      return finish(httpError(400, (err as Error).message, 'entity.parse.failed'));
    }
    finish();
  };
  const onAborted = () => finish(httpError(400, 'request aborted', 'request.aborted'));
  const onError = (err: unknown) => finish(err);
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('aborted', onAborted);
  req.on('error', onError);
}

const JSON_TYPES = ['application/json', 'application/*+json'];
const JSON_MEDIA = /^application\/(?:[\w.!#$&^-]+\+)?json\s*(?:;|$)/i;

function tooDeep(): GatewayError {
  return new GatewayError('request_invalid', `body: JSON nests deeper than ${MAX_JSON_DEPTH} levels`);
}

/** express.json's verify hook: the decoded bytes, before JSON.parse. */
function rejectTooDeep(_req: unknown, _res: unknown, buf: Buffer): void {
  if (textTooDeep(buf)) throw tooDeep();
}

/** A body is coming: a non-zero Content-Length or a Transfer-Encoding (the type-is rule). */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Only JSON is read: any other media type with a body is a 415 (never `{}`: a form post must not
 * act as an empty JSON object, the CSRF shape). Nesting deeper than MAX_JSON_DEPTH is a 400
 * before any route walks the body.
 */
export function jsonBody(limit: () => string): RequestHandler {
  let current = '';
  let parser: RequestHandler = express.json({ type: JSON_TYPES, verify: rejectTooDeep });
  let maxBytes: number | undefined;
  return (req, res, next) => {
    const wanted = limit();
    if (wanted !== current) {
      current = wanted;
      const normalized = wanted.replace(/\s+/g, '');
      parser = express.json({ limit: normalized, type: JSON_TYPES, verify: rejectTooDeep });
      maxBytes = limitBytes(normalized);
    }
    if (hasBody(req) && !JSON_MEDIA.test(req.headers['content-type'] ?? '')) {
      // Drain what was sent so the connection stays usable for the answer.
      req.resume();
      return next(new GatewayError('unsupported_media', 'The request body must be JSON (Content-Type: application/json)'));
    }
    const length = maxBytes === undefined || req.readableEnded || req.readableLength > 0 ? undefined : fastLength(req, maxBytes);
    if (length === undefined) return parser(req, res, next);
    readJson(req, length, next);
  };
}
