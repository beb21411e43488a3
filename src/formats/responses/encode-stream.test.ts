import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../errors.js';
import type { StreamEvent } from '../canonical.js';
import { decodeResponsesRequest } from './decode-request.js';
import type { ResponseShell } from './encode-response.js';
import { ResponsesStreamEncoder } from './encode-stream.js';
import { openReasoning } from './reasoning-token.js';

const ID = `resp_${'ab'.repeat(16)}`;

function shell(body: Record<string, unknown> = {}): ResponseShell {
  const decoded = decodeResponsesRequest({ input: 'hi', ...body });
  return {
    id: ID,
    model: 'claude-sonnet',
    createdAt: 1_700_000_000,
    echo: decoded.echo,
    customTools: decoded.customTools,
    includeEncryptedReasoning: decoded.includeEncryptedReasoning,
  };
}

interface Sse {
  readonly event: string;
  readonly data: Record<string, unknown> & { type: string; sequence_number: number };
}

function run(events: readonly StreamEvent[], s: ResponseShell = shell()): { sse: Sse[]; encoder: ResponsesStreamEncoder } {
  const encoder = new ResponsesStreamEncoder(s, () => 1_700_000_005_000);
  let text = '';
  for (const ev of events) text += ev.type === 'error' ? encoder.error(ev.error) : encoder.encode(ev);
  text += encoder.end();
  const sse = text
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      return { event: eventLine!.replace('event: ', ''), data: JSON.parse(dataLine!.replace('data: ', '')) as Sse['data'] };
    });
  return { sse, encoder };
}

const USAGE = { inputTokens: 10, outputTokens: 20, reasoningTokens: 5, cacheReadTokens: 4 };

