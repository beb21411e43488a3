/**
 * Starts the real gateway in-process on 127.0.0.1:0 with a YAML config written to a temp dir
 * and a temp SQLite file. Returns the URL, an admin key and a close function.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { stringify } from 'yaml';
import { createLogger } from '../../src/logging/logger.js';
import { startGateway, type RunningGateway } from '../../src/server/start.js';

export const TEST_ADMIN_KEY = 'bkb_' + 'a'.repeat(48);

export interface TestServer {
  readonly url: string;
  readonly adminKey: string;
  readonly gateway: RunningGateway;
  readonly dir: string;
  readonly configPath: string;
  /** Everything the server logged, one JSON object per line. */
  readonly logs: string[];
  rewriteConfig(config: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export function mockConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    auth: { admin_keys: [TEST_ADMIN_KEY] },
    // Suites send many requests with one key; the rate-limit tests set their own limits.
    rate_limits: { default_rpm: 100000 },
    providers: [{ name: 'local-mock', type: 'mock' }],
    models: [
      {
        id: 'mock-fast',
        provider: 'local-mock',
        categories: ['text', 'code', 'image', 'video', 'document'],
        pricing: { input_per_1m: 0.15, output_per_1m: 0.6 },
      },
      { id: 'mock-smart', provider: 'local-mock', categories: ['text', 'code'], pricing: { input_per_1m: 2.5, output_per_1m: 10 } },
    ],
    aliases: { cheap: 'mock-fast' },
    routing: { categories: { code: { policy: 'fixed', models: ['mock-smart', 'mock-fast'] }, text: { policy: 'fixed', models: ['mock-fast', 'mock-smart'] } } },
    ...overrides,
  };
}

export async function startTestServer(config: Record<string, unknown> = mockConfig(), env: NodeJS.ProcessEnv = {}): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-test-'));
  const configPath = join(dir, 'config.yaml');
  const withDb = { database: { url: `sqlite:${join(dir, 'switchboard.db')}` }, plugins: { dir: join(dir, 'plugins') }, ...config };
  await writeFile(configPath, stringify(withDb));
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger('info', sink);
  const gateway = await startGateway({ configPath, env: { ...env }, cwd: dir, port: 0, host: '127.0.0.1', logger, announce: (line) => logs.push(line) });
  return {
    url: gateway.url,
    adminKey: TEST_ADMIN_KEY,
    gateway,
    dir,
    configPath,
    logs,
    async rewriteConfig(next) {
      await writeFile(configPath, stringify({ database: withDb.database, plugins: withDb.plugins, ...next }));
    },
    async close() {
      await gateway.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
