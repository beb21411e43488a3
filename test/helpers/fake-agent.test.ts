/** The fakes' agent behaviour decides like a model in a tool loop would. */
import { describe, expect, it } from 'vitest';
import { AGENT_DEFAULT_TEXT, AGENT_RESULT_PREFIX, anthropicTurn, openAIChatTurn } from './fake-agent.js';
import { sampleFromSchema } from './json-schema-sample.js';

const PERSON = { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' }, tags: { type: 'array', items: { enum: ['a', 'b'] } } } };
const script = { toolCall: { name: 'get_weather', input: { city: 'Paris' } } };

describe('sampleFromSchema', () => {
  it('builds a value that fits the schema, following $ref and anyOf', () => {
    expect(sampleFromSchema(PERSON)).toEqual({ name: 'sample', age: 42, tags: ['a'] });
    const withRef = { $defs: { P: PERSON }, type: 'object', properties: { who: { $ref: '#/$defs/P' }, n: { anyOf: [{ type: 'null' }, { type: 'boolean' }] } } };
    expect(sampleFromSchema(withRef)).toEqual({ who: { name: 'sample', age: 42, tags: ['a'] }, n: null });
  });
});

describe('OpenAI chat turns', () => {
  const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }];
  it('calls the scripted tool, then answers with its result', () => {
    expect(openAIChatTurn({ messages: [{ role: 'user', content: 'hi' }], tools }, script)).toEqual({ kind: 'tool', ...script.toolCall });
    const after = {
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'tool', content: [{ type: 'text', text: 'Sunny' }] },
      ],
      tools,
    };
    expect(openAIChatTurn(after, script)).toEqual({ kind: 'text', text: `${AGENT_RESULT_PREFIX}Sunny` });
  });
  it('answers structured output with JSON and forced tools with schema input', () => {
    const format = { type: 'json_schema', json_schema: { name: 'p', schema: PERSON } };
    expect(JSON.parse((openAIChatTurn({ messages: [], response_format: format }, {}) as { text: string }).text)).toMatchObject({ name: 'sample' });
    const forced = {
      messages: [],
      tools: [{ type: 'function', function: { name: 'extract', parameters: PERSON } }],
      tool_choice: { type: 'function', function: { name: 'extract' } },
    };
    expect(openAIChatTurn(forced, {})).toMatchObject({ kind: 'tool', name: 'extract', input: { name: 'sample', age: 42 } });
    expect(openAIChatTurn({ messages: [] }, {})).toEqual({ kind: 'text', text: AGENT_DEFAULT_TEXT });
  });
});

describe('Anthropic turns', () => {
  const tools = [{ name: 'get_weather', input_schema: { type: 'object' } }];
  it('calls the scripted tool, then answers with the tool_result', () => {
    expect(anthropicTurn({ messages: [{ role: 'user', content: 'hi' }], tools }, script)).toEqual({ kind: 'tool', ...script.toolCall });
    const after = { messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 'Sunny' }] }], tools };
    expect(anthropicTurn(after, script)).toEqual({ kind: 'text', text: `${AGENT_RESULT_PREFIX}Sunny` });
  });
  it('honours output_config.format, a forced tool, and "any" once the scripted tool ran', () => {
    const native = { messages: [], output_config: { format: { type: 'json_schema', schema: PERSON } } };
    expect(JSON.parse((anthropicTurn(native, {}) as { text: string }).text)).toEqual({ name: 'sample', age: 42, tags: ['a'] });
    const withJsonTool = [...tools, { name: 'json_response', input_schema: PERSON }];
    expect(anthropicTurn({ messages: [], tools: withJsonTool, tool_choice: { type: 'tool', name: 'json_response' } }, {})).toMatchObject({
      name: 'json_response',
    });
    expect(anthropicTurn({ messages: [{ role: 'user', content: 'hi' }], tools: withJsonTool, tool_choice: { type: 'any' } }, script)).toMatchObject({
      name: 'get_weather',
    });
    expect(anthropicTurn({ messages: [{ role: 'user', content: 'hi' }], tools: withJsonTool, tool_choice: { type: 'any' } }, {})).toMatchObject({
      name: 'json_response',
    });
  });
});
