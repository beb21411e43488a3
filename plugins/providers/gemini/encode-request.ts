/**
 * ChatRequest → Gemini `generateContent` body. Settings Gemini cannot take become warnings.
 */
import type { ChatRequest, ImagePart, JsonObject, JsonValue, Message, ToolChoice } from '../../../src/formats/canonical.js';
import { GatewayError } from '../../../src/errors.js';
import { anthropicOnlyWarnings, midConversationSystemCount } from '../../../src/formats/unsupported-fields.js';
import type { GeminiContent, GeminiPart, GeminiRequestBody } from './wire.js';
import { cleanSchema, toParameters } from './schema.js';
import { parseBoundedJson } from '../../../src/formats/json-depth.js';

export interface EncodedRequest {
  readonly body: GeminiRequestBody;
  readonly warnings: string[];
}

/** Gemini rejects more than five stop sequences. */
const MAX_STOP_SEQUENCES = 5;

/**
 * Google's documented sentinel for replayed function calls without a real thought signature;
 * Gemini 3+ answers 400 without one, and the canonical model does not carry signatures.
 */
const SKIP_SIGNATURE = 'skip_thought_signature_validator';

const IMAGE_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  heif: 'image/heif',
};

export function encodeRequest(req: ChatRequest): EncodedRequest {
  const warnings: string[] = [];
  const system: { text: string }[] = [];
  const contents: GeminiContent[] = [];
  const toolNames = new Map<string, string>();
  const needsSignature = requiresThoughtSignature(req.model);
  let signed = false;

  const append = (role: 'user' | 'model', parts: GeminiPart[]): void => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last !== undefined && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };

  for (const message of req.messages) {
    switch (message.role) {
      case 'system':
        for (const part of message.content) system.push({ text: part.text });
        break;
      case 'user':
        append(
          'user',
          message.content.map((part) => (part.type === 'text' ? { text: part.text } : encodeImage(part, warnings))),
        );
        break;
      case 'assistant':
        append(
          'model',
          message.content
            .filter((part) => part.type !== 'reasoning')
            .map((part): GeminiPart => {
              if (part.type === 'text') return { text: part.text };
              toolNames.set(part.id, part.name);
              const call: GeminiPart = { functionCall: { name: part.name, args: parseArgs(part.arguments) } };
              if (!needsSignature) return call;
              signed = true;
              return { ...call, thoughtSignature: SKIP_SIGNATURE };
            }),
        );
        break;
      case 'tool':
        append('user', encodeToolResults(message, toolNames));
        break;
    }
  }
  if (signed) warnings.push('Gemini: thought signatures of earlier tool calls are not preserved; reasoning context is not carried across turns');

  const body: GeminiRequestBody = { contents, generationConfig: encodeGenerationConfig(req, warnings) };
  if (system.length > 0) body.systemInstruction = { parts: system };
  if (req.tools !== undefined && req.tools.length > 0) {
    body.tools = [
      {
        functionDeclarations: req.tools.map((tool) => {
          const parameters = toParameters(tool.parameters);
          return {
            name: tool.name,
            ...(tool.description !== undefined ? { description: tool.description } : {}),
            ...(parameters !== undefined ? { parameters } : {}),
          };
        }),
      },
    ];
  }
  if (req.toolChoice !== undefined) body.toolConfig = { functionCallingConfig: encodeToolChoice(req.toolChoice) };
  if (req.parallelToolCalls === false) warnings.push('Gemini: parallel_tool_calls=false is not supported and was ignored');
  const folded = midConversationSystemCount(req);
  if (folded > 0) warnings.push(`Gemini: ${folded} system message(s) inside messages folded into systemInstruction`);
  warnings.push(...anthropicOnlyWarnings(req, 'Gemini'));
  return { body, warnings };
}

/** Gemini 3 and later (gemini-3-pro-preview, gemini-3.1-flash…). */
function requiresThoughtSignature(model: string): boolean {
  const match = /^(?:models\/)?gemini-(\d+)/.exec(model);
  return match !== null && Number(match[1]) >= 3;
}

