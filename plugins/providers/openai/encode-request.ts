/**
 * Canonical ChatRequest → OpenAI Chat Completions request body.
 */
import type { ChatRequest, ImagePart, Message, ReasoningRequest, ResponseFormat, TextPart, ToolChoice } from '../../../src/formats/canonical.js';
import { anthropicOnlyWarnings } from '../../../src/formats/unsupported-fields.js';
import type { OpenAIChatRequestBody, OpenAIContentPart, OpenAIMessage, OpenAIResponseFormat, OpenAIToolChoice } from '../../../src/formats/openai/wire.js';

export type MaxTokensField = 'max_tokens' | 'max_completion_tokens';

export interface EncodeOptions {
  /** Ask for the final usage chunk when streaming. */
  readonly streamUsage: boolean;
  /** The body field that carries the output token limit (default `max_tokens`). */
  readonly maxTokensField?: MaxTokensField;
  /** The model takes `reasoning_effort` (YAML capability `reasoning`: o-series, GPT-5). */
  readonly reasoning?: boolean;
  /** Receives what could not be sent. */
  readonly warnings?: string[];
}

type Effort = NonNullable<OpenAIChatRequestBody['reasoning_effort']>;

/** Canonical reasoning → `reasoning_effort`; a bare budget picks the nearest effort. */
function reasoningEffort(r: ReasoningRequest): Effort | undefined {
  if (!r.enabled) return undefined;
  if (r.effort !== undefined) return r.effort === 'max' ? 'high' : r.effort;
  if (r.budgetTokens === undefined) return 'medium';
  return r.budgetTokens <= 2048 ? 'low' : r.budgetTokens <= 8192 ? 'medium' : 'high';
}

export function encodeOpenAIRequest(req: ChatRequest, options: EncodeOptions = { streamUsage: true }): OpenAIChatRequestBody {
  const body: OpenAIChatRequestBody = {
    model: req.model,
    messages: req.messages.flatMap(encodeMessage),
    [options.maxTokensField ?? 'max_tokens']: req.maxTokens,
    stream: req.stream,
  };
  // Reasoning models (o-series, GPT-5) refuse sampling settings other than the defaults.
  if (options.reasoning === true && ((req.temperature !== undefined && req.temperature !== 1) || req.topP !== undefined)) {
    options.warnings?.push('openai: temperature / top_p ignored (reasoning models take only the defaults)');
  } else {
    if (req.temperature !== undefined) body.temperature = req.temperature;
    if (req.topP !== undefined) body.top_p = req.topP;
  }
  if (req.stop !== undefined && req.stop.length > 0) body.stop = [...req.stop];
  if (req.tools !== undefined && req.tools.length > 0) {
    body.tools = req.tools.map((t) => ({
      type: 'function',
      function: {
        name: t.name,
        ...(t.description !== undefined ? { description: t.description } : {}),
        parameters: t.parameters,
      },
    }));
    // OpenAI rejects parallel_tool_calls on a request without tools.
    if (req.parallelToolCalls !== undefined) body.parallel_tool_calls = req.parallelToolCalls;
  }
  if (req.toolChoice !== undefined) body.tool_choice = encodeToolChoice(req.toolChoice);
  if (req.responseFormat !== undefined) body.response_format = encodeResponseFormat(req.responseFormat);
  if (req.user !== undefined) body.user = req.user;
  if (req.stream && options.streamUsage) body.stream_options = { include_usage: true };
  if (req.reasoning !== undefined) {
    const effort = reasoningEffort(req.reasoning);
    if (options.reasoning === true) {
      if (effort !== undefined) body.reasoning_effort = effort;
    } else if (req.reasoning.enabled) {
      options.warnings?.push('openai: reasoning settings ignored (the model has no `reasoning` capability in the gateway config)');
    }
  }
  options.warnings?.push(...anthropicOnlyWarnings(req, 'openai'));
  return body;
}

function encodeMessage(msg: Message): OpenAIMessage[] {
  switch (msg.role) {
    case 'system':
      return [{ role: 'system', content: msg.content.map((p) => p.text).join('\n') }];
    case 'user':
      return [{ role: 'user', content: encodeUserContent(msg.content) }];
    case 'assistant': {
      const text = joinText(msg.content.filter((p): p is TextPart => p.type === 'text'));
      const toolCalls = msg.content.flatMap((p) =>
        p.type === 'tool-call' ? [{ id: p.id, type: 'function' as const, function: { name: p.name, arguments: p.arguments } }] : [],
      );
      if (toolCalls.length === 0) return [{ role: 'assistant', content: text }];
      return [{ role: 'assistant', content: text === '' ? null : text, tool_calls: toolCalls }];
    }
    case 'tool':
      return msg.content.map((p) => ({ role: 'tool', tool_call_id: p.toolCallId, content: p.content }));
  }
}

function joinText(parts: readonly TextPart[]): string {
  return parts.map((p) => p.text).join('');
}

function encodeUserContent(parts: readonly (TextPart | ImagePart)[]): string | OpenAIContentPart[] {
  const first = parts[0];
  if (first === undefined) return '';
  // Several text parts stay separate parts, as the client sent them.
  if (parts.length === 1 && first.type === 'text') return first.text;
  return parts.map((p): OpenAIContentPart => {
    if (p.type === 'text') return { type: 'text', text: p.text };
    const url = p.source.kind === 'url' ? p.source.url : `data:${p.source.mediaType};base64,${p.source.data}`;
    return { type: 'image_url', image_url: { url } };
  });
}

function encodeToolChoice(choice: ToolChoice): OpenAIToolChoice {
  return choice.type === 'tool' ? { type: 'function', function: { name: choice.name } } : choice.type;
}

function encodeResponseFormat(format: ResponseFormat): OpenAIResponseFormat {
  if (format.type !== 'json_schema') return { type: format.type };
  return {
    type: 'json_schema',
    json_schema: {
      name: format.name,
      schema: format.schema,
      ...(format.strict !== undefined ? { strict: format.strict } : {}),
      ...(format.description !== undefined ? { description: format.description } : {}),
    },
  };
}
