/**
 * The OpenAI Embeddings wire format as the passthrough needs it: check the client's body,
 * estimate its tokens for the reservation, read `usage` from the answer, and answer test-mode
 * keys locally (they never reach a real provider).
 */
import { GatewayError } from '../../errors.js';
import { estimateTokens } from '../../gateway/token-estimate.js';

export type JsonObject = Record<string, unknown>;

export interface EmbeddingsBody {
  readonly model: string;
  readonly body: JsonObject;
  /** Upper-bound token estimate of `input`, for the credit reservation. */
  readonly estimatedTokens: number;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTokenArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((n) => typeof n === 'number');
}

/** `input`: a string, an array of strings, an array of token ids, or an array of those. */
function estimateInput(input: unknown): number | undefined {
  if (typeof input === 'string') return input === '' ? undefined : estimateTokens(input);
  if (!Array.isArray(input) || input.length === 0) return undefined;
  if (isTokenArray(input)) return input.length;
  let total = 0;
  for (const item of input) {
    if (typeof item === 'string') total += estimateTokens(item);
    else if (isTokenArray(item) && item.length > 0) total += item.length;
    else return undefined;
  }
  return total;
}

export function readEmbeddingsBody(raw: unknown): EmbeddingsBody {
  if (!isObject(raw)) throw new GatewayError('request_invalid', 'The request body must be a JSON object');
  const model = raw['model'];
  if (typeof model !== 'string' || model === '') throw new GatewayError('request_invalid', '"model" is required and must be a string');
  const estimatedTokens = estimateInput(raw['input']);
  if (estimatedTokens === undefined) {
    throw new GatewayError('request_invalid', '"input" must be a non-empty string, an array of strings, or an array of token arrays');
  }
  // Only OpenAI's documented fields go upstream: a client must not be able to pass routing or
  // credential fields (api_base, base_url, api_key, headers…) to an upstream that might honour them.
  const body: JsonObject = {};
  for (const field of FORWARDED_FIELDS) if (raw[field] !== undefined) body[field] = raw[field];
  return { model, body, estimatedTokens };
}

const FORWARDED_FIELDS = ['model', 'input', 'encoding_format', 'dimensions', 'user'] as const;

/** `usage.prompt_tokens` of an embeddings answer, if it is a non-negative integer. */
export function promptTokensOf(answer: JsonObject): number | undefined {
  const usage = answer['usage'];
  if (!isObject(usage)) return undefined;
  const tokens = usage['prompt_tokens'];
  return typeof tokens === 'number' && Number.isInteger(tokens) && tokens >= 0 ? tokens : undefined;
}

function inputsOf(input: unknown): string[] {
  if (typeof input === 'string') return [input];
  if (isTokenArray(input)) return [input.join(' ')];
  return Array.isArray(input) ? input.map((i) => (typeof i === 'string' ? i : isTokenArray(i) ? i.join(' ') : '')) : [''];
}

/** Deterministic 8-dimension vectors for test-mode keys, in the shape (and encoding) asked for. */
export function testModeEmbeddings(body: JsonObject, modelId: string, promptTokens: number): JsonObject {
  const base64 = body['encoding_format'] === 'base64';
  return {
    object: 'list',
    data: inputsOf(body['input']).map((text, index) => {
      const vector = Array.from({ length: 8 }, (_, k) => ((text.charCodeAt(k % Math.max(1, text.length)) || 0) % 97) / 97);
      return { object: 'embedding', index, embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector };
    }),
    model: modelId,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}
