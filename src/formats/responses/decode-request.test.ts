import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../errors.js';
import { composeRequest } from './compose-request.js';
import { decodeResponsesRequest } from './decode-request.js';
import { sealReasoning } from './reasoning-token.js';

/** What Codex CLI sends (codex-rs ResponsesApiRequest + ResponseItem serialisation). */
const CODEX_BODY = {
  model: 'claude-sonnet',
  instructions: 'You are Codex.',
  input: [
    { type: 'message', role: 'developer', content: [{ type: 'input_text', text: '<permissions>sandboxed</permissions>' }] },
    { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Fix the bug' }] },
    { type: 'reasoning', summary: [{ type: 'summary_text', text: 'Look at main.rs' }], encrypted_content: sealReasoning({ signature: 'sig-1' }) },
    { type: 'function_call', name: 'shell', arguments: '{"command":["ls"]}', call_id: 'call_1' },
    { type: 'function_call_output', call_id: 'call_1', output: 'main.rs' },
    { type: 'custom_tool_call', status: 'completed', call_id: 'call_2', name: 'apply_patch', input: '*** Begin Patch\n*** End Patch' },
    { type: 'custom_tool_call_output', call_id: 'call_2', output: 'Done!' },
    { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Patched.' }] },
    { type: 'ghost_snapshot', ghost_commit: { id: 'abc' } },
    { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Thanks' }] },
  ],
  tools: [
    {
      type: 'function',
      name: 'shell',
      description: 'Runs a command',
      strict: false,
      parameters: { type: 'object', properties: { command: { type: 'array' } } },
    },
    { type: 'custom', name: 'apply_patch', description: 'Edit files', format: { type: 'grammar', syntax: 'lark', definition: 'start: begin_patch' } },
    { type: 'local_shell' },
    { type: 'web_search' },
  ],
  tool_choice: 'auto',
  parallel_tool_calls: false,
  reasoning: { effort: 'high', summary: 'auto' },
  store: false,
  stream: true,
  include: ['reasoning.encrypted_content'],
  prompt_cache_key: 'session-1',
  text: { verbosity: 'low', format: { type: 'json_schema', strict: true, schema: { type: 'object' }, name: 'codex_output_schema' } },
};

function decodeError(body: unknown): string {
  try {
    composeRequest(decodeResponsesRequest(body), undefined);
  } catch (err) {
    if (isGatewayError(err) && err.code === 'request_invalid') return err.message;
    throw err;
  }
  throw new Error('expected a request_invalid error');
}

describe('decodeResponsesRequest + composeRequest', () => {
  it('decodes what Codex sends: items in order, one assistant turn, custom tools, reasoning seal, warnings', () => {
    const decoded = decodeResponsesRequest(CODEX_BODY);
    const { request, inputItems } = composeRequest(decoded, undefined);
    expect(request.messages).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'You are Codex.' }] },
      { role: 'system', content: [{ type: 'text', text: '<permissions>sandboxed</permissions>' }] },
      { role: 'user', content: [{ type: 'text', text: 'Fix the bug' }] },
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'Look at main.rs', signature: 'sig-1' },
          { type: 'tool-call', id: 'call_1', name: 'shell', arguments: '{"command":["ls"]}' },
        ],
      },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'shell', content: 'main.rs' }] },
      {
        role: 'assistant',
        content: [{ type: 'tool-call', id: 'call_2', name: 'apply_patch', arguments: JSON.stringify({ input: '*** Begin Patch\n*** End Patch' }) }],
      },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_2', toolName: 'apply_patch', content: 'Done!' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Patched.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
    ]);
    expect(request.tools?.map((t) => t.name)).toEqual(['shell', 'apply_patch']);
    expect(request.tools?.[1]?.parameters).toMatchObject({ required: ['input'], properties: { input: { type: 'string' } } });
    expect(JSON.stringify(request.tools?.[1]?.parameters)).toContain('start: begin_patch');
    expect(decoded.customTools.has('apply_patch')).toBe(true);
    expect(request.reasoning).toEqual({ enabled: true, effort: 'high' });
    expect(request.responseFormat).toMatchObject({ type: 'json_schema', name: 'codex_output_schema', strict: true });
    expect(request.parallelToolCalls).toBe(false);
    expect(request.stream).toBe(true);
    expect(request.temperature).toBeUndefined();
    expect(request.maxTokens).toBe(4096);
    expect(decoded.store).toBe(false);
    expect(decoded.includeEncryptedReasoning).toBe(true);
    const warnings = decoded.warnings.list.join('\n');
    for (const w of ['"local_shell"', '"web_search"', '"ghost_snapshot"', 'prompt_cache_key', 'verbosity']) expect(warnings).toContain(w);
    expect(inputItems).toEqual(CODEX_BODY.input);
  });

  it('prepends the stored conversation of previous_response_id, then the new input (instructions not carried over)', () => {
    const decoded = decodeResponsesRequest({ input: 'And now?', previous_response_id: 'resp_1', instructions: 'New rules.' });
    const previous = {
      inputItems: [{ type: 'message', role: 'user', content: 'First question' }],
      outputItems: [
        { type: 'message', role: 'assistant', id: 'msg_1', status: 'completed', content: [{ type: 'output_text', text: 'First answer', annotations: [] }] },
      ],
    };
    const { request, inputItems } = composeRequest(decoded, previous);
    expect(request.messages).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'New rules.' }] },
      { role: 'user', content: [{ type: 'text', text: 'First question' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'First answer' }] },
      { role: 'user', content: [{ type: 'text', text: 'And now?' }] },
    ]);
    expect(inputItems).toHaveLength(3);
    expect(inputItems[2]).toEqual({ type: 'message', role: 'user', content: 'And now?' });
  });

  it('maps reasoning effort, tool_choice and text formats', () => {
    expect(decodeResponsesRequest({ input: 'x', reasoning: { effort: 'none' } }).params.reasoning).toEqual({ enabled: false });
    expect(decodeResponsesRequest({ input: 'x', reasoning: { effort: 'xhigh' } }).params.reasoning).toEqual({ enabled: true, effort: 'max' });
    expect(decodeResponsesRequest({ input: 'x', reasoning: null }).params.reasoning).toBeUndefined();
    const tools = [{ type: 'function', name: 'f', parameters: { type: 'object' } }];
    expect(decodeResponsesRequest({ input: 'x', tools, tool_choice: { type: 'function', name: 'f' } }).params.toolChoice).toEqual({ type: 'tool', name: 'f' });
    expect(decodeResponsesRequest({ input: 'x', tools, tool_choice: 'required' }).params.toolChoice).toEqual({ type: 'required' });
    expect(decodeResponsesRequest({ input: 'x', text: { format: { type: 'json_object' } } }).params.responseFormat).toEqual({ type: 'json_object' });
    const hosted = decodeResponsesRequest({ input: 'x', tool_choice: { type: 'web_search_preview' } });
    expect(hosted.params.toolChoice).toBeUndefined();
    expect(hosted.warnings.list.join()).toContain('web_search_preview');
    expect(decodeResponsesRequest({ input: 'x', max_output_tokens: 100, temperature: 0.5, top_p: 0.9 }).params).toMatchObject({
      maxTokens: 100,
      temperature: 0.5,
      topP: 0.9,
    });
  });

  it('keeps images, drops unsupported parts with a warning', () => {
    const decoded = decodeResponsesRequest({
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'What is this?' },
            { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'auto' },
            { type: 'input_file', file_id: 'file_1' },
          ],
        },
      ],
    });
    const { request } = composeRequest(decoded, undefined);
    expect(request.messages[0]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAAA' } },
      ],
    });
    expect(decoded.warnings.list.join()).toContain('"input_file"');
  });

  it('a reasoning item Switchboard did not seal goes back without a signature; a redacted one keeps its data', () => {
    const decoded = decodeResponsesRequest({
      input: [
        { role: 'user', content: 'hi' },
        { type: 'reasoning', summary: [{ type: 'summary_text', text: 'thought' }], encrypted_content: 'gAAAA-openai-blob' },
        { type: 'reasoning', summary: [], encrypted_content: sealReasoning({ redactedData: 'opaque' }) },
        { role: 'assistant', content: [{ type: 'output_text', text: 'hello' }] },
      ],
    });
    expect(composeRequest(decoded, undefined).request.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'thought' },
        { type: 'reasoning', text: '', redactedData: 'opaque' },
        { type: 'text', text: 'hello' },
      ],
    });
  });

  it('invalid input is a request_invalid naming the field', () => {
    expect(decodeError({ model: 'x' })).toContain('input');
    expect(decodeError({ input: 42 })).toContain('input');
    expect(decodeError({ input: [{ role: 'boss', content: 'x' }] })).toContain('input[0].role');
    expect(decodeError({ input: [{ content: 'x' }] })).toContain('input[0].type');
    expect(decodeError({ input: [{ type: 'function_call', name: 'f', arguments: '{}' }] })).toContain('input[0].call_id');
    expect(decodeError({ input: 'x', tools: [{ type: 'function' }] })).toContain('tools[0].name');
    expect(decodeError({ input: 'x', tool_choice: { type: 'function', name: 'nope' } })).toContain('tool_choice.name');
    expect(decodeError({ input: 'x', max_output_tokens: 0 })).toContain('max_output_tokens');
    expect(decodeError({ input: 'x', metadata: { a: 1 } })).toContain('metadata.a');
    expect(decodeError({ input: 'x', text: { format: { type: 'xml' } } })).toContain('text.format.type');
    expect(decodeError({ input: 'x', conversation: 'conv_1' })).toContain('conversation');
    expect(decodeError({ input: [] })).toContain('input');
  });
});