function encodeImage(part: ImagePart, warnings: string[]): GeminiPart {
  const source = part.source;
  if (source.kind === 'base64') return { inlineData: { mimeType: source.mediaType, data: source.data } };
  const dataUrl = /^data:([^;,]+);base64,(.*)$/s.exec(source.url);
  if (dataUrl !== null) return { inlineData: { mimeType: dataUrl[1] ?? 'image/jpeg', data: dataUrl[2] ?? '' } };
  if (!isGeminiFileUri(source.url)) {
    warnings.push('Gemini: image URLs are passed as fileData.fileUri, which Gemini may not fetch; send images as base64 for reliable results');
  }
  return { fileData: { mimeType: guessImageType(source.url), fileUri: source.url } };
}

function isGeminiFileUri(url: string): boolean {
  return url.startsWith('gs://') || url.startsWith('https://generativelanguage.googleapis.com/');
}

export function guessImageType(url: string): string {
  const path = url.split(/[?#]/, 1)[0] ?? '';
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return (ext !== undefined ? IMAGE_TYPES[ext] : undefined) ?? 'image/jpeg';
}

/** Gemini's `args` must be an object; anything else (invalid JSON, arrays, scalars) becomes {}. */
function parseArgs(text: string): JsonObject {
  const value = parseBoundedJson(text);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as JsonObject;
  return {};
}

function encodeToolResults(message: Extract<Message, { role: 'tool' }>, toolNames: ReadonlyMap<string, string>): GeminiPart[] {
  return message.content.map((part) => {
    const name = part.toolName ?? toolNames.get(part.toolCallId);
    if (name === undefined) {
      throw new GatewayError('request_invalid', `Tool result "${part.toolCallId}" matches no earlier tool call; Gemini needs the tool name`);
    }
    const response: { [key: string]: JsonValue } = { content: part.content };
    return { functionResponse: { name, response } };
  });
}

function encodeToolChoice(choice: ToolChoice): { mode: 'AUTO' | 'NONE' | 'ANY'; allowedFunctionNames?: string[] } {
  switch (choice.type) {
    case 'auto':
      return { mode: 'AUTO' };
    case 'none':
      return { mode: 'NONE' };
    case 'required':
      return { mode: 'ANY' };
    case 'tool':
      return { mode: 'ANY', allowedFunctionNames: [choice.name] };
  }
}

function encodeGenerationConfig(req: ChatRequest, warnings: string[]): GeminiRequestBody['generationConfig'] {
  const config: GeminiRequestBody['generationConfig'] = { maxOutputTokens: req.maxTokens };
  if (req.temperature !== undefined) config.temperature = req.temperature;
  if (req.topP !== undefined) config.topP = req.topP;
  if (req.stop !== undefined && req.stop.length > 0) {
    if (req.stop.length > MAX_STOP_SEQUENCES) {
      warnings.push(`Gemini: only the first ${MAX_STOP_SEQUENCES} stop sequences were sent`);
    }
    config.stopSequences = req.stop.slice(0, MAX_STOP_SEQUENCES);
  }
  const thinking = thinkingConfig(req);
  if (thinking !== undefined) config.thinkingConfig = thinking;
  const format = req.responseFormat;
  if (format?.type === 'json_object') config.responseMimeType = 'application/json';
  if (format?.type === 'json_schema') {
    config.responseMimeType = 'application/json';
    config.responseSchema = cleanSchema(format.schema);
  }
  return config;
}

/** Canonical reasoning → Gemini 2.5+ `thinkingConfig` (budget -1 lets the model decide). */
function thinkingConfig(req: ChatRequest): { thinkingBudget?: number; includeThoughts?: boolean } | undefined {
  const r = req.reasoning;
  if (r === undefined) return undefined;
  if (!r.enabled) return { thinkingBudget: 0 };
  const budget = r.budgetTokens ?? (r.effort !== undefined ? EFFORT_BUDGET[r.effort] : undefined) ?? -1;
  return { thinkingBudget: budget, includeThoughts: true };
}

const EFFORT_BUDGET: Readonly<Record<string, number>> = { minimal: 512, low: 2048, medium: 8192, high: 24576, max: 32768 };
