/**
 * Google Gemini provider: `generateContent` and `streamGenerateContent?alt=sse`.
 */
import type { JSONSchemaType } from 'ajv';
import type { ChatRequest, ChatResult, StreamEvent } from '../../../src/formats/canonical.js';
import { GatewayError } from '../../../src/errors.js';
import type { CallContext, PluginContext, PluginDefinition, Provider } from '../../../src/plugins/types.js';
import type { UpstreamResponse } from '../../../src/upstream/http-client.js';
import { decodeSseData, eventsOf } from '../../../src/upstream/event-batches.js';
import { badResponse, decodeResponse, PROVIDER } from './decode-response.js';
import { createGeminiStreamDecoder } from './decode-stream.js';
import { encodeRequest } from './encode-request.js';
import { mapGeminiError } from './map-error.js';

export interface GeminiOptions {
  base_url: string;
  api_key?: string;
  timeout_ms: number;
  headers?: Record<string, string>;
}

const optionsSchema: JSONSchemaType<GeminiOptions> = {
  type: 'object',
  additionalProperties: false,
  required: ['base_url', 'timeout_ms'],
  properties: {
    base_url: {
      type: 'string',
      default: 'https://generativelanguage.googleapis.com/v1beta',
      description: 'Gemini API root including the version segment, e.g. https://generativelanguage.googleapis.com/v1beta.',
    },
    api_key: {
      type: 'string',
      nullable: true,
      description: 'API key or credential reference (vault:<name>), sent as the x-goog-api-key header.',
    },
    timeout_ms: {
      type: 'integer',
      minimum: 1,
      default: 60000,
      description: 'Milliseconds allowed for the response headers and then between two body chunks.',
    },
    headers: {
      type: 'object',
      nullable: true,
      required: [],
      additionalProperties: { type: 'string' },
      description: 'Extra static headers sent with every request.',
    },
  },
};

/** Strips the `models/` prefix Google's own listings use; refuses anything that could steer the path. */
export function modelPath(model: string): string {
  const name = model.startsWith('models/') ? model.slice('models/'.length) : model;
  if (name === '' || name.includes('/') || name.includes('..')) {
    throw new GatewayError('request_invalid', 'Invalid Gemini model name', { provider: PROVIDER });
  }
  return `models/${encodeURIComponent(name)}`;
}

export function createGeminiProvider(options: Readonly<GeminiOptions>, ctx: PluginContext): Provider {
  const provider = ctx.instanceName ?? PROVIDER;
  const baseUrl = options.base_url.replace(/\/+$/, '');

  const headersFor = (apiKey: string | undefined): Record<string, string> => ({
    ...options.headers,
    'content-type': 'application/json',
    ...(apiKey !== undefined && apiKey !== '' ? { 'x-goog-api-key': apiKey } : {}),
  });

  const send = async (url: string, body: unknown, call: CallContext): Promise<{ res: UpstreamResponse; apiKey: string | undefined }> => {
    // Resolved per call so a vault update takes effect without a reload.
    const apiKey = ctx.secrets.resolve(options.api_key);
    const res = await ctx.http.send(url, {
      headers: headersFor(apiKey),
      body: JSON.stringify(body),
      signal: call.signal,
      timeoutMs: options.timeout_ms,
      provider,
    });
    if (res.status < 200 || res.status >= 300) throw mapGeminiError(res.status, await res.text(), apiKey);
    return { res, apiKey };
  };

  async function* streamBatches(req: ChatRequest, call: CallContext): AsyncGenerator<StreamEvent[]> {
    const url = `${baseUrl}/${modelPath(req.model)}:streamGenerateContent?alt=sse`;
    const { body, warnings } = encodeRequest(req);
    const { res } = await send(url, body, call);
    const decoder = createGeminiStreamDecoder({ warnings });
    yield* decodeSseData(res.chunks(), decoder);
  }

  return {
    name: provider,
    capabilities: { streaming: true, tools: true, images: true },

    async chat(req: ChatRequest, call: CallContext): Promise<ChatResult> {
      const url = `${baseUrl}/${modelPath(req.model)}:generateContent`;
      const { body, warnings } = encodeRequest(req);
      const { res } = await send(url, body, call);
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw badResponse('body is not JSON');
      }
      const result = decodeResponse(parsed);
      return warnings.length > 0 ? { ...result, warnings } : result;
    },

    stream(req: ChatRequest, call: CallContext) {
      return eventsOf(streamBatches(req, call));
    },

    streamBatches,

    passthroughTarget() {
      // Gemini's OpenAI-compatible surface (embeddings) lives under {base_url}/openai.
      const apiKey = ctx.secrets.resolve(options.api_key);
      return {
        baseUrl: `${baseUrl}/openai`,
        headers: { ...options.headers, ...(apiKey !== undefined && apiKey !== '' ? { authorization: `Bearer ${apiKey}` } : {}) },
      };
    },
  };
}

const plugin: PluginDefinition<'provider', GeminiOptions, Provider> = {
  apiVersion: 1,
  kind: 'provider',
  name: 'gemini',
  description: 'Google Gemini models through the generateContent API, with streaming, tools and images.',
  optionsSchema,
  create: (options, ctx) => createGeminiProvider(options, ctx),
};

export default plugin;
