/**
 * Responses `tools` and `tool_choice` → canonical. Function tools use the flat Responses shape
 * `{type:"function", name, description, parameters, strict}`. A `custom` tool (free-form input,
 * e.g. Codex's apply_patch) becomes a function with one string argument `input`; its calls go
 * back out as custom_tool_call items. Hosted tools (web_search, file_search, computer_use,
 * local_shell, mcp, …) run on OpenAI's side only: dropped with a warning.
 */
import type { JsonObject, ToolChoice, ToolDefinition } from '../canonical.js';
import { given, invalid, isRecord, jsonObject, optBoolean, optString, record, string, type Rec } from '../openai/fields.js';
import { quoted, type DecodeWarnings } from './warnings.js';

export interface DecodedTools {
  readonly tools: readonly ToolDefinition[];
  /** Names of the tools declared `custom` (their calls are custom_tool_call items). */
  readonly customTools: ReadonlySet<string>;
  /** The accepted tools as the response object echoes them. */
  readonly echo: readonly JsonObject[];
}

function customParameters(format: unknown): JsonObject {
  const description =
    isRecord(format) && format['type'] === 'grammar' && typeof format['definition'] === 'string'
      ? `The raw tool input. It must follow this ${typeof format['syntax'] === 'string' ? format['syntax'] : ''} grammar:\n${format['definition']}`
      : 'The raw tool input.';
  return { type: 'object', properties: { input: { type: 'string', description } }, required: ['input'], additionalProperties: false };
}

export function decodeTools(v: unknown, warnings: DecodeWarnings): DecodedTools {
  if (!given(v)) return { tools: [], customTools: new Set(), echo: [] };
  if (!Array.isArray(v)) throw invalid('tools', 'must be an array');
  const tools: ToolDefinition[] = [];
  const customTools = new Set<string>();
  const echo: JsonObject[] = [];
  v.forEach((value: unknown, i) => {
    const path = `tools[${i}]`;
    const tool = record(value, path);
    const type = string(tool['type'], `${path}.type`);
    if (type === 'function') {
      // Tolerate the Chat Completions nesting some clients send here too.
      const fn: Rec = isRecord(tool['function']) ? tool['function'] : tool;
      const at = fn === tool ? path : `${path}.function`;
      const name = string(fn['name'], `${at}.name`, true);
      const description = optString(fn['description'], `${at}.description`);
      const parameters = given(fn['parameters']) ? jsonObject(fn['parameters'], `${at}.parameters`) : { type: 'object', properties: {} };
      const strict = optBoolean(fn['strict'], `${at}.strict`) ?? null;
      tools.push({ name, ...(description !== undefined ? { description } : {}), parameters });
      echo.push({ type: 'function', name, description: description ?? null, parameters, strict });
    } else if (type === 'custom') {
      const name = string(tool['name'], `${path}.name`, true);
      const description = optString(tool['description'], `${path}.description`);
      tools.push({ name, ...(description !== undefined ? { description } : {}), parameters: customParameters(tool['format']) });
      customTools.add(name);
      echo.push(jsonObject(tool, path));
    } else warnings.add(`tool type ${quoted(type)} is not supported; dropped`);
  });
  return { tools, customTools, echo };
}

export function decodeToolChoice(v: unknown, tools: readonly ToolDefinition[], warnings: DecodeWarnings): ToolChoice | undefined {
  if (!given(v)) return undefined;
  if (typeof v === 'string') {
    if (v !== 'auto' && v !== 'none' && v !== 'required') throw invalid('tool_choice', 'must be "auto", "none", "required" or an object');
    if (v === 'required' && tools.length === 0) throw invalid('tool_choice', '"required" needs at least one function tool in tools');
    return { type: v };
  }
  const choice = record(v, 'tool_choice');
  const type = string(choice['type'], 'tool_choice.type');
  if (type === 'function' || type === 'custom') {
    const name = string(choice['name'], 'tool_choice.name', true);
    if (!tools.some((t) => t.name === name)) throw invalid('tool_choice.name', `no tool named ${quoted(name)} in tools`);
    return { type: 'tool', name };
  }
  if (type === 'allowed_tools') {
    warnings.add('tool_choice allowed_tools is not supported; all tools stay available');
    return choice['mode'] === 'required' && tools.length > 0 ? { type: 'required' } : { type: 'auto' };
  }
  warnings.add(`tool_choice type ${quoted(type)} is not supported; using "auto"`);
  return undefined;
}
