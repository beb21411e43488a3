/**
 * An opened stream whose route fails before reading it (e.g. while writing the response head)
 * is cancelled: the upstream request is aborted and the reservation released, never left held.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { BillingPort } from '../../src/gateway/billing-port.js';
import { CircuitBreakers } from '../../src/gateway/circuit-breaker.js';
import { openChatStream } from '../../src/gateway/handle-chat.js';
import { buildRuntime } from '../../src/gateway/runtime.js';
import { NO_TELEMETRY } from '../../src/gateway/telemetry.js';
import { createLogger } from '../../src/logging/logger.js';
import type { Principal } from '../../src/plugins/types.js';
import { createHttpClient } from '../../src/upstream/http-client.js';

let upstream: Server;
let dir: string;
const closed: Promise<void>[] = [];

beforeAll(async () => {
  // Sends the first chunk of a stream, then holds the connection open.
  upstream = createServer((req: IncomingMessage, res) => {
    closed.push(new Promise((resolve) => res.on('close', () => resolve())));
    req.resume();
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(
      `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: null }] })}\n\n`,
    );
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  dir = await mkdtemp(join(tmpdir(), 'switchboard-cancel-'));
});
afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('OpenedStream.cancel', () => {
  it('aborts the upstream call and releases the reservation', async () => {
    const base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
    const path = join(dir, 'config.yaml');
    await writeFile(
      path,
      stringify({ providers: [{ name: 'up', type: 'openai', base_url: base, api_key: 'sk-test-cancel-000' }], models: [{ id: 'm', provider: 'up' }] }),
    );
    const loaded = await loadConfig(path, {}, dir);
    const http = createHttpClient();
    const logger = createLogger('silent');
    const unused = (): never => {
      throw new Error('unused');
    };
    const runtime = await buildRuntime(loaded, {
      logger,
      clock: Date.now,
      random: Math.random,
      http,
      secrets: { resolve: (r) => r },
      keyring: { verify: unused },
    });
    const calls: string[] = [];
    const billing: BillingPort = {
      reserve: () => {
        calls.push('reserve');
        return { id: 'r1' };
      },
      settle: () => {
        calls.push('settle');
      },
      release: () => {
        calls.push('release');
      },
      resize: () => {},
    };
    const principal: Principal = { accountId: 'a', keyId: 'k', scopes: ['chat'], mode: 'live', rateLimitRpm: null, scheme: 'api-key' };
    const deps = {
      runtime: () => runtime,
      breakers: new CircuitBreakers(loaded.config.routing.circuit_breaker, Date.now),
      billing,
      telemetry: NO_TELEMETRY,
      clock: Date.now,
      logger,
    };
    try {
      const opened = await openChatStream(deps, {
        request: { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], maxTokens: 10, stream: true },
        principal,
        requestId: 'req-cancel-1',
        signal: new AbortController().signal,
      });
      expect(closed).toHaveLength(1);
      await opened.cancel();
      await expect(
        Promise.race([closed[0], new Promise((_, reject) => setTimeout(() => reject(new Error('upstream still open')), 2000))]),
      ).resolves.toBeUndefined();
      expect(calls).toEqual(['reserve', 'release']);
      // Cancelled before it was read: iterating it afterwards yields nothing and bills nothing.
      for await (const _ of opened.batches) throw new Error('a cancelled stream yielded');
      expect(calls).toEqual(['reserve', 'release']);
    } finally {
      await http.close();
    }
  });
});