describe('ResponsesStreamEncoder', () => {
  it('reasoning, text and a tool call: the full typed sequence, numbered, with the final response', () => {
    const { sse, encoder } = run([
      { type: 'start' },
      { type: 'reasoning-delta', text: 'Think' },
      { type: 'reasoning-delta', text: 'ing' },
      { type: 'reasoning-end', signature: 'sig-9' },
      { type: 'text-delta', text: 'Hel' },
      { type: 'text-delta', text: 'lo' },
      { type: 'tool-call-start', index: 0, id: 'call_1', name: 'get_weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '"Paris"}' },
      { type: 'tool-call-end', index: 0 },
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_use' }, usage: USAGE },
    ]);
    expect(sse.map((e) => e.event)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(sse.every((e) => e.event === e.data.type)).toBe(true);
    expect(sse.map((e) => e.data.sequence_number)).toEqual(sse.map((_, i) => i));
    expect(sse[0]!.data['response']).toMatchObject({ id: ID, status: 'in_progress', output: [], model: 'claude-sonnet' });

    const completed = sse.at(-1)!.data['response'] as Record<string, unknown>;
    expect(completed).toMatchObject({
      status: 'completed',
      completed_at: 1_700_000_005,
      usage: {
        input_tokens: 10,
        input_tokens_details: { cached_tokens: 4 },
        output_tokens: 20,
        output_tokens_details: { reasoning_tokens: 5 },
        total_tokens: 30,
      },
    });
    const output = completed['output'] as Record<string, unknown>[];
    expect(output.map((o) => o['type'])).toEqual(['reasoning', 'message', 'function_call']);
    expect(output[0]).toEqual({ id: expect.stringMatching(/^rs_/), type: 'reasoning', summary: [{ type: 'summary_text', text: 'Thinking' }] });
    expect(output[1]).toMatchObject({ type: 'message', status: 'completed', content: [{ type: 'output_text', text: 'Hello', annotations: [] }] });
    expect(output[2]).toMatchObject({ type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' });
    // Items carry output_index and item_id consistently.
    const textDelta = sse.find((e) => e.event === 'response.output_text.delta')!.data;
    expect(textDelta).toMatchObject({ output_index: 1, content_index: 0, item_id: output[1]!['id'] });
    // Stored output keeps the sealed signature even though the client did not ask for it.
    const stored = encoder.storedOutput()[0] as { encrypted_content?: string };
    expect(openReasoning(stored.encrypted_content!)).toEqual({ signature: 'sig-9' });
    expect(encoder.finalResponse()?.status).toBe('completed');
  });

  it('an empty, unsigned reasoning block produces no item; a redacted one does', () => {
    const { sse } = run([
      { type: 'reasoning-end' },
      { type: 'reasoning-end', redactedData: 'opaque' },
      { type: 'finish', finishReason: { unified: 'stop', raw: null }, usage: USAGE },
    ]);
    const items = sse.filter((e) => e.event === 'response.output_item.done').map((e) => e.data['item']);
    expect(items).toEqual([{ id: expect.stringMatching(/^rs_/), type: 'reasoning', summary: [] }]);
  });

  it('sends encrypted_content when include asks for it', () => {
    const { sse } = run(
      [
        { type: 'reasoning-delta', text: 'hmm' },
        { type: 'reasoning-end', signature: 'sig' },
        { type: 'finish', finishReason: { unified: 'stop', raw: 'end_turn' }, usage: USAGE },
      ],
      shell({ include: ['reasoning.encrypted_content'] }),
    );
    const done = sse.find((e) => e.event === 'response.output_item.done')!.data['item'] as { encrypted_content?: string };
    expect(openReasoning(done.encrypted_content!)).toEqual({ signature: 'sig' });
  });

  it('a custom tool call comes out as custom_tool_call with its raw input', () => {
    const { sse } = run(
      [
        { type: 'tool-call-start', index: 0, id: 'call_p', name: 'apply_patch' },
        { type: 'tool-call-delta', index: 0, argumentsDelta: '{"input":"*** Begin' },
        { type: 'tool-call-delta', index: 0, argumentsDelta: ' Patch"}' },
        { type: 'tool-call-end', index: 0 },
        { type: 'finish', finishReason: { unified: 'tool-calls', raw: null }, usage: USAGE },
      ],
      shell({ tools: [{ type: 'custom', name: 'apply_patch' }] }),
    );
    expect(sse.map((e) => e.event)).toContain('response.custom_tool_call_input.done');
    expect(sse.map((e) => e.event)).not.toContain('response.function_call_arguments.delta');
    const done = sse.find((e) => e.event === 'response.output_item.done')!.data['item'];
    expect(done).toMatchObject({ type: 'custom_tool_call', call_id: 'call_p', name: 'apply_patch', input: '*** Begin Patch', status: 'completed' });
  });

  it('a length-limited answer ends with response.incomplete and an incomplete message', () => {
    const { sse } = run([
      { type: 'text-delta', text: 'Once upon' },
      { type: 'finish', finishReason: { unified: 'length', raw: 'max_tokens' }, usage: USAGE },
    ]);
    const last = sse.at(-1)!;
    expect(last.event).toBe('response.incomplete');
    expect(last.data['response']).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } });
    expect(sse.find((e) => e.event === 'response.output_item.done')!.data['item']).toMatchObject({ status: 'incomplete' });
  });

  it('a mid-stream failure closes open items, then sends response.failed and error; nothing after', () => {
    const encoder = new ResponsesStreamEncoder(shell(), () => 0);
    let text = encoder.encode({ type: 'text-delta', text: 'Partial' });
    text += encoder.error(new GatewayError('upstream_rate_limited', 'Provider rate limited'));
    expect(encoder.encode({ type: 'text-delta', text: 'late' })).toBe('');
    const types = [...text.matchAll(/^event: (.+)$/gm)].map((m) => m[1]);
    expect(types.slice(-3)).toEqual(['response.output_item.done', 'response.failed', 'error']);
    expect(text).toContain('"status":"failed"');
    expect(text).toContain('"code":"rate_limit_exceeded"');
    expect(encoder.finalResponse()?.status).toBe('failed');
  });
});
