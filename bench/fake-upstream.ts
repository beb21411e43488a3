/**
 * A fast fake OpenAI-compatible upstream for the benchmark (run as its own process so it does not
 * share an event loop with the load generator). Fixed tiny answers: one JSON completion, or an SSE
 * stream of 20 content chunks + finish + usage + [DONE] when the body asks for `"stream":true`.
 * `POST /__delay/<ms>` sets the delay before the response headers for every later request.
 * Prints `listening <port>` on stdout once ready.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const CREATED = 1_700_000_000;
const STREAM_CHUNKS = 20;

const completion = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: CREATED,
  model: 'bench-upstream',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from the benchmark upstream.', refusal: null }, logprobs: null, finish_reason: 'stop' }],
  usage: { prompt_tokens: 12, completion_tokens: 8, total_tokens: 20 },
});

const chunk = (delta: unknown, finish: string | null, usage?: unknown) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: CREATED, model: 'bench-upstream', choices: usage ? [] : [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...(usage ? { usage } : {}) })}\n\n`;

const streamParts: string[] = [
  ...Array.from({ length: STREAM_CHUNKS }, (_, i) => chunk(i === 0 ? { role: 'assistant', content: `tok${i} ` } : { content: `tok${i} ` }, null)),
  chunk({}, 'stop'),
  chunk(null, null, { prompt_tokens: 12, completion_tokens: STREAM_CHUNKS, total_tokens: 12 + STREAM_CHUNKS }),
  'data: [DONE]\n\n',
];

let delayMs = 0;

const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (d: string) => (body += d));
  req.on('end', () => {
    const url = req.url ?? '/';
    if (url.startsWith('/__delay/')) {
      delayMs = Number(url.slice('/__delay/'.length)) || 0;
      res.end('ok');
      return;
    }
    const respond = () => {
      if (body.includes('"stream":true')) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        for (const part of streamParts) res.write(part);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(completion) });
      res.end(completion);
    };
    if (delayMs > 0) setTimeout(respond, delayMs);
    else respond();
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
