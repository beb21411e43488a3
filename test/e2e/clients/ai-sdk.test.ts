/**
 * The Vercel AI SDK (ai 6) through Switchboard, each provider package against an OpenAI-backed and
 * an Anthropic-backed model: generateText, streamText, a multi-step tool loop (generate and stream)
 * and generateObject with a zod schema. Every call is billed to a funded account.
 */
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { createOpenRouter } from '@openrouter/ai-sdk-provider';
import { generateObject, generateText, type LanguageModel, stepCountIs, streamText, tool } from 'ai';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { z } from 'zod';
import { AGENT_RESULT_PREFIX } from '../../helpers/fake-agent.js';
import { type ClientMatrix, startClientMatrix } from './harness.js';
import { cell } from './known-gaps.js';

let matrix: ClientMatrix;
beforeAll(async () => {
  matrix = await startClientMatrix();
});
afterAll(() => matrix?.close());

const PROVIDERS: Record<string, (modelId: string) => LanguageModel> = {
  'openai (responses)': (id) => createOpenAI({ baseURL: `${matrix.url}/v1`, apiKey: matrix.key })(id),
  'openai .chat()': (id) => createOpenAI({ baseURL: `${matrix.url}/v1`, apiKey: matrix.key }).chat(id),
  'openai-compatible': (id) =>
    createOpenAICompatible({ name: 'switchboard', baseURL: `${matrix.url}/v1`, apiKey: matrix.key, includeUsage: true, supportsStructuredOutputs: true })(id),
  anthropic: (id) => createAnthropic({ baseURL: `${matrix.url}/v1`, apiKey: matrix.key })(id),
  openrouter: (id) => createOpenRouter({ baseURL: `${matrix.url}/api/v1`, apiKey: matrix.key })(id),
};

const WEATHER_CALL = { name: 'get_weather', input: { city: 'Paris' } };

function weatherTool(calls: string[]) {
  return tool({
    description: 'Current weather for a city',
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }) => {
      calls.push(city);
      return `Sunny, 21 C in ${city}`;
    },
  });
}

const PERSON = z.object({ name: z.string(), age: z.number() });

for (const [provider, modelFor] of Object.entries(PROVIDERS)) {
  for (const backendName of ['openai', 'anthropic'] as const) {
    describe(`AI SDK ${provider} → ${backendName} backend`, () => {
      const backend = () => matrix.backend(backendName);
      const model = () => modelFor(backend().model);
      const id = (op: string) => `ai-sdk ${provider} ${backendName} ${op}`;

      cell(id('generateText'), async () => {
        backend().script({ text: `Hello via ${backendName}.` });
        const bill = await matrix.billing(backend().model);
        const result = await generateText({ model: model(), prompt: 'Say hello', maxRetries: 0 });
        expect(result.text).toBe(`Hello via ${backendName}.`);
        expect(result.usage.inputTokens).toBeGreaterThan(0);
        expect(result.usage.outputTokens).toBeGreaterThan(0);
        expect(backend().bodies()[0]?.['model']).toBe(backend().upstreamModel);
        await bill.expectCharged(1);
      });

      cell(id('streamText'), async () => {
        backend().script({ text: `Streaming hello via ${backendName}, in several words.` });
        const bill = await matrix.billing(backend().model);
        const result = streamText({ model: model(), prompt: 'Say hello', maxRetries: 0 });
        let text = '';
        for await (const delta of result.textStream) text += delta;
        expect(text).toBe(`Streaming hello via ${backendName}, in several words.`);
        const usage = await result.usage;
        expect(usage.inputTokens).toBeGreaterThan(0);
        expect(usage.outputTokens).toBeGreaterThan(0);
        await bill.expectCharged(1);
      });

      cell(id('tool loop (generateText, stopWhen)'), async () => {
        backend().script({ toolCall: WEATHER_CALL });
        const bill = await matrix.billing(backend().model);
        const calls: string[] = [];
        const result = await generateText({
          model: model(),
          prompt: 'What is the weather in Paris?',
          tools: { get_weather: weatherTool(calls) },
          stopWhen: stepCountIs(4),
          maxRetries: 0,
        });
        expect(calls).toEqual(['Paris']);
        expect(result.steps).toHaveLength(2);
        expect(result.text).toContain(AGENT_RESULT_PREFIX);
        expect(result.text).toContain('Sunny, 21 C in Paris');
        expect(JSON.stringify(backend().bodies()[1])).toContain('Sunny, 21 C in Paris');
        expect(result.totalUsage.inputTokens).toBeGreaterThan(0);
        await bill.expectCharged(2);
      });

      cell(id('tool loop (streamText, stopWhen)'), async () => {
        backend().script({ toolCall: WEATHER_CALL });
        const bill = await matrix.billing(backend().model);
        const calls: string[] = [];
        const result = streamText({
          model: model(),
          prompt: 'What is the weather in Paris?',
          tools: { get_weather: weatherTool(calls) },
          stopWhen: stepCountIs(4),
          maxRetries: 0,
        });
        const text = await result.text;
        expect(calls).toEqual(['Paris']);
        expect(await result.steps).toHaveLength(2);
        expect(text).toContain('Sunny, 21 C in Paris');
        expect((await result.totalUsage).outputTokens).toBeGreaterThan(0);
        await bill.expectCharged(2);
      });

      cell(id('generateObject (zod)'), async () => {
        backend().script({ text: 'This is prose, not the JSON that was asked for.' });
        const bill = await matrix.billing(backend().model);
        const { object, usage } = await generateObject({ model: model(), schema: PERSON, prompt: 'Invent a person', maxRetries: 0 });
        expect(PERSON.parse(object)).toEqual({ name: 'sample', age: 42 });
        expect(usage.inputTokens).toBeGreaterThan(0);
        await bill.expectCharged(1);
      });
    });
  }
}
