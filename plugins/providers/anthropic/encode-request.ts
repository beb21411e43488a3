/**
 * ChatRequest → Anthropic Messages request body (and the `anthropic-beta` values to send).
 * What Anthropic needs back verbatim stays verbatim: system blocks with cache_control, thinking
 * blocks with signatures, the client's betas, context_management and other Anthropic fields.
 * Anything Anthropic cannot take is reported in `warnings`, never dropped silently.
 */
import type { ChatRequest, JsonObject, SystemMessage, ToolChoice } from '../../../src/formats/canonical.js';
import { cacheControl, encodeBlocks, orderToolResultsFirst, textBlocks } from './encode-content.js';
import { type JsonTool, planStructuredOutput } from './structured-output.js';
import { planThinking } from './thinking.js';
import type { AnthropicMessageParam, AnthropicRequestBody, AnthropicTextBlock, AnthropicToolChoice } from './wire.js';

export interface EncodedAnthropicRequest {
  readonly body: AnthropicRequestBody;
  readonly warnings: string[];
  /** `anthropic-beta` values from the client, in order. */
  readonly betas: readonly string[];
  /** Set when structured output is served by a forced tool (the decoders turn it back into text). */
  readonly jsonTool?: JsonTool;
}

export interface AnthropicEncodeOptions {
  /** The model takes `output_config.format` (YAML capability `structured_output`). */
  readonly nativeStructuredOutput?: boolean;
  /** Betas configured on the provider (its static `anthropic-beta` header). */
  readonly providerBetas?: readonly string[];
}

/**
 * Betas under which `role: "system"` turns may stay inside `messages`. Claude Code 2.1 sends such
 * turns with per-turn-control-… (and no mid-conversation-system-…), so either counts.
 */
const MID_CONVERSATION_SYSTEM = 'mid-conversation-system';
const SYSTEM_TURN_BETAS = [MID_CONVERSATION_SYSTEM, 'per-turn-control'];

/** Body fields the encoder owns: `extra` from the client never overrides them. */
const OWN_FIELDS = new Set(['model', 'max_tokens', 'messages', 'stream', 'system', 'tools', 'tool_choice', 'thinking', 'output_config', 'context_management']);

export function encodeAnthropicRequest(req: ChatRequest, options: AnthropicEncodeOptions = {}): EncodedAnthropicRequest {
  const warnings: string[] = [];
  const betas = [...(req.anthropic?.betas ?? [])];
  const midSystem = [...betas, ...(options.providerBetas ?? [])].some((b) => SYSTEM_TURN_BETAS.some((prefix) => b.startsWith(`${prefix}-`)));
  const system: AnthropicTextBlock[] = [];
  const messages: AnthropicMessageParam[] = [];
  let folded = 0;
  const droppedTurnFields = new Set<string>();

  const push = (role: AnthropicMessageParam['role'], blocks: AnthropicMessageParam['content']) => {
    if (blocks.length === 0) return; // Anthropic rejects empty content
    const last = messages[messages.length - 1];
    if (last !== undefined && last.role === role && role !== 'system') last.content = orderToolResultsFirst([...last.content, ...blocks]);
    else messages.push({ role, content: blocks });
  };

  for (const message of req.messages) {
    if (message.role !== 'system') {
      push(message.role === 'assistant' ? 'assistant' : 'user', encodeBlocks(message, warnings));
    } else if (messages.length === 0) {
      system.push(...textBlocks(message.content));
    } else if (midSystem) {
      const blocks = textBlocks(message.content);
      if (blocks.length > 0) messages.push({ role: 'system', content: blocks, ...message.anthropic });
    } else {
      folded++;
      for (const key of Object.keys(message.anthropic ?? {})) droppedTurnFields.add(key);
      push('user', [systemAsUserText(message)]);
    }
  }
  if (folded > 0) {
    warnings.push(
      `${folded} system message(s) inside messages sent as user text: send the anthropic-beta ${MID_CONVERSATION_SYSTEM}-* or per-turn-control-* to keep them as system turns`,
    );
    if (droppedTurnFields.size > 0) warnings.push(`system turn fields ${[...droppedTurnFields].join(', ')} dropped with the folded system turn`);
  }

  const body: AnthropicRequestBody = { model: req.model, max_tokens: req.maxTokens, messages, stream: req.stream };
  if (system.length > 0) body.system = systemField(system);

  const structured = planStructuredOutput(req, options.nativeStructuredOutput === true);
  const { thinking, effort } = planThinking(req, structured.tool !== undefined, warnings);
  const extra = req.anthropic?.extra ?? {};
  // Sub-fields the client set (e.g. display: "omitted") ride along with the mode we chose.
  if (thinking !== undefined) body.thinking = { ...(isJsonObject(extra['thinking']) ? extra['thinking'] : {}), ...thinking };
  const thinks = thinking !== undefined && thinking.type !== 'disabled';

  encodeSampling(req, body, thinks, warnings);
  if (req.stop !== undefined && req.stop.length > 0) body.stop_sequences = [...req.stop];
  if (req.user !== undefined && req.user !== '') body.metadata = { user_id: req.user };

  const tools = (req.tools ?? []).map((t) => ({
    name: t.name,
    ...(t.description !== undefined ? { description: t.description } : {}),
    input_schema: withObjectType(t.parameters),
    ...cacheControl(t.cacheControl),
    ...t.anthropic,
  }));
  if (structured.tool !== undefined) {
    body.tools = [...tools, structured.tool.definition];
    body.tool_choice = req.toolChoice?.type === 'tool' ? encodeToolChoice(req.toolChoice, req.parallelToolCalls) : structured.tool.choice;
  } else if (tools.length > 0) {
    body.tools = tools;
    const choice = encodeToolChoice(req.toolChoice, req.parallelToolCalls);
    if (choice !== undefined) body.tool_choice = choice;
  } else if (req.toolChoice !== undefined && req.toolChoice.type !== 'none' && req.toolChoice.type !== 'auto') {
    warnings.push('tool_choice ignored: the request has no tools');
  }

  const outputConfig: JsonObject = {
    ...(isJsonObject(extra['output_config']) ? extra['output_config'] : {}),
    ...(effort !== undefined ? { effort } : {}),
    ...(structured.format !== undefined ? { format: structured.format } : {}),
  };
  if (Object.keys(outputConfig).length > 0) body.output_config = outputConfig;
  if (req.anthropic?.contextManagement !== undefined) body.context_management = req.anthropic.contextManagement;
  for (const [key, value] of Object.entries(extra)) if (!OWN_FIELDS.has(key) && !(key in body)) body[key] = value;

  return { body, warnings, betas, ...(structured.tool !== undefined ? { jsonTool: structured.tool.json } : {}) };
}

