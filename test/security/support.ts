/** Shared bits of the security tests: configs with a fake OpenAI upstream, credits, raw HTTP. */
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { mockConfig, TEST_ADMIN_KEY } from '../helpers/start-server.js';

export const MASTER_KEY = '5e'.repeat(32);
export const UPSTREAM_KEY = 'sk-upstream-configured-credential-7f3a';
export const admin = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };

/** The mock config plus an `openai` provider pointing at a fake upstream, served as model gpt-fake. */
export function upstreamConfig(baseUrl: string, apiKey = UPSTREAM_KEY, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base = mockConfig();
  return {
    ...base,
    rate_limits: { default_rpm: 100000 },
    providers: [...(base['providers'] as unknown[]), { name: 'upstream', type: 'openai', base_url: baseUrl, api_key: apiKey, timeout_ms: 5000 }],
    models: [
      ...(base['models'] as unknown[]),
      { id: 'gpt-fake', provider: 'upstream', upstream_model: 'fake-model', categories: ['text'], pricing: { input_per_1m: 1, output_per_1m: 1 } },
    ],
    ...overrides,
  };
}

/** Gives the account credits when a credits route exists (billing may be unmetered). */
export async function grantCredits(url: string, accountId = 'default', amount = 100): Promise<void> {
  const res = await fetch(`${url}/api/admin/accounts/${accountId}/credits`, {
    method: 'POST',
    headers: { ...admin, 'content-type': 'application/json' },
    body: JSON.stringify({ amount, note: 'test' }),
  });
  if (res.status !== 404 && res.status >= 300) throw new Error(`granting credits failed: ${res.status}`);
  await res.arrayBuffer();
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** node:http, so Host and other headers fetch forbids can be set. */
export function rawRequest(url: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method, path, headers, setHost: !Object.keys(headers).some((h) => h.toLowerCase() === 'host') }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends exact bytes (any header value at all) and reads the response until the server closes. */
export function rawBytes(url: string, bytes: Buffer): Promise<{ status: number; body: string; raw: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = raw.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), body: rest.join('\r\n\r\n'), raw });
    });
  });
}

/** A request whose one header value is given as raw bytes. */
export function requestBytes(method: string, path: string, headerName: string, value: Buffer, body = ''): Buffer {
  return Buffer.concat([
    Buffer.from(
      `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${headerName}: `,
      'latin1',
    ),
    value,
    Buffer.from(`\r\n\r\n${body}`, 'utf8'),
  ]);
}
