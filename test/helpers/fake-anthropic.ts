/**
 * A fake Anthropic Messages API on 127.0.0.1 for end-to-end tests. It writes the wire format by
 * hand (not with Switchboard's own encoders), so tests compare against an independent source.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type AgentScript, anthropicTurn } from './fake-agent.js';

/** A successful answer; every field optional (default: a short text). */
export interface FakeAnthropicAnswer {
  kind: 'ok';
  text?: string;
  toolCall?: { name: string; input: Record<string, unknown> };
  /** A thinking block before the answer (streamed as thinking_delta + signature_delta). */
  thinking?: { text: string; signature: string };
  /** A redacted_thinking block's data. */
  redactedThinking?: string;
  /** Fixed usage instead of the length-based one (cache fields as Anthropic reports them: apart from input_tokens). */
  usage?: { input: number; output: number; cacheRead?: number; cacheWrite?: number };
  /** Streaming: cut the connection 100 ms after the first text delta (no message_delta, no message_stop). */
  cut?: boolean;
}

export type FakeAnthropicBehaviour =
  | FakeAnthropicAnswer
  | { kind: 'status'; status: number; body?: unknown }
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'delay'; ms: number }
  /** Acts like a model in a tool loop and answers structured-output requests (see fake-agent.ts). */
  | { kind: 'agent'; script: AgentScript };

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed JSON body (the raw text when it is not JSON). */
  readonly body: unknown;
}

export interface FakeAnthropic {
  /** The provider's base_url (no /v1). */
  readonly url: string;
  readonly requests: RecordedRequest[];
  setBehaviour(b: FakeAnthropicBehaviour): void;
  close(): Promise<void>;
}

const DEFAULT_TEXT = 'Hello from fake Anthropic.';

/** The input_tokens this fake reports for a request body (deterministic, from the messages' length). */
export function fakeAnthropicInputTokens(body: unknown): number {
  const request = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  return Math.max(1, Math.ceil(JSON.stringify(request['messages'] ?? []).length / 4));
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export async function startFakeAnthropic(opts: { behaviour?: FakeAnthropicBehaviour } = {}): Promise<FakeAnthropic> {
  let behaviour: FakeAnthropicBehaviour = opts.behaviour ?? { kind: 'ok' };
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let counter = 0;

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    let body: unknown = raw;
    try {
      body = JSON.parse(raw);
    } catch {
      /* recorded as text */
    }
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: { ...req.headers }, body });
    const current = behaviour;

    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== '/v1/messages') {
      return sendJson(res, 404, errorEnvelope('not_found_error', `Not found: ${req.url ?? ''}`));
    }
    switch (current.kind) {
      case 'hang':
        return; // never answers; close() destroys the socket
      case 'reset':
        req.socket.destroy();
        return;
      case 'status':
        return sendJson(res, current.status, current.body ?? errorEnvelope(ERROR_TYPES[current.status] ?? 'api_error', `Fake error ${current.status}`));
      case 'delay':
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            timers.delete(t);
            resolve();
          }, current.ms);
          timers.add(t);
        });
        if (res.destroyed) return;
        return answer(res, body, {});
      case 'ok':
        return answer(res, body, current);
      case 'agent': {
        const turn = anthropicTurn(typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}, current.script);
        return answer(res, body, turn.kind === 'tool' ? { toolCall: { name: turn.name, input: turn.input } } : { text: turn.text });
      }
    }
  }

  function answer(res: ServerResponse, body: unknown, ok: Omit<FakeAnthropicAnswer, 'kind'>): void {
    const request = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const model = typeof request['model'] === 'string' ? request['model'] : 'claude-fake';
    const text = ok.text ?? (ok.toolCall === undefined ? DEFAULT_TEXT : '');
    const id = `msg_fake${++counter}`;
    const toolId = `toolu_fake${counter}`;
    const inputTokens = ok.usage?.input ?? fakeAnthropicInputTokens(request);
    const outputTokens = ok.usage?.output ?? Math.max(1, text.split(/\s+/).filter(Boolean).length + (ok.toolCall === undefined ? 0 : 5));
    const cache = { cache_creation_input_tokens: ok.usage?.cacheWrite ?? 0, cache_read_input_tokens: ok.usage?.cacheRead ?? 0 };
    const stopReason = ok.toolCall === undefined ? 'end_turn' : 'tool_use';

    if (request['stream'] !== true) {
      const content: unknown[] = [];
      if (ok.thinking !== undefined) content.push({ type: 'thinking', thinking: ok.thinking.text, signature: ok.thinking.signature });
      if (ok.redactedThinking !== undefined) content.push({ type: 'redacted_thinking', data: ok.redactedThinking });
      if (text !== '') content.push({ type: 'text', text });
      if (ok.toolCall !== undefined) content.push({ type: 'tool_use', id: toolId, name: ok.toolCall.name, input: ok.toolCall.input });
      return sendJson(res, 200, {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content,
        stop_reason: stopReason,
        stop_sequence: null,
        usage: { input_tokens: inputTokens, ...cache, output_tokens: outputTokens },
      });
    }

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': `req_fake${counter}` });
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    send('message_start', {
      type: 'message_start',
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: inputTokens, ...cache, output_tokens: 1 },
      },
    });
    send('ping', { type: 'ping' });
    let index = 0;
    if (ok.thinking !== undefined) {
      send('content_block_start', { type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } });
      for (const piece of ok.thinking.text.match(/\S+\s*|\s+/g) ?? []) {
        send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: piece } });
      }
      send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: ok.thinking.signature } });
      send('content_block_stop', { type: 'content_block_stop', index });
      index++;
    }
    if (ok.redactedThinking !== undefined) {
      send('content_block_start', { type: 'content_block_start', index, content_block: { type: 'redacted_thinking', data: ok.redactedThinking } });
      send('content_block_stop', { type: 'content_block_stop', index });
      index++;
    }
    if (text !== '') {
      send('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      for (const piece of text.match(/\S+\s*|\s+/g) ?? []) {
        send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } });
        if (ok.cut === true) {
          // Later than the gateway's first read, so the failure is mid-stream, not a failed attempt.
          const t = setTimeout(() => {
            timers.delete(t);
            res.socket?.destroy();
          }, 100);
          timers.add(t);
          return;
        }
      }
      send('content_block_stop', { type: 'content_block_stop', index });
      index++;
    }
    if (ok.toolCall !== undefined) {
      send('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: toolId, name: ok.toolCall.name, input: {} } });
      const json = JSON.stringify(ok.toolCall.input);
      send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: '' } });
      for (let i = 0; i < json.length; i += 7) {
        send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: json.slice(i, i + 7) } });
      }
      send('content_block_stop', { type: 'content_block_stop', index });
    }
    // As the API does today: message_delta repeats the input side, cumulative.
    send('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { input_tokens: inputTokens, ...cache, output_tokens: outputTokens },
    });
    send('message_stop', { type: 'message_stop' });
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setBehaviour(b) {
      behaviour = b;
    },
    close() {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

function errorEnvelope(type: string, message: string): unknown {
  return { type: 'error', error: { type, message } };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
