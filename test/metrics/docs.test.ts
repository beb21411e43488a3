import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { mockConfig, startTestServer, TEST_ADMIN_KEY } from '../helpers/start-server.js';
import { postChat } from '../helpers/chat-request.js';
import { itWithBinary, parseSamples, requireBinary, run } from './prom-tools.js';

const doc = (name: string) => new URL(`../../docs/${name}`, import.meta.url);

describe('shipped monitoring files', () => {
  itWithBinary('promtool')('docs/prometheus.yml passes `promtool check config`', async () => {
    const result = await run(requireBinary('promtool'), ['check', 'config', doc('prometheus.yml').pathname]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });

  it('docs/grafana-dashboard.json only queries series the gateway exports', async () => {
    const dashboard = JSON.parse(await readFile(doc('grafana-dashboard.json'), 'utf8')) as { panels: { title: string; targets?: { expr: string }[] }[] };
    const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    expect(exprs.length).toBeGreaterThan(15);
    const server = await startTestServer(mockConfig({ routing: { categories: { text: { policy: 'bandit', models: ['mock-fast', 'mock-smart'] } } } }));
    try {
      await postChat(server.url, TEST_ADMIN_KEY, { stream: true });
      const text = await (await fetch(`${server.url}/metrics`)).text();
      // Declared families (a labelled counter has no sample before its first event) plus samples.
      const exported = new Set(parseSamples(text).map((x) => x.name));
      for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
        exported.add(name!);
        if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) exported.add(name! + suffix);
      }
      const used = new Set(exprs.flatMap((e) => [...e.matchAll(/\b((?:switchboard|nodejs|process)_\w+)/g)].map((m) => m[1]!)));
      const missing = [...used].filter((name) => !exported.has(name));
      expect(missing).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
