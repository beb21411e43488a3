/** The `anthropic` provider: Claude models over the Anthropic Messages API. */
import { GatewayError } from '../../../src/errors.js';
import type { ChatRequest, ChatResult, StreamEvent } from '../../../src/formats/canonical.js';
import type { CallContext, PluginContext, PluginDefinition, Provider } from '../../../src/plugins/types.js';
import type { UpstreamResponse } from '../../../src/upstream/http-client.js';
import { decodeEventBatches, eventsOf } from '../../../src/upstream/event-batches.js';
import { readSseBatches } from '../../../src/upstream/sse-parser.js';
import { decodeAnthropicMessage } from './decode-response.js';
import { createAnthropicStreamDecoder } from './decode-stream.js';
import { type EncodedAnthropicRequest, encodeAnthropicRequest } from './encode-request.js';
import { mapAnthropicHttpError } from './map-error.js';

export interface AnthropicOptions {
  base_url: string;
  api_key?: string;
  anthropic_version: string;
  timeout_ms: number;
  headers?: Record<string, string>;
}

const PROVIDER_TYPE = 'anthropic';

function splitBetas(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
}

function createAnthropicProvider(options: Readonly<AnthropicOptions>, ctx: PluginContext): Provider {
  const provider = ctx.instanceName ?? PROVIDER_TYPE;
  const base = options.base_url.replace(/\/+$/, '');
  const url = base.endsWith('/v1') ? `${base}/messages` : `${base}/v1/messages`;

  // Lower-cased once so a configured `Anthropic-Beta` merges with the client's betas.
  const staticHeaders = Object.fromEntries(Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const providerBetas = splitBetas(staticHeaders['anthropic-beta']);

  function headers(stream: boolean, clientBetas: readonly string[]): Record<string, string> {
    const out: Record<string, string> = {
      ...staticHeaders,
      'content-type': 'application/json',
      accept: stream ? 'text/event-stream' : 'application/json',
      'anthropic-version': options.anthropic_version,
    };
    const betas = [...new Set([...providerBetas, ...clientBetas])];
    if (betas.length > 0) out['anthropic-beta'] = betas.join(',');
    // Resolved per call so a credential rotated in the vault applies without a restart.
    const key = ctx.secrets.resolve(options.api_key);
    if (key !== undefined && key !== '') out['x-api-key'] = key;
    return out;
  }

  async function send(req: ChatRequest, stream: boolean, call: CallContext): Promise<{ res: UpstreamResponse; encoded: EncodedAnthropicRequest }> {
    const encoded = encodeAnthropicRequest({ ...req, stream }, { nativeStructuredOutput: call.capabilities?.has('structured_output') === true, providerBetas });
    const { body, betas } = encoded;
    const res = await ctx.http.send(url, {
      headers: headers(stream, betas),
      body: JSON.stringify(body),
      signal: call.signal,
      timeoutMs: options.timeout_ms,
      provider,
    });
    if (res.status < 200 || res.status >= 300) {
      const text = await res.text().catch(() => '');
      throw mapAnthropicHttpError(provider, res.status, text);
    }
    return { res, encoded };
  }

  async function* streamBatches(req: ChatRequest, call: CallContext): AsyncGenerator<StreamEvent[]> {
    const { res, encoded } = await send(req, true, call);
    const decoder = createAnthropicStreamDecoder({
      provider: provider,
      warnings: encoded.warnings,
      ...(encoded.jsonTool !== undefined ? { jsonTool: encoded.jsonTool } : {}),
    });
    const relay = (events: readonly StreamEvent[], out: StreamEvent[]) => {
      for (const ev of events) {
        if (ev.type === 'error') throw ev.error;
        out.push(ev);
      }
    };
    yield* decodeEventBatches(
      readSseBatches(res.chunks()),
      (message, out) => relay(decoder.push(message.event, message.data), out),
      (out) => relay(decoder.end(), out),
    );
  }

  return {
    name: provider,
    capabilities: { streaming: true, tools: true, images: true, nativeFormat: 'anthropic' },

    async chat(req, call): Promise<ChatResult> {
      const { res, encoded } = await send(req, false, call);
      const { warnings } = encoded;
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (err) {
        throw new GatewayError('upstream_bad_response', `Provider ${provider} answered with a body that is not JSON`, {
          provider,
          cause: err,
        });
      }
      const result = decodeAnthropicMessage(json, provider, encoded.jsonTool);
      return warnings.length > 0 ? { ...result, warnings } : result;
    },

    stream(req, call) {
      return eventsOf(streamBatches(req, call));
    },

    streamBatches,
  };
}

const anthropicPlugin: PluginDefinition<'provider', AnthropicOptions, Provider> = {
  apiVersion: 1,
  kind: 'provider',
  name: 'anthropic',
  description: 'Claude models through the Anthropic Messages API (or any server that speaks it).',
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    required: [],
    properties: {
      base_url: {
        type: 'string',
        default: 'https://api.anthropic.com',
        description: 'Root URL of the API, without /v1 (requests go to {base_url}/v1/messages).',
      },
      api_key: {
        type: 'string',
        nullable: true,
        description: 'API key or credential reference (e.g. vault:anthropic), resolved on every call and sent as x-api-key.',
      },
      anthropic_version: {
        type: 'string',
        default: '2023-06-01',
        description: 'Value of the anthropic-version header.',
      },
      timeout_ms: {
        type: 'integer',
        minimum: 1,
        default: 60000,
        description: 'Milliseconds to wait for the response headers, and then between two body chunks.',
      },
      headers: {
        type: 'object',
        nullable: true,
        required: [],
        additionalProperties: { type: 'string' },
        description: 'Extra static headers sent with every request (e.g. anthropic-beta).',
      },
    },
  },
  create: (options, ctx) => createAnthropicProvider(options, ctx),
};

export default anthropicPlugin;
