/**
 * Safe defaults and settings that are refused: the demo binds loopback and says where it really
 * listens (HOST overrides), /metrics needs a token once reachable from the network, the example
 * ships no free-money code, admin keys must be real keys, and `trust_proxy: true` (which let a
 * client spoof its address past allowed_ips with X-Forwarded-For) is a config error.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { loadConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/logging/logger.js';
import { startGateway } from '../../src/server/start.js';
import { mockConfig, startTestServer, TEST_ADMIN_KEY } from '../helpers/start-server.js';
import { rawRequest } from './support.js';

const root = join(import.meta.dirname, '../..');
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function configFile(config: Record<string, unknown>): Promise<{ dir: string; path: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-safe-'));
  dirs.push(dir);
  const path = join(dir, 'config.yaml');
  await writeFile(path, stringify({ database: { url: `sqlite:${join(dir, 'db.sqlite')}` }, plugins: { dir: join(dir, 'plugins') }, ...config }));
  return { dir, path };
}

async function errorsOf(config: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): Promise<readonly string[]> {
  const { dir, path } = await configFile(config);
  try {
    await loadConfig(path, env, dir);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.errors;
    throw err;
  }
}

describe('the shipped example', () => {
  it('binds loopback, has no promo code, and needs a metrics token once HOST opens it up', async () => {
    const example = join(root, 'config.example.yaml');
    const { config } = await loadConfig(example, {}, root);
    expect(config.server.host).toBe('127.0.0.1');
    expect(config.billing.promo_codes).toEqual([]);
    const open = await loadConfig(example, { HOST: '0.0.0.0' }, root).catch((err: unknown) => err);
    expect(open).toBeInstanceOf(ConfigError);
    expect((open as ConfigError).errors).toEqual([expect.stringMatching(/^metrics\.token: required when server\.host \(0\.0\.0\.0\)/)]);
    const withToken = await loadConfig(example, { HOST: '0.0.0.0', SWITCHBOARD_METRICS_TOKEN: 'scrape-secret' }, root);
    expect(withToken.config.server.host).toBe('0.0.0.0');
  });

  it('prints the address really bound, from HOST', async () => {
    const { dir, path } = await configFile(mockConfig());
    const gateway = await startGateway({ configPath: path, cwd: dir, env: { HOST: '127.0.0.2', PORT: '0' }, logger: createLogger('silent') });
    try {
      expect(gateway.url).toMatch(/^http:\/\/127\.0\.0\.2:\d+$/);
      expect(gateway.server.address()).toMatchObject({ address: '127.0.0.2' });
      expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    } finally {
      await gateway.close();
    }
  });
});

describe('refused settings', () => {
  it('metrics beyond loopback without a token, in YAML too', async () => {
    expect(await errorsOf(mockConfig({ server: { host: '0.0.0.0' } }))).toEqual([expect.stringMatching(/^metrics\.token: /)]);
    expect(await errorsOf(mockConfig({ server: { host: '0.0.0.0' }, metrics: { token: 't0ken' } }))).toEqual([]);
    expect(await errorsOf(mockConfig({ server: { host: '0.0.0.0' }, metrics: { enabled: false } }))).toEqual([]);
    expect(await errorsOf(mockConfig({ server: { host: '::1' } }))).toEqual([]);
  });

  it('admin keys that are not in the key format', async () => {
    const errors = await errorsOf(mockConfig({ auth: { admin_keys: ['admin', TEST_ADMIN_KEY, `bkb_${'A'.repeat(48)}`] } }));
    expect(errors).toEqual([
      expect.stringMatching(/^auth\.admin_keys\.0: must be a key of the form bkb_<48 lowercase hex>/),
      expect.stringMatching(/^auth\.admin_keys\.2: /),
    ]);
    const prefixed = await errorsOf(mockConfig({ auth: { key_prefix: 'sb_', admin_keys: [TEST_ADMIN_KEY] } }));
    expect(prefixed).toEqual([expect.stringMatching(/^auth\.admin_keys\.0: must be a key of the form sb_/)]);
  });

  it('trust_proxy: true, and proxy entries that are not addresses', async () => {
    expect(await errorsOf(mockConfig({ server: { trust_proxy: true } }))).toEqual([expect.stringMatching(/^server\.trust_proxy: true would believe/)]);
    expect(await errorsOf(mockConfig({ server: { trust_proxy: ['10.0.0.0/8', 'proxy.local'] } }))).toEqual([
      expect.stringMatching(/^server\.trust_proxy\.1: "proxy\.local"/),
    ]);
    expect(await errorsOf(mockConfig({ server: { trust_proxy: '10.0.0.1, 10.0.0.0/33' } }))).toEqual([
      expect.stringMatching(/^server\.trust_proxy: "10\.0\.0\.0\/33"/),
    ]);
    for (const ok of [false, 0, 2, 'loopback', '10.0.0.1, 192.168.0.0/16', ['::1', 'fd00::/8']])
      expect(await errorsOf(mockConfig({ server: { trust_proxy: ok } }))).toEqual([]);
  });
});

describe('X-Forwarded-For cannot be spoofed past allowed_ips', () => {
  for (const trust of [1, ['127.0.0.1']]) {
    it(`with trust_proxy ${JSON.stringify(trust)}`, async () => {
      const server = await startTestServer(mockConfig({ server: { trust_proxy: trust } }));
      try {
        const created = await fetch(`${server.url}/api/keys`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ allowed_ips: ['10.0.0.1'] }),
        });
        const { key } = (await created.json()) as { key: string };
        const get = (xff: string) => rawRequest(server.url, 'GET', '/api/key', { authorization: `Bearer ${key}`, 'x-forwarded-for': xff });
        // The proxy appends the address it saw; the client's own entries come before it.
        expect((await get('10.0.0.1, 192.0.2.7')).status).toBe(403);
        expect((await get('10.0.0.1,10.0.0.1, 198.51.100.3')).status).toBe(403);
        // The allowed client behind the proxy.
        expect((await get('192.0.2.9, 10.0.0.1')).status).toBe(200);
      } finally {
        await server.close();
      }
    });
  }
});
