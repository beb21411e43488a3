/**
 * A fake OpenAI-compatible upstream: a real node:http server on 127.0.0.1 speaking the Chat
 * Completions (JSON and SSE) and Embeddings wire formats with deterministic answers, plus
 * failure behaviours (status, hang, reset, delay) for fallback and timeout tests.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type AgentScript, openAIChatTurn } from './fake-agent.js';

export type FakeBehaviour =
  /** `reasoning`: sent as `reasoning_content` before the answer, as DeepSeek / vLLM do. */
  | { kind: 'ok'; text?: string; toolCall?: { name: string; arguments: string }; reasoning?: string }
  | { kind: 'status'; status: number; body?: unknown }
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'delay'; ms: number }
  /** Acts like a model in a tool loop and answers structured-output requests (see fake-agent.ts). */
  | { kind: 'agent'; script: AgentScript };

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  readonly body: unknown;
}

export interface FakeOpenAI {
  /** Base URL including `/v1`, as a provider's `base_url`. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  setBehaviour(b: FakeBehaviour): void;
  close(): Promise<void>;
}

export interface FakeOpenAIOptions {
  behaviour?: FakeBehaviour;
}

export const FAKE_DEFAULT_TEXT = 'Hello from the fake OpenAI upstream.';
const CREATED = 1_700_000_000;

type Body = Record<string, unknown>;

function asRecord(v: unknown): Body {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Body) : {};
}

/** About four characters a token, like the usual rule of thumb; deterministic. */
function tokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function promptTokens(body: Body): number {
  return tokens(JSON.stringify(body['messages'] ?? body['input'] ?? ''));
}

/** The prompt_tokens this fake reports for a request body. */
export function fakeOpenAIPromptTokens(body: unknown): number {
  return promptTokens(asRecord(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function answer(body: Body, b: FakeBehaviour): { text: string; toolCall?: { name: string; arguments: string } } {
  if (b.kind === 'agent') {
    const turn = openAIChatTurn(body, b.script);
    return turn.kind === 'tool' ? { text: '', toolCall: { name: turn.name, arguments: JSON.stringify(turn.input) } } : { text: turn.text };
  }
  const ok = b.kind === 'ok' ? b : { kind: 'ok' as const };
  const hasTools = Array.isArray(body['tools']) && body['tools'].length > 0;
  if (ok.toolCall !== undefined && hasTools) return { text: '', toolCall: ok.toolCall };
  return { text: ok.text ?? FAKE_DEFAULT_TEXT };
}

const TOOL_CALL_ID = 'call_fake_0';

function completion(body: Body, b: FakeBehaviour): unknown {
  const a = answer(body, b);
  const prompt = promptTokens(body);
  const completionTokens = a.toolCall !== undefined ? tokens(a.toolCall.arguments) : tokens(a.text);
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: CREATED,
    model: typeof body['model'] === 'string' ? body['model'] : 'fake-model',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: a.toolCall !== undefined ? null : a.text,
          refusal: null,
          ...(b.kind === 'ok' && b.reasoning !== undefined ? { reasoning_content: b.reasoning } : {}),
          ...(a.toolCall !== undefined
            ? { tool_calls: [{ id: TOOL_CALL_ID, type: 'function', function: { name: a.toolCall.name, arguments: a.toolCall.arguments } }] }
            : {}),
        },
        logprobs: null,
        finish_reason: a.toolCall !== undefined ? 'tool_calls' : 'stop',
      },
    ],
    usage: { prompt_tokens: prompt, completion_tokens: completionTokens, total_tokens: prompt + completionTokens },
  };
}

