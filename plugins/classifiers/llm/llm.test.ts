import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Classifier, PluginContext } from '../../../src/plugins/types.js';
import { createHttpClient } from '../../../src/upstream/http-client.js';
import llmPlugin, { type LlmOptions } from './index.js';
import { parseAnswer } from './prompt.js';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

let server: Server;
let baseUrl: string;
let handler: Handler = () => undefined;
const seen: { path: string; auth: string | undefined; body: Record<string, unknown> }[] = [];
const http = createHttpClient();
const warnings: object[] = [];
let secret = 'sk-one';

const ctx: PluginContext = {
  logger: { debug() {}, info() {}, error() {}, warn: (obj) => void warnings.push(obj) },
  clock: () => Date.now(),
  random: () => 0.5,
  http,
  secrets: { resolve: (ref) => (ref === 'vault:classifier' ? secret : ref) },
  keyring: {
    verify: () => {
      throw new Error('unused');
    },
  },
};

const completion = (content: string) =>
  JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] });

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', auth: req.headers.authorization, body: JSON.parse(body) as Record<string, unknown> });
      handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await http.close();
});

function options(extra: Record<string, unknown> = {}): LlmOptions {
  const validate = new Ajv({ useDefaults: true }).compile(llmPlugin.optionsSchema);
  const opts = { base_url: baseUrl, api_key: 'vault:classifier', model: 'tiny', ...extra };
  if (!validate(opts)) throw new Error(JSON.stringify(validate.errors));
  return opts;
}

async function classifier(extra: Record<string, unknown> = {}): Promise<Classifier> {
  return llmPlugin.create(options(extra), ctx);
}

const input = (prompt: string) => ({ prompt, hasImages: false, hasFiles: false });
const reply =
  (content: string): Handler =>
  (_req, _body, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(completion(content));
  };

describe('llm classifier', () => {
  it('uses a good answer and sends a proper chat-completions request', async () => {
    handler = reply('{"category": "video", "subcategory": "animation", "confidence": 0.9}');
    seen.length = 0;
    const c = await classifier();
    expect(await c.classify(input('make the logo spin'))).toEqual({ category: 'video', subcategory: 'animation', confidence: 0.9 });
    const [req] = seen;
    expect(req?.path).toBe('/v1/chat/completions');
    expect(req?.auth).toBe('Bearer sk-one');
    expect(req?.body.model).toBe('tiny');
    const messages = req?.body.messages as { role: string; content: string }[];
    expect(messages[0]?.role).toBe('system');
    expect(messages[0]?.content).toContain('document');
    expect(messages[1]).toEqual({ role: 'user', content: 'make the logo spin' });
  });

  it('resolves the credential on every call', async () => {
    handler = reply('{"category": "text", "subcategory": "qa", "confidence": 0.8}');
    seen.length = 0;
    const c = await classifier();
    await c.classify(input('why?'));
    secret = 'sk-two';
    await c.classify(input('why?'));
    secret = 'sk-one';
    expect(seen.map((s) => s.auth)).toEqual(['Bearer sk-one', 'Bearer sk-two']);
  });

  it('reads JSON wrapped in prose or fences; an unknown subcategory becomes general', async () => {
    handler = reply('Sure!\n```json\n{"category": "Code", "subcategory": "wizardry"}\n```');
    const out = await (await classifier()).classify(input('anything'));
    expect(out).toEqual({ category: 'code', subcategory: 'general', confidence: 0.7 });
  });

  it('falls back to the rules on garbage, an unknown category or an error status', async () => {
    const c = await classifier();
    for (const h of [
      reply('I think it is a picture, probably.'),
      reply('{"category": "audio", "subcategory": "music"}'),
      ((_q, _b, res) => void res.writeHead(200).end('not json at all')) as Handler,
      ((_q, _b, res) => void res.writeHead(500).end('{"error":"boom"}')) as Handler,
    ]) {
      handler = h;
      warnings.length = 0;
      expect(await c.classify(input('draw a cat'))).toMatchObject({ category: 'image', subcategory: 'generation' });
      expect(warnings).toHaveLength(1);
      expect(JSON.stringify(warnings)).not.toContain('draw a cat'); // no prompt text in logs
      expect(JSON.stringify(warnings)).not.toContain('sk-one');
    }
  });

  it('falls back within the timeout when the model hangs', async () => {
    handler = () => undefined; // never answers
    const c = await classifier({ timeout_ms: 200 });
    const started = Date.now();
    expect(await c.classify(input('create a PowerPoint about dogs'))).toMatchObject({ category: 'document' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('falls back when the server is unreachable', async () => {
    const c = await classifier({ base_url: 'http://127.0.0.1:1/v1', timeout_ms: 500 });
    expect(await c.classify(input('write a poem'))).toMatchObject({ category: 'text', subcategory: 'creative' });
  });

  it('shares the rules options and their validation', async () => {
    await expect(async () => classifier({ rules: [{ category: 'code', subcategory: 'x', patterns: ['[oops'] }] })).rejects.toThrow(
      /rules\[0\]\.patterns\[0\]: invalid regular expression/,
    );
    const validate = new Ajv({ useDefaults: true }).compile(llmPlugin.optionsSchema);
    const filled: Record<string, unknown> = { base_url: 'http://x', model: 'm' };
    expect(validate(filled)).toBe(true);
    expect(filled).toMatchObject({ timeout_ms: 1500, use_default_rules: true, min_score: 1, rules: [] });
    expect(validate({ base_url: 'http://x', model: 'm', extra: true })).toBe(false);
  });

  it('parseAnswer rejects bodies without a usable classification', () => {
    expect(parseAnswer('{}')).toBeNull();
    expect(parseAnswer(completion('{"category": 5}'))).toBeNull();
    expect(parseAnswer(completion('{"category": "image", "subcategory": "design", "confidence": 7}'))).toEqual({
      category: 'image',
      subcategory: 'design',
      confidence: 1,
    });
  });
});
