/**
 * How the fake upstreams behave like a model in an agent loop ("agent" behaviour): call the scripted
 * tool when it is offered, answer with the tool's result once it comes back, honour a forced tool and
 * structured-output requests with JSON that validates against the schema sent, else answer text.
 */
import { sampleFromSchema } from './json-schema-sample.js';

export interface AgentScript {
  /** The tool the model calls while no tool result is in the conversation (when the request offers it). */
  readonly toolCall?: { readonly name: string; readonly input: Record<string, unknown> };
  /** The answer when there is nothing else to do. */
  readonly text?: string;
}

export type AgentTurn =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'tool'; readonly name: string; readonly input: Record<string, unknown> };

/** The final answer after a tool ran starts with this, followed by the tool's output. */
export const AGENT_RESULT_PREFIX = 'The tool said: ';
export const AGENT_DEFAULT_TEXT = 'Hello from the fake agent.';

type Body = Record<string, unknown>;

function record(v: unknown): Body {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Body) : {};
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Text of a string or of an array of `{type:"text", text}` parts. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  return list(content)
    .map((part) => record(part)['text'])
    .filter((t): t is string => typeof t === 'string')
    .join('');
}

function sampleInput(schema: unknown): Record<string, unknown> {
  return record(sampleFromSchema(schema));
}

function structured(schema: unknown): AgentTurn {
  return { kind: 'text', text: JSON.stringify(schema === undefined ? { result: 'sample' } : sampleFromSchema(schema)) };
}

/** One turn for an OpenAI Chat Completions request body. */
export function openAIChatTurn(body: Body, script: AgentScript): AgentTurn {
  const tools = list(body['tools']).map((t) => record(record(t)['function']));
  const choice = body['tool_choice'];
  const forcedName = record(record(choice)['function'])['name'];
  const scripted = script.toolCall !== undefined && tools.some((t) => t['name'] === script.toolCall?.name) ? script.toolCall : undefined;
  const last = record(list(body['messages']).at(-1));
  const hasResult = last['role'] === 'tool';
  const forced = tools.find((t) => t['name'] === forcedName) ?? (choice === 'required' && (scripted === undefined || hasResult) ? tools.at(-1) : undefined);
  if (forced !== undefined) return { kind: 'tool', name: String(forced['name']), input: sampleInput(forced['parameters']) };
  if (hasResult) return { kind: 'text', text: AGENT_RESULT_PREFIX + textOf(last['content']).trim() };
  if (scripted !== undefined) return { kind: 'tool', ...scripted };
  const format = record(body['response_format']);
  if (format['type'] === 'json_schema') return structured(record(format['json_schema'])['schema']);
  if (format['type'] === 'json_object') return structured(undefined);
  return { kind: 'text', text: script.text ?? AGENT_DEFAULT_TEXT };
}

/** One turn for an Anthropic Messages request body. */
export function anthropicTurn(body: Body, script: AgentScript): AgentTurn {
  const tools = list(body['tools']).map(record);
  const choice = record(body['tool_choice']);
  const scripted = script.toolCall !== undefined && tools.some((t) => t['name'] === script.toolCall?.name) ? script.toolCall : undefined;
  const last = record(list(body['messages']).at(-1));
  const result = list(last['content'])
    .map(record)
    .find((block) => block['type'] === 'tool_result');
  const hasResult = last['role'] === 'user' && result !== undefined;
  // "any": the scripted tool while it has not run yet, else the last tool offered (where a gateway
  // or SDK appends its own answer tool for structured output).
  const forced =
    choice['type'] === 'tool'
      ? tools.find((t) => t['name'] === choice['name'])
      : choice['type'] === 'any' && (scripted === undefined || hasResult)
        ? tools.at(-1)
        : undefined;
  if (forced !== undefined) return { kind: 'tool', name: String(forced['name']), input: sampleInput(forced['input_schema']) };
  if (hasResult) return { kind: 'text', text: AGENT_RESULT_PREFIX + textOf(result?.['content']).trim() };
  if (scripted !== undefined) return { kind: 'tool', ...scripted };
  const format = record(record(body['output_config'])['format'] ?? body['output_format']);
  if (format['type'] === 'json_schema') return structured(format['schema']);
  return { kind: 'text', text: script.text ?? AGENT_DEFAULT_TEXT };
}
