/**
 * Structured output on Anthropic. Models with the `structured_output` capability take
 * `output_config.format` natively; for the others the schema becomes a forced tool whose input
 * is the answer: the decoders turn that tool call back into plain JSON text with finish `stop`,
 * so the client sees the JSON it asked for, never a tool call it did not define.
 */
import type { ChatRequest, JsonObject, ResponseFormat } from '../../../src/formats/canonical.js';
import type { AnthropicTool, AnthropicToolChoice } from './wire.js';

/** How a forced JSON tool was set up, for the decoders. */
export interface JsonTool {
  readonly name: string;
  /** The schema was not an object, so it sits under `value` (tool inputs must be objects). */
  readonly wrapped: boolean;
  /** The request has no client tools: any text beside the JSON is dropped. */
  readonly only: boolean;
}

export interface StructuredPlan {
  readonly format?: JsonObject;
  readonly tool?: { readonly definition: AnthropicTool; readonly choice: AnthropicToolChoice; readonly json: JsonTool };
}

const TOOL_NAME = 'json_response';
const OPEN_OBJECT: JsonObject = { type: 'object', additionalProperties: true };

export function planStructuredOutput(req: ChatRequest, native: boolean): StructuredPlan {
  const format: ResponseFormat | undefined = req.responseFormat;
  if (format === undefined || format.type === 'text') return {};
  if (format.type === 'json_schema' && native) return { format: { type: 'json_schema', schema: format.schema } };

  const schema = format.type === 'json_schema' ? format.schema : OPEN_OBJECT;
  const wrapped = schema['type'] !== 'object';
  const taken = new Set((req.tools ?? []).map((t) => t.name));
  let name = TOOL_NAME;
  for (let i = 1; taken.has(name); i++) name = `${TOOL_NAME}_${i}`;
  const description =
    (format.type === 'json_schema' ? format.description : undefined) ??
    'Give the final answer by calling this tool: its input is the answer, as JSON matching the schema.';
  const definition: AnthropicTool = {
    name,
    description,
    input_schema: wrapped ? { type: 'object', properties: { value: schema }, required: ['value'] } : schema,
  };
  const clientTools = (req.tools ?? []).length > 0 && req.toolChoice?.type !== 'none';
  // With tools of its own the model may still call them; it must end with one tool call or the other.
  const choice: AnthropicToolChoice = clientTools ? { type: 'any' } : { type: 'tool', name };
  return { tool: { definition, choice, json: { name, wrapped, only: !clientTools } } };
}

/** The forced tool's input as the answer text. */
export function jsonText(input: unknown, tool: JsonTool): string {
  const value = tool.wrapped && typeof input === 'object' && input !== null ? (input as Record<string, unknown>)['value'] : input;
  return JSON.stringify(value ?? {});
}
