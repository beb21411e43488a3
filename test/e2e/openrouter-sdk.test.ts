/**
 * The official @openrouter/sdk (apiKeys.*) against the running server: every response must pass
 * the SDK's own schema validation, which is stricter than any hand-written assertion here.
 */
import { OpenRouter } from '@openrouter/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockConfig, startTestServer, type TestServer } from '../helpers/start-server.js';

let server: TestServer;
let management: OpenRouter;
let managementKey: string;

function client(apiKey: string): OpenRouter {
  return new OpenRouter({ apiKey, serverURL: `${server.url}/api/v1`, retryConfig: { strategy: 'none' } });
}

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (err) {
    return (err as { statusCode?: number }).statusCode ?? -1;
  }
}

beforeAll(async () => {
  server = await startTestServer(mockConfig({ rate_limits: { default_rpm: 60 } }));
  // A management key of its own account: keys + read, like an OpenRouter provisioning key.
  const res = await fetch(`${server.url}/api/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'provisioning', scopes: ['keys', 'read', 'chat'] }),
  });
  managementKey = ((await res.json()) as { key: string }).key;
  management = client(managementKey);
});

afterAll(async () => {
  await server?.close();
});

describe('@openrouter/sdk apiKeys against Switchboard', () => {
  it('creates, lists, gets, updates and deletes a key', async () => {
    const created = await management.apiKeys.create({ requestBody: { name: 'sdk key', limit: 12.5, limitReset: 'monthly' } });
    expect(created.key).toMatch(/^bkb_[0-9a-f]{48}$/);
    expect(created.data).toMatchObject({
      name: 'sdk key',
      limit: 12.5,
      limitRemaining: 12.5,
      limitReset: 'monthly',
      disabled: false,
      usage: 0,
      includeByokInLimit: false,
    });
    const hash = created.data.hash;
    expect(created.data.label).not.toContain(created.key);

    const listed = await management.apiKeys.list();
    expect(listed.data.map((k) => k.hash)).toContain(hash);
    expect(JSON.stringify(listed)).not.toContain(created.key);

    const got = await management.apiKeys.get({ hash });
    expect(got.data).toMatchObject({ hash, name: 'sdk key', limit: 12.5 });

    const updated = await management.apiKeys.update({ hash, requestBody: { name: 'renamed', limit: 3, disabled: true } });
    expect(updated.data).toMatchObject({ hash, name: 'renamed', limit: 3, disabled: true });

    // OpenRouter hides disabled keys unless asked.
    expect((await management.apiKeys.list()).data.map((k) => k.hash)).not.toContain(hash);
    expect((await management.apiKeys.list({ includeDisabled: true })).data.map((k) => k.hash)).toContain(hash);

    const deleted = await management.apiKeys.delete({ hash });
    expect(deleted.deleted).toBe(true);
    expect(await statusOf(management.apiKeys.get({ hash }))).toBe(404);
    expect(await statusOf(client(created.key).apiKeys.getCurrentKeyMetadata())).toBe(401);
  });

  it('reports the current key', async () => {
    const created = await management.apiKeys.create({ requestBody: { name: 'current', limit: 2, limitReset: 'daily' } });
    const current = await client(created.key).apiKeys.getCurrentKeyMetadata();
    expect(current.data).toMatchObject({
      label: created.data.label,
      limit: 2,
      limitRemaining: 2,
      limitReset: 'daily',
      usage: 0,
      isFreeTier: false,
      isManagementKey: false,
    });
    expect(current.data.rateLimit.requests).toBe(60);
    const own = await management.apiKeys.getCurrentKeyMetadata();
    expect(own.data.isManagementKey).toBe(true);
  });

  it('creates a key with an expiry and answers 404 for an unknown hash', async () => {
    const expiresAt = new Date(Date.now() + 3 * 86_400_000);
    const created = await management.apiKeys.create({ requestBody: { name: 'expiring', expiresAt } });
    expect(created.data.expiresAt?.toISOString()).toBe(expiresAt.toISOString());
    expect(await statusOf(management.apiKeys.get({ hash: '00000000-0000-0000-0000-000000000000' }))).toBe(404);
    expect(await statusOf(management.apiKeys.update({ hash: 'nope', requestBody: { name: 'x' } }))).toBe(404);
  });

  it('refuses bad input and missing scopes with the right status', async () => {
    expect(await statusOf(management.apiKeys.create({ requestBody: { name: 'x'.repeat(101) } }))).toBe(400);
    expect(await statusOf(management.apiKeys.create({ requestBody: { name: 'neg', limit: -1 } }))).toBe(400);
    const created = await management.apiKeys.create({ requestBody: { name: 'plain' } });
    // A chat+read key may not manage keys.
    expect(await statusOf(client(created.key).apiKeys.list())).toBe(403);
    expect(await statusOf(client('bkb_not-a-key').apiKeys.list())).toBe(401);
  });
});

describe('@openrouter/sdk chat against Switchboard', () => {
  const messages = [{ role: 'user' as const, content: 'Say hello to the SDK' }];

  it('chat.send (non-streaming) passes the SDK response validation', async () => {
    const result = await client(managementKey).chat.send({ chatRequest: { model: 'mock-fast', messages, maxTokens: 32 } });
    if (!('choices' in result)) throw new Error('expected a ChatResult');
    expect(result.object).toBe('chat.completion');
    expect(result.model).toBe('mock-fast');
    expect(result.systemFingerprint).toBe('fp_switchboard');
    expect(typeof result.choices[0]?.message.content).toBe('string');
    expect(result.usage?.totalTokens).toBeGreaterThan(0);
  });

  it('chat.send with stream: true yields chunks that pass validation, then usage', async () => {
    const stream = await client(managementKey).chat.send({
      chatRequest: { model: 'mock-fast', messages, stream: true, streamOptions: { includeUsage: true } },
    });
    if (!(Symbol.asyncIterator in stream)) throw new Error('expected an event stream');
    let text = '';
    let usage = 0;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage?.totalTokens ?? usage;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(usage).toBeGreaterThan(0);
  });
});
