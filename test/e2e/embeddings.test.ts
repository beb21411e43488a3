/**
 * The embeddings passthrough through the real server, driven by the official OpenAI SDK against
 * a fake OpenAI-compatible upstream.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.js';
import { mockConfig, startTestServer, type TestServer } from '../helpers/start-server.js';

const UPSTREAM_KEY = 'sk-upstream-embeddings-credential';

let server: TestServer;
let fake: FakeOpenAI;
let openai: OpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  server = await startTestServer(
    mockConfig({
      providers: [
        { name: 'local-mock', type: 'mock' },
        { name: 'oai', type: 'openai', base_url: fake.url, api_key: UPSTREAM_KEY, timeout_ms: 5000 },
      ],
      models: [
        { id: 'mock-fast', provider: 'local-mock', categories: ['text', 'code'] },
        {
          id: 'embed-small',
          provider: 'oai',
          upstream_model: 'text-embedding-3-small',
          capabilities: ['embeddings'],
          pricing: { input_per_1m: 0.02, output_per_1m: 0 },
        },
        { id: 'gpt-4o', provider: 'oai', upstream_model: 'gpt-4o-2024-08-06', pricing: { input_per_1m: 2.5, output_per_1m: 10 } },
        { id: 'mock-embed', provider: 'local-mock', capabilities: ['embeddings'] },
      ],
      aliases: { embedder: 'embed-small' },
      routing: { categories: { text: { policy: 'fixed', models: ['mock-fast'] } } },
    }),
  );
  openai = new OpenAI({ apiKey: server.adminKey, baseURL: `${server.url}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await server?.close();
  await fake?.close();
});

beforeEach(() => {
  fake.requests.length = 0;
});

function lastUpstream() {
  const last = fake.requests.at(-1);
  if (!last) throw new Error('the upstream received nothing');
  return last;
}

describe('POST /v1/embeddings', () => {
  it('forwards to the provider with the upstream model name and the configured credential', async () => {
    const { data, response } = await openai.embeddings.create({ model: 'embed-small', input: ['hello world', 'second input'] }).withResponse();
    expect(data.model).toBe('embed-small');
    expect(data.data).toHaveLength(2);
    expect(data.data[0]!.embedding).toHaveLength(8);
    expect(data.usage.prompt_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-switchboard-model')).toBe('embed-small');

    const upstream = lastUpstream();
    expect(upstream.path).toBe('/v1/embeddings');
    expect((upstream.body as Record<string, unknown>)['model']).toBe('text-embedding-3-small');
    expect((upstream.body as Record<string, unknown>)['input']).toEqual(['hello world', 'second input']);
    expect(upstream.headers['authorization']).toBe(`Bearer ${UPSTREAM_KEY}`);
    expect(JSON.stringify(upstream.headers)).not.toContain(server.adminKey);
  });

  it('passes float encoding through and resolves aliases', async () => {
    const res = await fetch(`${server.url}/api/v1/embeddings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'embedder', input: 'abc', encoding_format: 'float' }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { model: string; data: { embedding: number[] }[] };
    expect(body.model).toBe('embed-small');
    expect(Array.isArray(body.data[0]!.embedding)).toBe(true);
    expect((lastUpstream().body as Record<string, unknown>)['encoding_format']).toBe('float');
  });

  it('rejects a chat-only model with 400 and never calls the upstream', async () => {
    const err = await openai.embeddings.create({ model: 'gpt-4o', input: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).message).toContain('model gpt-4o does not support embeddings');
    expect(fake.requests).toHaveLength(0);
  });

  it('rejects an unknown model with model_not_found listing the embedding models', async () => {
    const err = (await openai.embeddings.create({ model: 'nope', input: 'x' }).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.BadRequestError>;
    expect(err.status).toBe(400);
    expect(err.code).toBe('model_not_found');
    expect(err.message).toContain('embed-small');
  });

  it('rejects a model whose provider has no OpenAI-compatible passthrough', async () => {
    const err = (await openai.embeddings.create({ model: 'mock-embed', input: 'x' }).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.BadRequestError>;
    expect(err.status).toBe(400);
    expect(err.message).toContain('does not support embeddings');
  });

  it('rejects a missing input with 400', async () => {
    const res = await fetch(`${server.url}/v1/embeddings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'embed-small' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
  });

  it('requires a Switchboard key (the client key never reaches the upstream)', async () => {
    const anonymous = new OpenAI({ apiKey: 'sk-not-a-switchboard-key', baseURL: `${server.url}/v1`, maxRetries: 0 });
    const err = (await anonymous.embeddings.create({ model: 'embed-small', input: 'x' }).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(err.status).toBe(401);
    expect(fake.requests).toHaveLength(0);
  });

  it('maps an upstream failure into the OpenAI envelope', async () => {
    fake.setBehaviour({ kind: 'status', status: 500 });
    try {
      const err = (await openai.embeddings.create({ model: 'embed-small', input: 'x' }).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
      expect(err.status).toBe(500);
      expect(err.type).toBe('server_error');
    } finally {
      fake.setBehaviour({ kind: 'ok' });
    }
  });

  it('answers test-mode keys locally without calling the provider', async () => {
    const { key } = await server.gateway.keyStore.create({ accountId: 'default', name: 'test-key', scopes: ['chat'], mode: 'test' });
    const client = new OpenAI({ apiKey: key, baseURL: `${server.url}/v1`, maxRetries: 0 });
    const data = await client.embeddings.create({ model: 'embed-small', input: 'hello' });
    expect(data.model).toBe('embed-small');
    expect(data.data[0]!.embedding).toHaveLength(8);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('unknown API paths', () => {
  it('answers 404 in the OpenAI envelope and forwards nothing', async () => {
    for (const path of ['/v1/unknown', '/api/v1/unknown/deeper']) {
      const res = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(res.status).toBe(404);
      const body = (await res.json()) as { error: { type: string; message: string } };
      expect(body.error.type).toBe('not_found_error');
      expect(body.error.message).toContain(path);
    }
    expect(fake.requests).toHaveLength(0);
  });
});
