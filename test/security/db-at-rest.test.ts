/**
 * Peer gateways have stored provider keys and client keys in plain text. The SQLite file and its
 * WAL must hold neither a vault value nor a full API key, in any common encoding.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mockConfig, startTestServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/start-server.js';
import { admin, grantCredits, MASTER_KEY } from './support.js';

const VAULT_VALUE = `sk-vault-plaintext-${randomBytes(12).toString('hex')}`;
const REPLACED_VALUE = `sk-vault-replaced-${randomBytes(12).toString('hex')}`;
let server: TestServer | undefined;

afterAll(async () => server?.close());

/** The needle and the encodings a careless implementation might have used. */
function encodings(secret: string): Buffer[] {
  return [
    Buffer.from(secret, 'utf8'),
    Buffer.from(secret, 'utf16le'),
    Buffer.from(Buffer.from(secret).toString('base64')),
    Buffer.from(Buffer.from(secret).toString('base64url')),
    Buffer.from(Buffer.from(secret).toString('hex')),
  ];
}

async function databaseFiles(dir: string): Promise<{ name: string; bytes: Buffer }[]> {
  const names = (await readdir(dir)).filter((n) => n.startsWith('switchboard.db'));
  return Promise.all(names.map(async (name) => ({ name, bytes: await readFile(join(dir, name)) })));
}

function expectAbsent(files: { name: string; bytes: Buffer }[], secrets: Record<string, string>): void {
  for (const { name, bytes } of files) {
    for (const [label, secret] of Object.entries(secrets)) {
      for (const needle of encodings(secret)) expect(bytes.includes(needle), `${label} found in ${name}`).toBe(false);
    }
  }
}

describe('secrets at rest', () => {
  it('neither the SQLite file nor its WAL contains a vault value or a full API key', async () => {
    server = await startTestServer(mockConfig({ rate_limits: { default_rpm: 100000 } }), { SWITCHBOARD_MASTER_KEY: MASTER_KEY });
    await grantCredits(server.url);
    const json = { ...admin, 'content-type': 'application/json' };

    for (const value of [VAULT_VALUE, REPLACED_VALUE]) {
      const put = await fetch(`${server.url}/api/admin/vault/openai`, { method: 'PUT', headers: json, body: JSON.stringify({ value }) });
      expect(put.status).toBeLessThan(300);
    }
    await fetch(`${server.url}/api/admin/vault/other`, { method: 'PUT', headers: json, body: JSON.stringify({ value: VAULT_VALUE }) });
    await fetch(`${server.url}/api/admin/vault/other`, { method: 'DELETE', headers: admin });

    const created = await fetch(`${server.url}/api/keys`, { method: 'POST', headers: json, body: JSON.stringify({ name: 'at-rest' }) });
    expect(created.status).toBe(201);
    const { key } = (await created.json()) as { key: string };
    expect(key).toMatch(/^bkb_[0-9a-f]{48}$/);
    const bootstrap = await server.gateway.keyStore.create({ accountId: 'default', name: 'direct', scopes: ['chat', 'read'] });

    for (const k of [key, bootstrap.key]) {
      const res = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${k}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'mock-fast', messages: [{ role: 'user', content: 'hello' }] }),
      });
      expect(res.status).toBe(200);
    }

    const secrets = {
      'vault value': VAULT_VALUE,
      'replaced vault value': REPLACED_VALUE,
      'API key': key,
      'API key body': key.slice(4),
      'store-created key body': bootstrap.key.slice(4),
      'admin key': TEST_ADMIN_KEY,
      'master key': MASTER_KEY,
    };
    const live = await databaseFiles(server.dir);
    expect(live.map((f) => f.name)).toContain('switchboard.db-wal');
    // Positive control: the search does see what is stored in the clear (a key's name and label).
    expect(live.some((f) => f.bytes.includes(Buffer.from('at-rest')))).toBe(true);
    expect(live.some((f) => f.bytes.includes(Buffer.from(`${key.slice(0, 8)}...${key.slice(-4)}`)))).toBe(true);
    expectAbsent(live, secrets);

    // After a clean shutdown the WAL is checkpointed into the main file: check that too.
    const dir = server.dir;
    await server.gateway.close();
    expectAbsent(await databaseFiles(dir), secrets);
    await rm(dir, { recursive: true, force: true });
    server = undefined;
  });
});
