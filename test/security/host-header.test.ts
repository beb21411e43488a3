/**
 * Routes are matched on the path only. Peer gateways have routed (or skipped auth) on the Host
 * header, X-Forwarded-Host / -Prefix, X-Original-URL or a method override; here none of them
 * changes which handler answers or what it answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockConfig, startTestServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/start-server.js';
import { rawRequest, type RawResponse } from './support.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(mockConfig({ rate_limits: { default_rpm: 100000 } }));
});
afterAll(async () => server?.close());

const HOSTS = ['evil.example', 'localhost', 'admin.internal:8080', '127.0.0.1:1', '[::1]:443', 'api.openai.com', 'a'.repeat(200)];
const SPOOFS: Record<string, string>[] = [
  { 'X-Forwarded-Host': 'admin.internal' },
  { 'X-Forwarded-Prefix': '/api/admin' },
  { 'X-Original-URL': '/healthz' },
  { 'X-Rewrite-URL': '/healthz' },
  { 'X-HTTP-Method-Override': 'DELETE' },
  { 'X-Method-Override': 'PUT' },
  { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Port': '443' },
  { Forwarded: 'host=admin.internal;proto=https' },
];

const REQUESTS: { method: string; path: string; auth: boolean }[] = [
  { method: 'GET', path: '/healthz', auth: false },
  { method: 'GET', path: '/v1/models', auth: true },
  { method: 'GET', path: '/v1/models', auth: false },
  { method: 'GET', path: '/api/admin/vault', auth: false },
  { method: 'GET', path: '/api/nope', auth: true },
];

const shape = (r: RawResponse) => ({ status: r.status, type: r.headers['content-type'], body: r.body });

describe('the Host header and forwarding headers change nothing', () => {
  for (const r of REQUESTS) {
    it(`${r.method} ${r.path}${r.auth ? ' (admin key)' : ' (no key)'}`, async () => {
      const auth: Record<string, string> = r.auth ? { Authorization: `Bearer ${TEST_ADMIN_KEY}` } : {};
      const baseline = shape(await rawRequest(server.url, r.method, r.path, auth));
      for (const host of HOSTS) expect(shape(await rawRequest(server.url, r.method, r.path, { ...auth, Host: host })), host).toEqual(baseline);
      for (const spoof of SPOOFS) expect(shape(await rawRequest(server.url, r.method, r.path, { ...auth, ...spoof })), JSON.stringify(spoof)).toEqual(baseline);
    });
  }

  it('path tricks never reach an admin handler without a key', async () => {
    const paths = [
      '/api/admin/vault/',
      '/api/admin/vault;x',
      '/API/ADMIN/VAULT',
      '//api/admin/vault',
      '/healthz/../api/admin/vault',
      '/api/admin/vault%2F..%2F..%2Fhealthz',
      '/api/admin/vault?x=/healthz',
      '/./api/admin/vault',
    ];
    for (const path of paths) {
      const variants: Record<string, string>[] = [{}, { Host: 'admin.internal', 'X-Original-URL': '/api/admin/vault' }];
      for (const headers of variants) {
        const res = await rawRequest(server.url, 'GET', path, headers);
        expect([401, 404], path).toContain(res.status);
        expect(res.body).not.toContain('secrets');
      }
    }
  });

  it('a method override header does not turn a GET into a DELETE', async () => {
    const res = await rawRequest(server.url, 'GET', '/api/admin/vault/x', { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'X-HTTP-Method-Override': 'DELETE' });
    expect(res.status).toBe(404);
  });
});
