/**
 * A second reference for the benchmark: the smallest proxy built like the gateway — express, a
 * JSON body, a translated upstream request on undici's pooled Agent, the answer parsed and
 * re-encoded (streams piped through) — with none of the gateway's subsystems (no auth, rate
 * limits, credits, routing, metrics or logs). It shows what the framework and the translation
 * cost on their own, so the rest of the gateway's figure is what its subsystems cost.
 * With `http` as the second argument the same handler runs on node:http alone (no express),
 * which measures what express itself costs per request.
 * Usage: floor-proxy.ts <upstream-url> [express|http]. Prints `listening <port>` once ready.
 */
import express from 'express';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';

const target = process.argv[2];
if (!target) throw new Error('usage: floor-proxy.ts <upstream-url>');
const origin = new URL(target).origin;
const agent = new Agent({ connections: 256, pipelining: 1, keepAliveTimeout: 30_000 });

interface ChatBody {
  readonly model: string;
  readonly messages: unknown[];
  readonly stream?: boolean;
}
interface Completion {
  readonly choices: { readonly message: { readonly content: string }; readonly finish_reason: string }[];
  readonly usage: unknown;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = JSON.parse(await readBody(req)) as ChatBody;
  const upstream = await agent.request({
    origin,
    path: '/v1/chat/completions',
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer floor' },
    body: JSON.stringify({ model: body.model, messages: body.messages, ...(body.stream ? { stream: true } : {}) }),
  });
  if (body.stream) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for await (const chunk of upstream.body) res.write(chunk);
    res.end();
    return;
  }
  const answer = (await upstream.body.json()) as Completion;
  const first = answer.choices[0];
  const out = JSON.stringify({
    id: 'chatcmpl-floor',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    choices: [{ index: 0, message: { role: 'assistant', content: first?.message.content ?? '' }, finish_reason: first?.finish_reason ?? 'stop' }],
    usage: answer.usage,
  });
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(out) });
  res.end(out);
}

function createApp(): (req: IncomingMessage, res: ServerResponse) => void {
  if (process.argv[3] === 'http') {
    return (req, res) => {
      if (req.method === 'POST' && req.url === '/v1/chat/completions') void handle(req, res);
      else res.writeHead(404).end();
    };
  }
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.post('/v1/chat/completions', handle);
  return app;
}

const server = createServer({ keepAliveTimeout: 65_000 }, createApp());
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
