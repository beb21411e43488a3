/**
 * The baseline: a bare express + http-proxy-middleware reverse proxy to the fake upstream, with a
 * keep-alive agent (as the gateway's pooled undici client has). No auth, no body parsing.
 * Usage: baseline-proxy.ts <upstream-url>. Prints `listening <port>` once ready.
 */
import express from 'express';
import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProxyMiddleware } from 'http-proxy-middleware';

const target = process.argv[2];
if (!target) throw new Error('usage: baseline-proxy.ts <upstream-url>');

const app = express();
app.disable('x-powered-by');
app.disable('etag');
app.use(createProxyMiddleware({ target, changeOrigin: true, agent: new Agent({ keepAlive: true, maxSockets: 256 }) }));

const server = createServer({ keepAliveTimeout: 65_000 }, app);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
