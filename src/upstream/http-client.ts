/**
 * The one way providers talk HTTP: undici's `request` over a shared keep-alive Agent, so
 * upstream connections are pooled across requests. Redirects are never followed (a provider
 * credential must never be sent to a URL the provider did not configure).
 */
import { Agent, type Dispatcher } from 'undici';
import { GatewayError } from '../errors.js';

export interface UpstreamResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  text(): Promise<string>;
  /** The body as it arrives, chunk by chunk; never buffered whole. */
  chunks(): AsyncIterable<Uint8Array>;
  /** Discard the body (frees the pooled connection). */
  discard(): Promise<void>;
}

export interface UpstreamRequest {
  readonly method?: 'POST' | 'GET';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal: AbortSignal;
  /** Time allowed for the response headers, and then between two body chunks. */
  readonly timeoutMs: number;
  /** Provider name, for error attribution. */
  readonly provider: string;
}

export interface HttpClient {
  send(url: string, req: UpstreamRequest): Promise<UpstreamResponse>;
  close(): Promise<void>;
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

function errorCode(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
}

/** Maps a transport failure to the gateway's taxonomy; an abort by our own signal passes through. */
export function classifyTransportError(err: unknown, provider: string, signal: AbortSignal): unknown {
  if (signal.aborted) return err;
  const code = errorCode(err);
  if (TIMEOUT_CODES.has(code)) {
    return new GatewayError('upstream_timeout', `Provider ${provider} did not answer in time`, { provider, cause: err });
  }
  return new GatewayError('upstream_unavailable', `Provider ${provider} is unreachable (${code || 'connection failed'})`, { provider, cause: err });
}

interface Target {
  readonly origin: string;
  readonly path: string;
}

/**
 * origin + path of a URL, parsed once per distinct URL (provider endpoints come from the config,
 * so there are few): undici's `request(url)` builds and reads a URL object on every call.
 */
function targetCache(): (url: string) => Target {
  const targets = new Map<string, Target>();
  return (url) => {
    let target = targets.get(url);
    if (target === undefined) {
      const parsed = new URL(url);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
        throw new TypeError('Invalid URL protocol: the URL must start with `http:` or `https:`.');
      target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
      if (targets.size >= 1000) targets.clear();
      targets.set(url, target);
    }
    return target;
  };
}

export function createHttpClient(options: { connectionsPerOrigin?: number; keepAliveMs?: number } = {}): HttpClient {
  const agent = new Agent({
    keepAliveTimeout: options.keepAliveMs ?? 30_000,
    keepAliveMaxTimeout: 600_000,
    connections: options.connectionsPerOrigin ?? 256,
    pipelining: 1,
  });
  const targetOf = targetCache();

  return {
    async send(url, req) {
      let res: Dispatcher.ResponseData;
      // The caller's signal goes to undici as it is, and the timeouts are undici's own
      // (headersTimeout, then bodyTimeout between chunks; native timers up to 1 s, ~1 s
      // resolution above): a controller, a listener and a timer of our own per call cost more
      // than the request setup they guard (three AbortSignals per request showed up in the
      // allocation profile).
      try {
        const { origin, path } = targetOf(url);
        res = await agent.request({
          origin,
          path,
          method: req.method ?? 'POST',
          headers: req.headers,
          body: req.body ?? null,
          signal: req.signal,
          headersTimeout: req.timeoutMs,
          bodyTimeout: req.timeoutMs,
        });
      } catch (err) {
        if (!req.signal.aborted && errorCode(err) === 'UND_ERR_HEADERS_TIMEOUT') {
          throw new GatewayError('upstream_timeout', `Provider ${req.provider} did not answer within ${req.timeoutMs} ms`, { provider: req.provider });
        }
        throw classifyTransportError(err, req.provider, req.signal);
      }
      const body = res.body;
      return {
        status: res.statusCode,
        headers: res.headers,
        async text() {
          try {
            return await body.text();
          } catch (err) {
            throw classifyTransportError(err, req.provider, req.signal);
          }
        },
        async *chunks() {
          try {
            for await (const chunk of body) yield chunk as Uint8Array;
          } catch (err) {
            throw classifyTransportError(err, req.provider, req.signal);
          }
        },
        async discard() {
          try {
            await body.dump();
          } catch {
            /* the connection is closed instead of reused */
          }
        },
      };
    },
    close: () => agent.close(),
  };
}
