/**
 * A fake Gemini API on 127.0.0.1:0 speaking the real wire format for `:generateContent` and
 * `:streamGenerateContent?alt=sse`. Records every request; its behaviour can be switched mid-test.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  /** Path and query, e.g. `/v1beta/models/gemini-2.0-flash:generateContent`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed JSON body (the raw text when it is not JSON). */
  readonly body: unknown;
}

export type FakeGeminiBehaviour =
  | { readonly kind: 'ok'; readonly text?: string; readonly toolCall?: { readonly name: string; readonly args: Record<string, unknown> } }
  | { readonly kind: 'status'; readonly status: number; readonly body?: unknown }
  | { readonly kind: 'hang' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'delay'; readonly ms: number };

export interface FakeGeminiOptions {
  readonly behaviour?: FakeGeminiBehaviour;
  /** When set, requests without this `x-goog-api-key` get Google's 400 API_KEY_INVALID. */
  readonly apiKey?: string;
}

export interface FakeGemini {
  /** The base_url to configure, including `/v1beta`. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  setBehaviour(behaviour: FakeGeminiBehaviour): void;
  close(): Promise<void>;
}

const DEFAULT_TEXT = 'Hello from fake Gemini.';
const ROUTE = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

export async function startFakeGemini(opts: FakeGeminiOptions = {}): Promise<FakeGemini> {
  let behaviour: FakeGeminiBehaviour = opts.behaviour ?? { kind: 'ok' };
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const path = req.url ?? '/';
      requests.push({ method: req.method ?? '', path, headers: req.headers, body: parseJson(raw) });
      handle(req, res, path, behaviour);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  function handle(req: IncomingMessage, res: ServerResponse, path: string, current: FakeGeminiBehaviour): void {
    const url = new URL(path, 'http://127.0.0.1');
    const route = ROUTE.exec(url.pathname);
    if (req.method !== 'POST' || route === null) {
      return sendJson(res, 404, envelope(404, 'Requested entity was not found.', 'NOT_FOUND'));
    }
    if (opts.apiKey !== undefined && req.headers['x-goog-api-key'] !== opts.apiKey) {
      return sendJson(res, 400, envelope(400, 'API key not valid. Please pass a valid API key.', 'INVALID_ARGUMENT'));
    }
    const model = decodeURIComponent(route[1] ?? '');
    const streaming = route[2] === 'streamGenerateContent';
    switch (current.kind) {
      case 'hang':
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'status':
        return sendJson(res, current.status, current.body ?? envelope(current.status, `Fake error ${current.status}`, statusName(current.status)));
      case 'delay': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          answer(res, model, streaming, { kind: 'ok' });
        }, current.ms);
        timers.add(timer);
        return;
      }
      case 'ok':
        return answer(res, model, streaming, current);
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1beta`,
    requests,
    setBehaviour(next) {
      behaviour = next;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function answer(res: ServerResponse, model: string, streaming: boolean, ok: Extract<FakeGeminiBehaviour, { kind: 'ok' }>): void {
  const usage = (output: number) => ({ promptTokenCount: 12, candidatesTokenCount: output, totalTokenCount: 12 + output });
  const base = { modelVersion: model, responseId: 'fake-response-1' };
  if (ok.toolCall !== undefined) {
    const parts = [{ functionCall: { name: ok.toolCall.name, args: ok.toolCall.args } }];
    const chunk = { ...base, candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }], usageMetadata: usage(7) };
    if (!streaming) return sendJson(res, 200, chunk);
    return sendSse(res, [chunk]);
  }
  const text = ok.text ?? DEFAULT_TEXT;
  const words = text.split(' ').length;
  if (!streaming) {
    return sendJson(res, 200, {
      ...base,
      candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }],
      usageMetadata: usage(words),
    });
  }
  const pieces = splitInThree(text);
  sendSse(
    res,
    pieces.map((piece, i) => {
      const last = i === pieces.length - 1;
      return {
        ...base,
        candidates: [{ content: { role: 'model', parts: [{ text: piece }] }, ...(last ? { finishReason: 'STOP' } : {}), index: 0 }],
        usageMetadata: last ? usage(words) : { promptTokenCount: 12, totalTokenCount: 12 },
      };
    }),
  );
}

function splitInThree(text: string): string[] {
  if (text.length < 3) return [text];
  const a = Math.floor(text.length / 3);
  const b = Math.floor((2 * text.length) / 3);
  return [text.slice(0, a), text.slice(a, b), text.slice(b)];
}

function sendSse(res: ServerResponse, chunks: readonly unknown[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const chunk of chunks) res.write(`data: ${JSON.stringify(chunk)}\r\n\r\n`);
  res.end();
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(text);
}

function envelope(code: number, message: string, status: string): unknown {
  return { error: { code, message, status } };
}

function statusName(status: number): string {
  if (status === 429) return 'RESOURCE_EXHAUSTED';
  if (status === 503) return 'UNAVAILABLE';
  if (status >= 500) return 'INTERNAL';
  if (status === 403) return 'PERMISSION_DENIED';
  if (status === 404) return 'NOT_FOUND';
  return 'INVALID_ARGUMENT';
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
