/**
 * Every field the official `openai` SDK declares required (no `?`) on the response object, its
 * output items, usage and each stream event is present in what Switchboard sends. The required
 * keys are read from the SDK's own declarations, so an SDK upgrade that adds one fails here.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../errors.js';
import type { StreamEvent } from '../canonical.js';
import { decodeResponsesRequest } from './decode-request.js';
import { encodeResponsesResult, type ResponseShell } from './encode-response.js';
import { ResponsesStreamEncoder } from './encode-stream.js';

let declarations = '';

beforeAll(async () => {
  const entry = createRequire(import.meta.url).resolve('openai');
  declarations = await readFile(join(dirname(entry), 'resources/responses/responses.d.ts'), 'utf8');
});

/** The required top-level keys of `export interface <name> {…}` in the SDK's declarations. */
function requiredKeys(name: string): string[] {
  const start = declarations.indexOf(`export interface ${name} {`);
  if (start < 0) throw new Error(`interface ${name} not found in the SDK`);
  const body = declarations.slice(start, declarations.indexOf('\n}', start));
  return [...body.matchAll(/^ {4}([a-z_]+): /gm)].map((m) => m[1]!);
}

function expectRequired(name: string, value: unknown, except: readonly string[] = []): void {
  const keys = requiredKeys(name).filter((k) => !except.includes(k));
  expect(keys.length, name).toBeGreaterThan(0);
  for (const key of keys) expect(value, `${name}.${key}`).toHaveProperty(key);
}

const decoded = decodeResponsesRequest({ input: 'hi', include: ['reasoning.encrypted_content'], tools: [{ type: 'function', name: 'f' }] });
const shell: ResponseShell = {
  id: `resp_${'ef'.repeat(16)}`,
  model: 'gpt-4o',
  createdAt: 1,
  echo: decoded.echo,
  customTools: decoded.customTools,
  includeEncryptedReasoning: true,
};
const usage = { inputTokens: 3, outputTokens: 4 };

describe('what Switchboard sends has every field the openai SDK requires', () => {
  it('the response object, its output items and usage', () => {
    const { response } = encodeResponsesResult(
      {
        content: [
          { type: 'reasoning', text: 'r', signature: 's' },
          { type: 'text', text: 'hello' },
          { type: 'tool-call', id: 'call_1', name: 'f', arguments: '{}' },
        ],
        finishReason: { unified: 'tool-calls', raw: null },
        usage,
      },
      shell,
      2,
    );
    // output_text is computed by the SDK itself.
    expectRequired('Response', response, ['output_text']);
    expectRequired('ResponseUsage', response.usage);
    expectRequired('ResponseReasoningItem', response.output[0]);
    expectRequired('ResponseOutputMessage', response.output[1]);
    expectRequired('ResponseOutputText', (response.output[1] as unknown as { content: unknown[] }).content[0]);
    expectRequired('ResponseFunctionToolCall', response.output[2]);
    expectRequired('FunctionTool', response.tools[0]);
  });

  it('every stream event', () => {
    const events: StreamEvent[] = [
      { type: 'reasoning-delta', text: 'r' },
      { type: 'reasoning-end', signature: 's' },
      { type: 'text-delta', text: 'hello' },
      { type: 'tool-call-start', index: 0, id: 'call_1', name: 'f' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
      { type: 'tool-call-end', index: 0 },
      { type: 'finish', finishReason: { unified: 'stop', raw: null }, usage },
    ];
    const encoder = new ResponsesStreamEncoder(shell, () => 0);
    const text = events.map((e) => encoder.encode(e)).join('');
    const sent = [...text.matchAll(/^data: (.+)$/gm)].map((m) => JSON.parse(m[1]!) as { type: string });
    const interfaces: Record<string, string> = {
      'response.created': 'ResponseCreatedEvent',
      'response.in_progress': 'ResponseInProgressEvent',
      'response.output_item.added': 'ResponseOutputItemAddedEvent',
      'response.output_item.done': 'ResponseOutputItemDoneEvent',
      'response.content_part.added': 'ResponseContentPartAddedEvent',
      'response.content_part.done': 'ResponseContentPartDoneEvent',
      'response.output_text.delta': 'ResponseTextDeltaEvent',
      'response.output_text.done': 'ResponseTextDoneEvent',
      'response.reasoning_summary_part.added': 'ResponseReasoningSummaryPartAddedEvent',
      'response.reasoning_summary_part.done': 'ResponseReasoningSummaryPartDoneEvent',
      'response.reasoning_summary_text.delta': 'ResponseReasoningSummaryTextDeltaEvent',
      'response.reasoning_summary_text.done': 'ResponseReasoningSummaryTextDoneEvent',
      'response.function_call_arguments.delta': 'ResponseFunctionCallArgumentsDeltaEvent',
      'response.function_call_arguments.done': 'ResponseFunctionCallArgumentsDoneEvent',
      'response.completed': 'ResponseCompletedEvent',
    };
    expect(new Set(sent.map((e) => e.type))).toEqual(new Set(Object.keys(interfaces)));
    for (const event of sent) expectRequired(interfaces[event.type]!, event);

    const failing = new ResponsesStreamEncoder(shell, () => 0);
    const failure = failing.encode({ type: 'text-delta', text: 'x' }) + failing.error(new GatewayError('upstream_unavailable', 'down'));
    const failed = [...failure.matchAll(/^data: (.+)$/gm)].map((m) => JSON.parse(m[1]!) as { type: string });
    expectRequired(
      'ResponseFailedEvent',
      failed.find((e) => e.type === 'response.failed'),
    );
    expectRequired(
      'ResponseErrorEvent',
      failed.find((e) => e.type === 'error'),
    );
  });
});
