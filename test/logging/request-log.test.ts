import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../src/keys/keyring.js';
import { postChat } from '../helpers/chat-request.js';
import { mockConfig, startTestServer, type TestServer } from '../helpers/start-server.js';

const PROMPT = 'the purple elephant sings quietly at midnight';

function requestLines(server: TestServer): Record<string, unknown>[] {
  return server.logs
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l['event'] === 'request');
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
}

async function withKey(server: TestServer): Promise<{ key: string; id: string }> {
  const { key, record } = await server.gateway.keyStore.create({ accountId: DEFAULT_ACCOUNT, name: 'log-test', scopes: ['chat', 'read'] });
  return { key, id: record.id };
}

describe('request log', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('writes one JSON line per request with the request fields, and never the key or the prompt', async () => {
    server = await startTestServer(mockConfig());
    const { key, id } = await withKey(server);
    const messages = [{ role: 'user', content: PROMPT }];
    const plain = await postChat(server.url, key, { messages });
    const streamed = await postChat(server.url, key, { messages, stream: true });
    const anthropic = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json', 'x-request-id': 'client-req-0001' },
      body: JSON.stringify({ max_tokens: 50, messages }),
    });
    await anthropic.text();
    const unauthorized = await fetch(`${server.url}/v1/models`, { headers: { authorization: 'Bearer bkb_' + 'f'.repeat(48) } });
    expect([plain.status, streamed.status, anthropic.status, unauthorized.status]).toEqual([200, 200, 200, 401]);
    await until(() => requestLines(server!).length >= 4);

    const lines = requestLines(server);
    expect(lines).toHaveLength(4);
    const ids = lines.map((l) => l['requestId']);
    expect(new Set(ids).size).toBe(4);
    expect(ids).toContain(plain.headers.get('x-request-id'));
    expect(ids).toContain('client-req-0001');

    const first = lines.find((l) => l['requestId'] === plain.headers.get('x-request-id'))!;
    expect(first).toMatchObject({
      level: 'info',
      method: 'POST',
      route: '/v1/chat/completions',
      status: 200,
      keyId: id,
      accountId: DEFAULT_ACCOUNT,
      model: 'mock-fast',
      category: 'text',
      attempts: 1,
      errorCode: null,
    });
    for (const field of ['latencyMs', 'upstreamMs', 'inputTokens', 'outputTokens', 'costUsd']) expect(typeof first[field]).toBe('number');
    expect(first['outputTokens']).toBeGreaterThan(0);

    const stream = lines.find((l) => l['requestId'] === streamed.headers.get('x-request-id'))!;
    expect(stream).toMatchObject({ status: 200, model: 'mock-fast', keyId: id });
    expect(stream['outputTokens']).toBeGreaterThan(0);
    expect(typeof stream['costUsd']).toBe('number');

    expect(lines.find((l) => l['requestId'] === 'client-req-0001')).toMatchObject({ route: '/v1/messages', status: 200, keyId: id });
    expect(lines.find((l) => l['status'] === 401)).toMatchObject({ route: '/v1/models', keyId: null, errorCode: 'auth_invalid' });

    const all = server.logs.join('\n');
    expect(all).not.toContain(key);
    expect(all).not.toContain(key.slice(4));
    expect(all).not.toContain('f'.repeat(48));
    expect(all).not.toContain('purple elephant');
    expect(all.toLowerCase()).not.toContain('authorization');
  });

  it('includes the prompt and the answer text with logging.log_prompts: true (streaming too)', async () => {
    server = await startTestServer(mockConfig({ logging: { level: 'info', log_prompts: true } }));
    const { key } = await withKey(server);
    const messages = [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'earlier question' },
      { role: 'assistant', content: 'earlier answer' },
      { role: 'user', content: PROMPT },
    ];
    const plain = await postChat(server.url, key, { messages });
    const streamed = await postChat(server.url, key, { messages, stream: true });
    await until(() => requestLines(server!).length >= 2);

    const answer = (plain.body as { choices: { message: { content: string } }[] }).choices[0]!.message.content;
    expect(answer.length).toBeGreaterThan(0);
    const byId = (id: string | null) => requestLines(server!).find((l) => l['requestId'] === id)!;
    expect(byId(plain.headers.get('x-request-id'))).toMatchObject({ prompt: PROMPT, answer });
    const streamLine = byId(streamed.headers.get('x-request-id'));
    expect(streamLine['prompt']).toBe(PROMPT);
    expect(streamLine['answer']).toBe(answer);
    // Still never the key.
    expect(server.logs.join('\n')).not.toContain(key);
  });
});
