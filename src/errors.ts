/**
 * The one error type of the gateway and the one table of codes. Errors are rendered once, by
 * the error middleware, in the envelope of the client's format (see server/error-handler.ts).
 */

export interface ErrorCodeInfo {
  readonly status: number;
  readonly retryable: boolean;
  /** OpenAI envelope `error.type`. */
  readonly openaiType: string;
  /** Anthropic envelope `error.type`. */
  readonly anthropicType: string;
  readonly description: string;
}

export const ERROR_CODES = {
  request_invalid: {
    status: 400,
    retryable: false,
    openaiType: 'invalid_request_error',
    anthropicType: 'invalid_request_error',
    description: 'The request body or a parameter is invalid; the message names the field.',
  },
  model_not_found: {
    status: 400,
    retryable: false,
    openaiType: 'invalid_request_error',
    anthropicType: 'invalid_request_error',
    description: 'The requested model is neither a model id, an alias nor "auto"; the message lists the available ids.',
  },
  auth_invalid: {
    status: 401,
    retryable: false,
    openaiType: 'authentication_error',
    anthropicType: 'authentication_error',
    description: 'The API key is missing, malformed, unknown, revoked, expired or disabled.',
  },
  insufficient_credits: {
    status: 402,
    retryable: false,
    openaiType: 'insufficient_quota',
    anthropicType: 'billing_error',
    description: 'The account balance cannot cover the request.',
  },
  key_limit_reached: {
    status: 402,
    retryable: false,
    openaiType: 'insufficient_quota',
    anthropicType: 'billing_error',
    description: 'The API key has reached its credit limit for the current period.',
  },
  forbidden: {
    status: 403,
    retryable: false,
    openaiType: 'permission_error',
    anthropicType: 'permission_error',
    description: 'The key lacks the required scope, or the client IP is not allowed.',
  },
  not_found: {
    status: 404,
    retryable: false,
    openaiType: 'not_found_error',
    anthropicType: 'not_found_error',
    description: 'The route or resource does not exist (or belongs to another account).',
  },
  conflict: {
    status: 409,
    retryable: false,
    openaiType: 'invalid_request_error',
    anthropicType: 'invalid_request_error',
    description: 'The operation conflicts with the current state (already redeemed, too many keys, feedback already given).',
  },
  payload_too_large: {
    status: 413,
    retryable: false,
    openaiType: 'invalid_request_error',
    anthropicType: 'request_too_large',
    description: 'The request body is larger than server.body_limit.',
  },
  unsupported_media: {
    status: 415,
    retryable: false,
    openaiType: 'invalid_request_error',
    anthropicType: 'invalid_request_error',
    description: 'A file or content part has a type the chosen model cannot take.',
  },
  rate_limited: {
    status: 429,
    retryable: false,
    openaiType: 'rate_limit_exceeded',
    anthropicType: 'rate_limit_error',
    description: 'The key exceeded its requests- or tokens-per-minute limit.',
  },
  context_length_exceeded: {
    status: 400,
    retryable: false,
    openaiType: 'invalid_request_error',
    anthropicType: 'invalid_request_error',
    description: "The prompt does not fit the model's context window.",
  },
  upstream_error: {
    status: 400,
    retryable: false,
    openaiType: 'invalid_request_error',
    anthropicType: 'invalid_request_error',
    description: 'The provider refused the request (a 4xx other than 408/429); its status and message are passed on.',
  },
  upstream_rate_limited: {
    status: 429,
    retryable: true,
    openaiType: 'rate_limit_exceeded',
    anthropicType: 'rate_limit_error',
    description: 'The provider answered 429; the next candidate is tried.',
  },
  upstream_unavailable: {
    status: 502,
    retryable: true,
    openaiType: 'server_error',
    anthropicType: 'api_error',
    description: 'The provider could not be reached or answered 5xx; the next candidate is tried.',
  },
  upstream_timeout: {
    status: 504,
    retryable: true,
    openaiType: 'server_error',
    anthropicType: 'api_error',
    description: "The provider did not answer within the provider's timeout_ms; the next candidate is tried.",
  },
  upstream_bad_response: {
    status: 502,
    retryable: false,
    openaiType: 'server_error',
    anthropicType: 'api_error',
    description: 'The provider answered with something that is not its documented wire format.',
  },
  all_attempts_failed: {
    status: 502,
    retryable: false,
    openaiType: 'server_error',
    anthropicType: 'api_error',
    description: 'Every candidate model failed; 429 if the last failure was a rate limit.',
  },
  service_unavailable: {
    status: 503,
    retryable: false,
    openaiType: 'server_error',
    anthropicType: 'overloaded_error',
    description: 'The server is draining for shutdown, or a required subsystem (e.g. the vault) is not configured.',
  },
  internal: {
    status: 500,
    retryable: false,
    openaiType: 'server_error',
    anthropicType: 'api_error',
    description: 'An unexpected failure inside Switchboard; details are logged, never sent.',
  },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface GatewayErrorOptions {
  readonly status?: number;
  readonly retryable?: boolean;
  readonly provider?: string;
  /** Extra headers for the response (e.g. Retry-After). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly cause?: unknown;
}

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly provider: string | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.status = options.status ?? ERROR_CODES[code].status;
    this.retryable = options.retryable ?? ERROR_CODES[code].retryable;
    this.provider = options.provider;
    this.headers = options.headers ?? {};
  }
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError;
}

/**
 * Classify an upstream HTTP status the way every provider should: 429 → rate limited,
 * 408/5xx (and Anthropic's 529) → unavailable, other 4xx → passed on with its status.
 */
export function upstreamStatusError(provider: string, status: number, message: string): GatewayError {
  // Redirects are never followed (the credential must not go elsewhere) nor passed on: a 3xx
  // (or any non-error status here) is not the provider's documented answer.
  if (status < 400)
    return new GatewayError('upstream_bad_response', `Provider ${provider} answered HTTP ${status}, which Switchboard does not follow`, { provider });
  if (status === 429) return new GatewayError('upstream_rate_limited', message, { provider, status: 429 });
  if (status === 408) return new GatewayError('upstream_timeout', message, { provider, status: 504 });
  if (status >= 500) return new GatewayError('upstream_unavailable', message, { provider, status });
  // The provider refused Switchboard's credential: that is not the client's auth failing, and
  // another provider may still serve the request.
  if (status === 401 || status === 403)
    return new GatewayError('upstream_unavailable', `Provider ${provider} rejected Switchboard's credentials: ${message}`, { provider, status: 502 });
  return new GatewayError('upstream_error', message, { provider, status });
}