/** The SSE data payloads of a streamed answer, `[DONE]` included. */
function streamPayloads(body: Body, b: FakeBehaviour): string[] {
  const a = answer(body, b);
  const model = typeof body['model'] === 'string' ? body['model'] : 'fake-model';
  const includeUsage = asRecord(body['stream_options'])['include_usage'] === true;
  const chunk = (delta: unknown, finish: string | null): string =>
    JSON.stringify({
      id: 'chatcmpl-fake',
      object: 'chat.completion.chunk',
      created: CREATED,
      model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
    });
  const out = [chunk({ role: 'assistant', content: '' }, null)];
  if (b.kind === 'ok' && b.reasoning !== undefined) out.push(chunk({ reasoning_content: b.reasoning }, null));
  let completionTokens: number;
  if (a.toolCall !== undefined) {
    const args = a.toolCall.arguments;
    const half = Math.ceil(args.length / 2);
    out.push(chunk({ tool_calls: [{ index: 0, id: TOOL_CALL_ID, type: 'function', function: { name: a.toolCall.name, arguments: '' } }] }, null));
    for (const piece of [args.slice(0, half), args.slice(half)]) {
      if (piece !== '') out.push(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }, null));
    }
    out.push(chunk({}, 'tool_calls'));
    completionTokens = tokens(args);
  } else {
    for (const piece of a.text.match(/\S+\s*|\s+/g) ?? []) out.push(chunk({ content: piece }, null));
    out.push(chunk({}, 'stop'));
    completionTokens = tokens(a.text);
  }
  if (includeUsage) {
    const prompt = promptTokens(body);
    out.push(
      JSON.stringify({
        id: 'chatcmpl-fake',
        object: 'chat.completion.chunk',
        created: CREATED,
        model,
        choices: [],
        usage: { prompt_tokens: prompt, completion_tokens: completionTokens, total_tokens: prompt + completionTokens },
      }),
    );
  }
  out.push('[DONE]');
  return out;
}

function embeddings(body: Body): unknown {
  const input = body['input'];
  const inputs = Array.isArray(input) ? input.map((i) => String(i)) : [String(input ?? '')];
  const prompt = inputs.reduce((n, s) => n + tokens(s), 0);
  // The official SDK asks for base64 (little-endian float32) by default and decodes it.
  const base64 = body['encoding_format'] === 'base64';
  return {
    object: 'list',
    data: inputs.map((text, index) => {
      // Deterministic: derived from the characters of the input.
      const vector = Array.from({ length: 8 }, (_, k) => (((text.charCodeAt(k % Math.max(1, text.length)) || 0) % 97) + 1) / 128);
      return {
        object: 'embedding',
        index,
        embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector,
      };
    }),
    model: typeof body['model'] === 'string' ? body['model'] : 'fake-embedding',
    usage: { prompt_tokens: prompt, total_tokens: prompt },
  };
}

export async function startFakeOpenAI(opts: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  let behaviour: FakeBehaviour = opts.behaviour ?? { kind: 'ok' };
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    let parsed: unknown;
    if (raw !== '') {
      try {
        parsed = JSON.parse(raw) as unknown;
      } catch {
        parsed = raw;
      }
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push({ method: req.method ?? '', path, headers: req.headers, body: parsed });
    const b = behaviour;
    const body = asRecord(parsed);

    if (b.kind === 'hang') return; // the socket is destroyed by close()
    if (b.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (b.kind === 'status') {
      sendJson(res, b.status, b.body ?? { error: { message: `Fake upstream failure (HTTP ${b.status})`, type: 'server_error', param: null, code: null } });
      return;
    }
    if (b.kind === 'delay') await new Promise((r) => setTimeout(r, b.ms));

    if (req.method === 'POST' && path === '/v1/chat/completions') {
      if (body['stream'] === true) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
        for (const data of streamPayloads(body, b)) res.write(`data: ${data}\n\n`);
        res.end();
        return;
      }
      sendJson(res, 200, completion(body, b));
      return;
    }
    if (req.method === 'POST' && path === '/v1/embeddings') {
      sendJson(res, 200, embeddings(body));
      return;
    }
    if (req.method === 'GET' && path === '/v1/models') {
      sendJson(res, 200, { object: 'list', data: [{ id: 'fake-model', object: 'model', created: CREATED, owned_by: 'fake' }] });
      return;
    }
    sendJson(res, 404, { error: { message: `Unknown path ${path}`, type: 'invalid_request_error', param: null, code: 'not_found' } });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    setBehaviour(b) {
      behaviour = b;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