/** A single plain block stays the plain string clients usually send; otherwise blocks, breakpoints and all. */
function systemField(blocks: AnthropicTextBlock[]): string | AnthropicTextBlock[] {
  const only = blocks[0];
  return blocks.length === 1 && only !== undefined && only.cache_control === undefined ? only.text : blocks;
}

function systemAsUserText(message: SystemMessage): AnthropicTextBlock {
  const text = message.content.map((p) => p.text).join('\n');
  return { type: 'text', text: `<system-reminder>\n${text}\n</system-reminder>` };
}

function encodeSampling(req: ChatRequest, body: AnthropicRequestBody, thinks: boolean, warnings: string[]): void {
  if (req.temperature !== undefined) {
    if (thinks && req.temperature !== 1) warnings.push('temperature ignored: Anthropic takes only temperature 1 with thinking');
    else if (req.temperature > 1) {
      warnings.push(`temperature ${req.temperature} clamped to 1 (Anthropic's maximum)`);
      body.temperature = 1;
    } else body.temperature = req.temperature;
  }
  if (req.topP !== undefined) {
    // Recent Claude models reject requests that set both; temperature is the one clients set on purpose.
    if (body.temperature !== undefined) warnings.push('top_p ignored: Anthropic takes temperature or top_p, not both');
    else if (thinks && req.topP < 0.95) warnings.push('top_p ignored: Anthropic takes top_p of 0.95 or more with thinking');
    else body.top_p = req.topP;
  }
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withObjectType(schema: JsonObject): JsonObject {
  return schema['type'] === undefined ? { type: 'object', ...schema } : schema;
}

function encodeToolChoice(choice: ToolChoice | undefined, parallel: boolean | undefined): AnthropicToolChoice | undefined {
  const noParallel = parallel === false ? { disable_parallel_tool_use: true } : {};
  switch (choice?.type) {
    case undefined:
      return parallel === false ? { type: 'auto', ...noParallel } : undefined;
    case 'auto':
      return { type: 'auto', ...noParallel };
    case 'required':
      return { type: 'any', ...noParallel };
    case 'tool':
      return { type: 'tool', name: choice.name, ...noParallel };
    case 'none':
      return { type: 'none' };
  }
}
