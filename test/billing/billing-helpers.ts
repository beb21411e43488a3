/** Helpers for the credits tests: accounts, keys and grants on a real in-process server. */
import request from 'supertest';
import type { LimitReset } from '../../src/keys/key-record.js';
import type { TestServer } from '../helpers/start-server.js';

export const admin = (server: TestServer) => ({ Authorization: `Bearer ${server.adminKey}` });
export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

export async function newAccount(server: TestServer, name: string): Promise<string> {
  const res = await request(server.url).post('/api/admin/accounts').set(admin(server)).send({ name });
  if (res.status !== 201) throw new Error(`account: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

export interface KeyOptions {
  readonly mode?: 'live' | 'test';
  readonly limitMicros?: number | null;
  readonly limitReset?: LimitReset | null;
}

export async function newKey(server: TestServer, accountId: string, options: KeyOptions = {}): Promise<{ key: string; id: string }> {
  const { key, record } = await server.gateway.keyStore.create({ accountId, name: 'k', scopes: ['chat', 'read'], ...options });
  return { key, id: record.id };
}

export async function grant(server: TestServer, accountId: string, amount: number): Promise<number> {
  const res = await request(server.url).post(`/api/admin/accounts/${accountId}/credits`).set(admin(server)).send({ amount });
  if (res.status !== 200) throw new Error(`grant: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.credits as number;
}

/** A funded account with one live key. */
export async function fundedKey(
  server: TestServer,
  name: string,
  usd: number,
  options: KeyOptions = {},
): Promise<{ accountId: string; key: string; keyId: string }> {
  const accountId = await newAccount(server, name);
  if (usd > 0) await grant(server, accountId, usd);
  const { key, id } = await newKey(server, accountId, options);
  return { accountId, key, keyId: id };
}

export function ledgerRows(server: TestServer, accountId: string) {
  return server.gateway.database.db.selectFrom('ledger').selectAll().where('account_id', '=', accountId).orderBy('id').execute();
}

/** Cached balance, ledger sum and last balance_after, in micro-dollars. */
export async function balances(server: TestServer, accountId: string): Promise<{ cached: number; sum: number; lastAfter: number | null }> {
  const db = server.gateway.database.db;
  const account = await db.selectFrom('accounts').select('balance_micros').where('id', '=', accountId).executeTakeFirstOrThrow();
  const rows = await ledgerRows(server, accountId);
  return { cached: account.balance_micros, sum: rows.reduce((n, r) => n + r.amount_micros, 0), lastAfter: rows.at(-1)?.balance_after_micros ?? null };
}

export function chatBody(text: string, extra: Record<string, unknown> = {}) {
  return { model: 'mock-fast', messages: [{ role: 'user', content: text }], ...extra };
}
