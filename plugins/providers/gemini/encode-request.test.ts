import { describe, expect, it } from 'vitest';
import type { ChatRequest, Message } from '../../../src/formats/canonical.js';
import { GatewayError } from '../../../src/errors.js';
import { encodeRequest, guessImageType } from './encode-request.js';

const base: ChatRequest = { model: 'gemini-2.0-flash', messages: [], maxTokens: 256, stream: false };
const user = (text: string): Message => ({ role: 'user', content: [{ type: 'text', text }] });

describe('encodeRequest', () => {
  it('puts system text in systemInstruction and maps roles to user/model', () => {
    const { body, warnings } = encodeRequest({
      ...base,
      temperature: 0.2,
      topP: 0.9,
      stop: ['END'],
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        user('Hi'),
        { role: 'assistant', content: [{ type: 'text', text: 'Hello!' }] },
        user('Capital of France?'),
      ],
    });
    expect(warnings).toEqual([]);
    expect(body).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Hi' }] },
        { role: 'model', parts: [{ text: 'Hello!' }] },
        { role: 'user', parts: [{ text: 'Capital of France?' }] },
      ],
      generationConfig: { maxOutputTokens: 256, temperature: 0.2, topP: 0.9, stopSequences: ['END'] },
    });
  });

  it('merges consecutive same-role contents', () => {
    const { body } = encodeRequest({ ...base, messages: [user('a'), user('b')] });
    expect(body.contents).toEqual([{ role: 'user', parts: [{ text: 'a' }, { text: 'b' }] }]);
  });

  const images: [string, Message, unknown, boolean][] = [
    [
      'base64 → inlineData',
      { role: 'user', content: [{ type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBOR' } }] },
      { inlineData: { mimeType: 'image/png', data: 'iVBOR' } },
      false,
    ],
    [
      'data URL → inlineData',
      { role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 'data:image/webp;base64,UklGR' } }] },
      { inlineData: { mimeType: 'image/webp', data: 'UklGR' } },
      false,
    ],
    [
      'https URL → fileData + warning',
      { role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 'https://example.com/cat.PNG?x=1' } }] },
      { fileData: { mimeType: 'image/png', fileUri: 'https://example.com/cat.PNG?x=1' } },
      true,
    ],
    [
      'Files API URI → fileData, no warning',
      { role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 'https://generativelanguage.googleapis.com/v1beta/files/abc' } }] },
      { fileData: { mimeType: 'image/jpeg', fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/abc' } },
      false,
    ],
  ];
  it.each(images)('image: %s', (_name, message, part, warns) => {
    const { body, warnings } = encodeRequest({ ...base, messages: [message] });
    expect(body.contents[0]?.parts).toEqual([part]);
    expect(warnings.length > 0).toBe(warns);
  });

  it.each([
    ['a.jpg', 'image/jpeg'],
    ['a.jpeg', 'image/jpeg'],
    ['a.gif', 'image/gif'],
    ['a.webp', 'image/webp'],
    ['a.heic', 'image/heic'],
    ['noext', 'image/jpeg'],
    ['a.bmp', 'image/jpeg'],
    ['https://x/a.png#f', 'image/png'],
  ])('guessImageType(%s) = %s', (url, type) => {
    expect(guessImageType(url)).toBe(type);
  });

  it('encodes tool calls and tool results, finding the tool name by call id', () => {
    const { body } = encodeRequest({
      ...base,
      messages: [
        user('Weather?'),
        {
          role: 'assistant',
          content: [
            { type: 'tool-call', id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' },
            { type: 'tool-call', id: 'call_b', name: 'get_time', arguments: 'not json' },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'call_a', content: '18°C' },
            { type: 'tool-result', toolCallId: 'call_b', toolName: 'get_time', content: '12:00' },
          ],
        },
        user('Thanks'),
      ],
    });
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather?' }] },
      { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }, { functionCall: { name: 'get_time', args: {} } }] },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { content: '18°C' } } },
          { functionResponse: { name: 'get_time', response: { content: '12:00' } } },
          { text: 'Thanks' },
        ],
      },
    ]);
  });

  it('adds the skip-validator thought signature for Gemini 3 tool-call replays, with a warning', () => {
    const { body, warnings } = encodeRequest({
      ...base,
      model: 'gemini-3-pro-preview',
      messages: [user('x'), { role: 'assistant', content: [{ type: 'tool-call', id: 'c', name: 'f', arguments: '{}' }] }],
    });
    expect(body.contents[1]?.parts[0]).toEqual({ functionCall: { name: 'f', args: {} }, thoughtSignature: 'skip_thought_signature_validator' });
    expect(warnings).toHaveLength(1);
  });

  it('rejects a tool result whose tool name cannot be found', () => {
    const req: ChatRequest = { ...base, messages: [{ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'nope', content: 'x' }] }] };
    expect(() => encodeRequest(req)).toThrow(GatewayError);
    try {
      encodeRequest(req);
    } catch (err) {
      expect((err as GatewayError).code).toBe('request_invalid');
    }
  });

  it('declares tools with cleaned schemas and omits empty parameter objects', () => {
    const { body } = encodeRequest({
      ...base,
      messages: [user('x')],
      tools: [
        {
          name: 'get_weather',
          description: 'Weather for a city',
          parameters: {
            $schema: 'http://json-schema.org/draft-07/schema#',
            type: 'object',
            additionalProperties: false,
            properties: {
              city: { type: 'string' },
              additionalProperties: { type: 'object', additionalProperties: { type: 'string' } },
              tags: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { k: { type: 'string' } } } },
            },
            required: ['city'],
          },
        },
        { name: 'ping', parameters: { type: 'object', properties: {} } },
      ],
    });
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            description: 'Weather for a city',
            parameters: {
              type: 'object',
              properties: {
                city: { type: 'string' },
                additionalProperties: { type: 'object' },
                tags: { type: 'array', items: { type: 'object', properties: { k: { type: 'string' } } } },
              },
              required: ['city'],
            },
          },
          { name: 'ping' },
        ],
      },
    ]);
  });

  it.each([
    [{ type: 'auto' }, { mode: 'AUTO' }],
    [{ type: 'none' }, { mode: 'NONE' }],
    [{ type: 'required' }, { mode: 'ANY' }],
    [
      { type: 'tool', name: 'get_weather' },
      { mode: 'ANY', allowedFunctionNames: ['get_weather'] },
    ],
  ] as const)('tool_choice %o → %o', (choice, config) => {
    const { body } = encodeRequest({ ...base, messages: [user('x')], toolChoice: choice });
    expect(body.toolConfig).toEqual({ functionCallingConfig: config });
  });

  it('maps response formats to responseMimeType / responseSchema', () => {
    expect(encodeRequest({ ...base, responseFormat: { type: 'json_object' } }).body.generationConfig.responseMimeType).toBe('application/json');
    const { generationConfig } = encodeRequest({
      ...base,
      responseFormat: { type: 'json_schema', name: 'p', schema: { type: 'object', additionalProperties: false, properties: { a: { type: 'number' } } } },
    }).body;
    expect(generationConfig).toMatchObject({ responseMimeType: 'application/json', responseSchema: { type: 'object', properties: { a: { type: 'number' } } } });
    expect(encodeRequest({ ...base, responseFormat: { type: 'text' } }).body.generationConfig.responseMimeType).toBeUndefined();
  });

  it('warns about what Gemini cannot honour', () => {
    const { body, warnings } = encodeRequest({ ...base, stop: ['1', '2', '3', '4', '5', '6'], parallelToolCalls: false });
    expect(body.generationConfig.stopSequences).toEqual(['1', '2', '3', '4', '5']);
    expect(warnings).toHaveLength(2);
  });
});
