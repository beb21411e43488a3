/** The mock provider's deterministic answer to a request. */
import type { ChatRequest, TextPart, ToolCallPart, ToolDefinition, JsonObject } from '../../../src/formats/canonical.js';
import { textOf } from '../../../src/formats/canonical.js';
import { estimatePromptTokens, estimateTokens } from '../../../src/gateway/token-estimate.js';

export interface MockAnswer {
  readonly content: readonly (TextPart | ToolCallPart)[];
  readonly finish: 'stop' | 'length' | 'tool-calls';
  readonly inputTokens: number;
  readonly outputTokens: number;
}

function placeholderArguments(tool: ToolDefinition): string {
  const properties = (tool.parameters['properties'] ?? {}) as JsonObject;
  const required = Array.isArray(tool.parameters['required']) ? (tool.parameters['required'] as string[]) : Object.keys(properties);
  const args: JsonObject = {};
  for (const name of required) {
    const prop = properties[name];
    const type = prop && typeof prop === 'object' && !Array.isArray(prop) ? prop['type'] : undefined;
    args[name] = type === 'number' || type === 'integer' ? 1 : type === 'boolean' ? true : type === 'array' ? [] : type === 'object' ? {} : 'mock';
  }
  return JSON.stringify(args);
}

function chooseTool(req: ChatRequest, lastUserText: string): ToolDefinition | undefined {
  const tools = req.tools ?? [];
  if (tools.length === 0 || req.toolChoice?.type === 'none') return undefined;
  const last = req.messages[req.messages.length - 1];
  if (last?.role === 'tool') return undefined;
  const choice = req.toolChoice;
  if (choice?.type === 'tool') return tools.find((t) => t.name === choice.name) ?? tools[0];
  if (choice?.type === 'required') return tools[0];
  const lower = lastUserText.toLowerCase();
  return tools.find((t) => lower.includes(t.name.toLowerCase()));
}

function truncateWords(text: string, maxTokens: number): { text: string; truncated: boolean } {
  const words = text.split(' ');
  let out = '';
  for (const word of words) {
    const next = out ? `${out} ${word}` : word;
    if (estimateTokens(next) > maxTokens) return { text: out, truncated: true };
    out = next;
  }
  return { text: out, truncated: false };
}

export function mockAnswer(req: ChatRequest, reply: string | null, callIndex: number): MockAnswer {
  const inputTokens = estimatePromptTokens(req);
  let lastUserText = '';
  for (let i = req.messages.length - 1; i >= 0; i--) {
    const m = req.messages[i];
    if (m?.role === 'user') {
      lastUserText = textOf(m.content);
      break;
    }
  }
  const tool = chooseTool(req, lastUserText);
  if (tool) {
    const args = placeholderArguments(tool);
    return {
      content: [{ type: 'tool-call', id: `call_mock_${callIndex}`, name: tool.name, arguments: args }],
      finish: 'tool-calls',
      inputTokens,
      outputTokens: estimateTokens(tool.name) + estimateTokens(args),
    };
  }
  const last = req.messages[req.messages.length - 1];
  const base =
    reply ??
    (last?.role === 'tool'
      ? `Mock answer: the tool returned ${last.content.map((p) => p.content).join(' ').length} characters.`
      : `Mock answer to a ${lastUserText.split(/\s+/).filter(Boolean).length}-word prompt from Switchboard's offline mock provider.`);
  const { text, truncated } = truncateWords(base, req.maxTokens);
  return { content: [{ type: 'text', text }], finish: truncated ? 'length' : 'stop', inputTokens, outputTokens: estimateTokens(text) };
}
