/**
 * LangChain JS through Switchboard: ChatOpenAI and ChatAnthropic, each against an OpenAI-backed and an
 * Anthropic-backed model: invoke, stream (usage right), bindTools with a tool round trip,
 * withStructuredOutput (both methods each class offers) and a SystemMessage later in the conversation.
 */
import { ChatAnthropic } from '@langchain/anthropic';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type AIMessageChunk, HumanMessage, SystemMessage, ToolMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { ChatOpenAI } from '@langchain/openai';
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

type Family = 'ChatOpenAI' | 'ChatAnthropic';

function chatModel(family: Family, model: string): ChatOpenAI | ChatAnthropic {
  return family === 'ChatOpenAI'
    ? new ChatOpenAI({ model, apiKey: matrix.key, maxRetries: 0, configuration: { baseURL: `${matrix.url}/v1` } })
    : new ChatAnthropic({ model, apiKey: matrix.key, maxRetries: 0, anthropicApiUrl: matrix.url });
}

const weather = tool(async ({ city }: { city: string }) => `Sunny, 21 C in ${city}`, {
  name: 'get_weather',
  description: 'Current weather for a city',
  schema: z.object({ city: z.string() }),
});

const PERSON = z.object({ name: z.string(), age: z.number() });
const STRUCTURED_METHODS: Record<Family, readonly ('jsonSchema' | 'functionCalling')[]> = {
  ChatOpenAI: ['jsonSchema', 'functionCalling'],
  ChatAnthropic: ['functionCalling', 'jsonSchema'],
};

for (const family of ['ChatOpenAI', 'ChatAnthropic'] as const) {
  for (const backendName of ['openai', 'anthropic'] as const) {
    describe(`LangChain ${family} → ${backendName} backend`, () => {
      const backend = () => matrix.backend(backendName);
      const model = () => chatModel(family, backend().model);
      const id = (op: string) => `langchain ${family} ${backendName} ${op}`;

      cell(id('invoke'), async () => {
        backend().script({ text: `Hello via ${backendName}.` });
        const bill = await matrix.billing(backend().model);
        const reply = await model().invoke('Say hello');
        expect(reply.text).toBe(`Hello via ${backendName}.`);
        expect(reply.usage_metadata?.input_tokens).toBe(backend().reportedInputTokens(backend().bodies()[0]));
        expect(reply.usage_metadata?.output_tokens).toBeGreaterThan(0);
        await bill.expectCharged(1);
      });

      cell(id('stream (usage)'), async () => {
        backend().script({ text: `Streaming hello via ${backendName}, in several words.` });
        const bill = await matrix.billing(backend().model);
        let whole: AIMessageChunk | undefined;
        let chunks = 0;
        for await (const chunk of await model().stream('Say hello')) {
          whole = whole === undefined ? chunk : whole.concat(chunk);
          chunks++;
        }
        expect(chunks).toBeGreaterThan(2);
        expect(whole?.text).toBe(`Streaming hello via ${backendName}, in several words.`);
        const usage = whole?.usage_metadata;
        expect(usage?.output_tokens).toBeGreaterThan(0);
        // ChatAnthropic reads input tokens from message_start only: it is exact when the provider
        // reports them up front (Anthropic), an estimate otherwise (OpenAI reports at the end).
        if (family === 'ChatAnthropic' && backendName === 'openai') expect(usage?.input_tokens).toBeGreaterThan(0);
        else expect(usage?.input_tokens).toBe(backend().reportedInputTokens(backend().bodies()[0]));
        await bill.expectCharged(1);
      });

      cell(id('bindTools round trip'), async () => {
        backend().script({ toolCall: { name: 'get_weather', input: { city: 'Paris' } } });
        const bill = await matrix.billing(backend().model);
        const withTools = model().bindTools([weather]);
        const question = new HumanMessage('What is the weather in Paris?');
        const call = await withTools.invoke([question]);
        expect(call.tool_calls).toHaveLength(1);
        const toolCall = call.tool_calls![0]!;
        expect(toolCall).toMatchObject({ name: 'get_weather', args: { city: 'Paris' } });
        const result = await weather.invoke(toolCall);
        const answer = await withTools.invoke([question, call, result]);
        expect(result).toBeInstanceOf(ToolMessage);
        expect(answer.text).toBe(`${AGENT_RESULT_PREFIX}Sunny, 21 C in Paris`);
        await bill.expectCharged(2);
      });

      for (const method of STRUCTURED_METHODS[family]) {
        cell(id(`withStructuredOutput (${method})`), async () => {
          backend().script({ text: 'This is prose, not the JSON that was asked for.' });
          const bill = await matrix.billing(backend().model);
          const structured = (model() as BaseChatModel).withStructuredOutput(PERSON, { method });
          expect(PERSON.parse(await structured.invoke('Invent a person'))).toEqual({ name: 'sample', age: 42 });
          await bill.expectCharged(1);
        });
      }

      cell(id('SystemMessage later in the conversation'), async () => {
        backend().script({ text: 'Bonjour encore.' });
        const bill = await matrix.billing(backend().model);
        const reply = await model().invoke([
          new SystemMessage('Be brief.'),
          new HumanMessage('Hi'),
          new AIMessage('Hello!'),
          new SystemMessage('From now on answer in French.'),
          new HumanMessage('Again'),
        ]);
        expect(reply.text).toBe('Bonjour encore.');
        const upstream = JSON.stringify(backend().bodies()[0]);
        expect(upstream).toContain('Be brief.');
        expect(upstream).toContain('From now on answer in French.');
        await bill.expectCharged(1);
      });
    });
  }
}
