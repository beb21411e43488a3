/**
 * The client matrix's shared setup: the real gateway with an OpenAI-backed and an Anthropic-backed
 * model (fake upstreams speaking the real wire formats, acting as an agent model), a funded account
 * with a live key, and billing checks through `GET /api/usage/history`.
 */
import { expect } from 'vitest';
import { fundedKey } from '../../billing/billing-helpers.js';
import type { AgentScript } from '../../helpers/fake-agent.js';
import { fakeAnthropicInputTokens, startFakeAnthropic, type FakeAnthropic } from '../../helpers/fake-anthropic.js';
import { fakeOpenAIPromptTokens, startFakeOpenAI, type FakeOpenAI } from '../../helpers/fake-openai.js';
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../../helpers/start-server.js';

export type BackendName = 'openai' | 'anthropic';

export interface Backend {
  readonly name: BackendName;
  /** The Switchboard model id that routes to this backend. */
  readonly model: string;
  /** The upstream's model name (what the fake upstream is asked for). */
  readonly upstreamModel: string;
  /** Makes the fake upstream act as an agent model with this script (and forgets earlier requests). */
  script(script?: AgentScript): void;
  /** Request bodies the fake upstream received since the last `script()`. */
  bodies(): Record<string, unknown>[];
  /** The input tokens the fake upstream reported for one of its request bodies. */
  reportedInputTokens(body: unknown): number;
  /** Request headers the fake upstream received since the last `script()`. */
  headers(): Record<string, string | string[] | undefined>[];
}

export interface Transaction {
  readonly type: string;
  readonly amount: number;
  readonly model?: string;
  readonly request_id?: string;
}

export interface ClientMatrix {
  readonly url: string;
  /** A live key (scopes chat, read) of a funded account, so every request is billed. */
  readonly key: string;
  readonly server: TestServer;
  readonly backends: readonly Backend[];
  backend(name: BackendName): Backend;
  /** Snapshot of the billed usage for a model; `expectCharged(n)` checks n new charges since. */
  billing(model: string): Promise<{ expectCharged(count: number): Promise<Transaction[]> }>;
  /** Points `aliases` at other models and reloads the gateway. */
  setAliases(aliases: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

export const OPENAI_MODEL = 'gpt-4o';
export const ANTHROPIC_MODEL = 'claude-sonnet-4-5';

function gatewayConfig(openaiUrl: string, anthropicUrl: string, aliases: Record<string, string>): Record<string, unknown> {
  return {
    auth: { admin_keys: [TEST_ADMIN_KEY] },
    rate_limits: { default_rpm: 100000 },
    billing: { unmetered_accounts: [] },
    providers: [
      { name: 'oai', type: 'openai', base_url: openaiUrl, api_key: 'sk-upstream-openai', timeout_ms: 10000 },
      { name: 'ant', type: 'anthropic', base_url: anthropicUrl, api_key: 'sk-upstream-anthropic', timeout_ms: 10000 },
    ],
    models: [
      {
        id: OPENAI_MODEL,
        provider: 'oai',
        upstream_model: 'gpt-4o-2024-08-06',
        categories: ['text', 'code'],
        capabilities: ['text', 'tools', 'vision', 'streaming'],
        pricing: { input_per_1m: 2.5, output_per_1m: 10 },
      },
      {
        id: ANTHROPIC_MODEL,
        provider: 'ant',
        upstream_model: 'claude-sonnet-4-5-20250929',
        categories: ['text', 'code'],
        capabilities: ['text', 'tools', 'vision', 'streaming'],
        pricing: { input_per_1m: 3, output_per_1m: 15 },
      },
    ],
    aliases,
    routing: { categories: { text: { policy: 'fixed', models: [OPENAI_MODEL, ANTHROPIC_MODEL] } } },
  };
}

export async function startClientMatrix(aliases: Record<string, string> = {}): Promise<ClientMatrix> {
  const [openai, anthropic]: [FakeOpenAI, FakeAnthropic] = await Promise.all([startFakeOpenAI(), startFakeAnthropic()]);
  const server = await startTestServer(gatewayConfig(openai.url, anthropic.url, aliases));
  const { key } = await fundedKey(server, 'client-matrix', 1000);
  const backends: Backend[] = [
    {
      name: 'openai',
      model: OPENAI_MODEL,
      upstreamModel: 'gpt-4o-2024-08-06',
      script(script = {}) {
        openai.requests.length = 0;
        openai.setBehaviour({ kind: 'agent', script });
      },
      bodies: () => openai.requests.map((r) => r.body as Record<string, unknown>),
      reportedInputTokens: fakeOpenAIPromptTokens,
      headers: () => openai.requests.map((r) => r.headers),
    },
    {
      name: 'anthropic',
      model: ANTHROPIC_MODEL,
      upstreamModel: 'claude-sonnet-4-5-20250929',
      script(script = {}) {
        anthropic.requests.length = 0;
        anthropic.setBehaviour({ kind: 'agent', script });
      },
      bodies: () => anthropic.requests.map((r) => r.body as Record<string, unknown>),
      reportedInputTokens: fakeAnthropicInputTokens,
      headers: () => anthropic.requests.map((r) => r.headers),
    },
  ];
  for (const b of backends) b.script();

  const usage = async (model: string): Promise<Transaction[]> => {
    const res = await fetch(`${server.url}/api/usage/history?limit=500`, { headers: { authorization: `Bearer ${key}` } });
    const body = (await res.json()) as { transactions?: Transaction[] };
    return (body.transactions ?? []).filter((t) => t.type === 'usage' && t.model === model);
  };

  return {
    url: server.url,
    key,
    server,
    backends,
    backend: (name) => backends.find((b) => b.name === name)!,
    async billing(model) {
      const before = (await usage(model)).length;
      return {
        async expectCharged(count) {
          const after = await usage(model);
          const fresh = after.slice(0, after.length - before);
          expect(fresh, `usage transactions billed to ${model}`).toHaveLength(count);
          for (const t of fresh) expect(t.amount, `charge of ${t.request_id ?? '?'}`).toBeLessThan(0);
          return fresh;
        },
      };
    },
    async setAliases(next) {
      await server.rewriteConfig(gatewayConfig(openai.url, anthropic.url, next));
      const res = await fetch(`${server.url}/api/admin/reload`, { method: 'POST', headers: { authorization: `Bearer ${server.adminKey}` } });
      if (res.status !== 200) throw new Error(`reload: ${res.status} ${await res.text()}`);
    },
    async close() {
      await server.close();
      await Promise.all([openai.close(), anthropic.close()]);
    },
  };
}
