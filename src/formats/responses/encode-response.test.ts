import { describe, expect, it } from 'vitest';
import { decodeResponsesRequest } from './decode-request.js';
import { encodeResponsesResult } from './encode-response.js';
import { openReasoning } from './reasoning-token.js';

function shellFor(body: Record<string, unknown>) {
  const decoded = decodeResponsesRequest({ input: 'hi', ...body });
  return {
    id: `resp_${'cd'.repeat(16)}`,
    model: 'gpt-4o',
    createdAt: 100,
    echo: decoded.echo,
    customTools: decoded.customTools,
    includeEncryptedReasoning: decoded.includeEncryptedReasoning,
  };
}

describe('encodeResponsesResult', () => {
  it('builds every field the SDK requires, echoing the request', () => {
    const shell = shellFor({
      instructions: 'Be brief.',
      temperature: 0.3,
      max_output_tokens: 50,
      metadata: { a: 'b' },
      tools: [{ type: 'function', name: 'f' }],
    });
    const { response, output } = encodeResponsesResult(
      {
        content: [
          { type: 'reasoning', text: 'why', signature: 's' },
          { type: 'text', text: 'Hello ' },
          { type: 'text', text: 'there' },
          { type: 'tool-call', id: 'call_1', name: 'f', arguments: '{}' },
        ],
        finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
        usage: { inputTokens: 7, outputTokens: 3 },
      },
      shell,
      105,
    );
    expect(response).toMatchObject({
      id: shell.id,
      object: 'response',
      created_at: 100,
      completed_at: 105,
      status: 'completed',
      model: 'gpt-4o',
      error: null,
      incomplete_details: null,
      instructions: 'Be brief.',
      temperature: 0.3,
      top_p: null,
      max_output_tokens: 50,
      metadata: { a: 'b' },
      parallel_tool_calls: true,
      previous_response_id: null,
      tool_choice: 'auto',
      tools: [{ type: 'function', name: 'f', description: null, strict: null }],
      text: { format: { type: 'text' } },
      reasoning: { effort: null, summary: null },
      usage: {
        input_tokens: 7,
        output_tokens: 3,
        total_tokens: 10,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens_details: { reasoning_tokens: 0 },
      },
    });
    expect(response.output.map((o) => o.type)).toEqual(['reasoning', 'message', 'function_call']);
    expect(response.output[1]).toMatchObject({ content: [{ type: 'output_text', text: 'Hello there', annotations: [] }] });
    expect('encrypted_content' in response.output[0]!).toBe(false);
    expect(openReasoning((output[0] as { encrypted_content: string }).encrypted_content)).toEqual({ signature: 's' });
    expect(new Set(response.output.map((o) => o.id)).size).toBe(3);
  });

  it('a content-filtered answer is incomplete', () => {
    const { response } = encodeResponsesResult(
      {
        content: [{ type: 'text', text: 'x' }],
        finishReason: { unified: 'content-filter', raw: 'content_filter' },
        usage: { inputTokens: 1, outputTokens: 1 },
      },
      shellFor({}),
      1,
    );
    expect(response).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'content_filter' } });
  });
});
