/**
 * Anthropic SSE events → canonical StreamEvents, as a pure state machine: feed it each
 * `{event, data}` from the SSE parser; it never touches the network.
 */
import { GatewayError } from '../../../src/errors.js';
import type { FinishReason, StreamEvent, Usage } from '../../../src/formats/canonical.js';
import { mapAnthropicStreamError } from './map-error.js';
import { type JsonTool, jsonText } from './structured-output.js';
import { decodeUsage, isRecord, mapStopReason, optionalNumber } from './wire.js';

export interface AnthropicStreamDecoder {
  push(event: string | undefined, data: string): StreamEvent[];
  /** Call when the byte stream ends; reports a stream cut short before message_stop. */
  end(): StreamEvent[];
}

export interface AnthropicStreamDecoderOptions {
  readonly provider?: string;
  /** Request-encoding warnings, attached to the `start` event. */
  readonly warnings?: readonly string[];
  /** Structured output served by a forced tool: its input streams out as the answer text. */
  readonly jsonTool?: JsonTool;
}

const NEEDS_START = new Set(['content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);

interface ToolBlock {
  readonly kind: 'tool';
  readonly toolIndex: number;
  sentArguments: boolean;
}

interface ThinkingBlock {
  readonly kind: 'thinking';
  signature: string | undefined;
}

/** The forced JSON tool's block; a wrapped schema's JSON is buffered to unwrap it at the end. */
interface JsonBlock {
  readonly kind: 'json';
  buffer: string;
  sent: boolean;
}

type OpenBlock = ToolBlock | ThinkingBlock | JsonBlock;

export function createAnthropicStreamDecoder(options: AnthropicStreamDecoderOptions = {}): AnthropicStreamDecoder {
  const provider = options.provider ?? 'anthropic';
  const blocks = new Map<number, OpenBlock>();
  const jsonTool = options.jsonTool;
  let toolCount = 0;
  let answeredJson = false;
  let started = false;
  let done = false;
  let inputUsage: Record<string, unknown> | null = null;
  let outputTokens: number | undefined;
  let finishReason: FinishReason = { unified: 'other', raw: null };

  const bad = (what: string): StreamEvent[] => {
    done = true;
    return [{ type: 'error', error: new GatewayError('upstream_bad_response', `Provider ${provider} stream: ${what}`, { provider }) }];
  };

  function handle(type: string, msg: Record<string, unknown>): StreamEvent[] {
    switch (type) {
      case 'message_start': {
        const message = msg['message'];
        if (!isRecord(message)) return bad('message_start without a message');
        if (isRecord(message['usage'])) inputUsage = message['usage'];
        started = true;
        const id = message['id'];
        const reported = decodeUsage(inputUsage ?? {});
        const input = {
          inputTokens: reported.inputTokens,
          ...(reported.cacheReadTokens !== undefined ? { cacheReadTokens: reported.cacheReadTokens } : {}),
          ...(reported.cacheWriteTokens !== undefined ? { cacheWriteTokens: reported.cacheWriteTokens } : {}),
        };
        return [
          {
            type: 'start',
            ...(typeof id === 'string' ? { id } : {}),
            ...(options.warnings !== undefined && options.warnings.length > 0 ? { warnings: options.warnings } : {}),
            ...(inputUsage !== null && optionalNumber(inputUsage['input_tokens']) !== undefined ? { usage: input } : {}),
          },
        ];
      }
      case 'content_block_start': {
        const index = msg['index'];
        const block = msg['content_block'];
        if (typeof index !== 'number' || !isRecord(block)) return bad('malformed content_block_start');
        if (block['type'] === 'text') {
          const text = block['text'];
          if (jsonTool?.only === true) return [];
          return typeof text === 'string' && text !== '' ? [{ type: 'text-delta', text }] : [];
        }
        if (block['type'] === 'thinking') {
          blocks.set(index, {
            kind: 'thinking',
            signature: typeof block['signature'] === 'string' && block['signature'] !== '' ? block['signature'] : undefined,
          });
          const text = block['thinking'];
          return typeof text === 'string' && text !== '' ? [{ type: 'reasoning-delta', text }] : [];
        }
        if (block['type'] === 'redacted_thinking') {
          const data = block['data'];
          return typeof data === 'string' ? [{ type: 'reasoning-end', redactedData: data }] : bad('redacted_thinking block without data');
        }
        if (block['type'] !== 'tool_use') return [];
        const { id, name, input } = block;
        if (typeof id !== 'string' || typeof name !== 'string') return bad('tool_use block without id or name');
        if (jsonTool !== undefined && name === jsonTool.name) {
          answeredJson = true;
          const json: JsonBlock = { kind: 'json', buffer: '', sent: false };
          blocks.set(index, json);
          if (isRecord(input) && Object.keys(input).length > 0) json.buffer = JSON.stringify(input);
          return [];
        }
        const tool: ToolBlock = { kind: 'tool', toolIndex: toolCount++, sentArguments: false };
        blocks.set(index, tool);
        const out: StreamEvent[] = [{ type: 'tool-call-start', index: tool.toolIndex, id, name }];
        if (isRecord(input) && Object.keys(input).length > 0) {
          tool.sentArguments = true;
          out.push({ type: 'tool-call-delta', index: tool.toolIndex, argumentsDelta: JSON.stringify(input) });
        }
        return out;
      }
      case 'content_block_delta': {
        const delta = msg['delta'];
        if (!isRecord(delta)) return bad('content_block_delta without a delta');
        if (delta['type'] === 'text_delta') {
          const text = delta['text'];
          if (typeof text !== 'string') return bad('text_delta without text');
          // Prose beside the forced JSON tool would break the client's JSON.parse.
          return text === '' || jsonTool?.only === true ? [] : [{ type: 'text-delta', text }];
        }
        const block = typeof msg['index'] === 'number' ? blocks.get(msg['index']) : undefined;
        if (delta['type'] === 'input_json_delta') {
          const partial = delta['partial_json'];
          if (block === undefined || block.kind === 'thinking' || typeof partial !== 'string') return bad('input_json_delta outside a tool_use block');
          if (partial === '') return [];
          if (block.kind === 'json') {
            if (jsonTool?.wrapped === true) {
              block.buffer += partial;
              return [];
            }
            block.sent = true;
            return [{ type: 'text-delta', text: partial }];
          }
          block.sentArguments = true;
          return [{ type: 'tool-call-delta', index: block.toolIndex, argumentsDelta: partial }];
        }
        if (delta['type'] === 'thinking_delta') {
          const text = delta['thinking'];
          if (block?.kind !== 'thinking' || typeof text !== 'string') return bad('thinking_delta outside a thinking block');
          return text === '' ? [] : [{ type: 'reasoning-delta', text }];
        }
        if (delta['type'] === 'signature_delta') {
          const signature = delta['signature'];
          if (block?.kind !== 'thinking' || typeof signature !== 'string') return bad('signature_delta outside a thinking block');
          block.signature = (block.signature ?? '') + signature;
          return [];
        }
        return []; // citations_delta and deltas added after this adapter was written
      }
      case 'content_block_stop': {
        const index = msg['index'];
        const tool = typeof index === 'number' ? blocks.get(index) : undefined;
        if (tool === undefined) return [];
        blocks.delete(index as number);
        if (tool.kind === 'thinking') return [tool.signature !== undefined ? { type: 'reasoning-end', signature: tool.signature } : { type: 'reasoning-end' }];
        if (tool.kind === 'json') return jsonEnd(tool);
        // A tool without parameters streams no JSON at all; its arguments are still an object.
        const out: StreamEvent[] = tool.sentArguments ? [] : [{ type: 'tool-call-delta', index: tool.toolIndex, argumentsDelta: '{}' }];
        out.push({ type: 'tool-call-end', index: tool.toolIndex });
        return out;
      }
      case 'message_delta': {
        const delta = msg['delta'];
        if (isRecord(delta) && delta['stop_reason'] !== undefined) {
          finishReason = mapStopReason(delta['stop_reason']);
          // The forced JSON tool was the answer, not a call the client has to run.
          if (answeredJson && toolCount === 0 && finishReason.unified === 'tool-calls') finishReason = { unified: 'stop', raw: 'end_turn' };
        }
        const usage = msg['usage'];
        if (isRecord(usage)) {
          outputTokens = optionalNumber(usage['output_tokens']) ?? outputTokens;
          // Cumulative totals; present when the server knows them better than at message_start.
          if (optionalNumber(usage['input_tokens']) !== undefined) inputUsage = { ...inputUsage, ...withoutNulls(usage) };
        }
        return [];
      }
      case 'message_stop': {
        done = true;
        const usage: Usage | null = inputUsage === null && outputTokens === undefined ? null : decodeUsage(inputUsage ?? {}, outputTokens);
        return [{ type: 'finish', finishReason, usage }];
      }
      case 'error':
        done = true;
        return [{ type: 'error', error: mapAnthropicStreamError(provider, msg) }];
      default:
        return []; // ping, and event types added after this adapter was written
    }
  }

  function jsonEnd(block: JsonBlock): StreamEvent[] {
    if (jsonTool === undefined || (block.sent && !jsonTool.wrapped)) return [];
    let input: unknown = {};
    try {
      input = block.buffer === '' ? {} : JSON.parse(block.buffer);
    } catch {
      return bad('the JSON answer tool streamed input that is not JSON');
    }
    return [{ type: 'text-delta', text: jsonText(input, jsonTool) }];
  }

  return {
    push(event, data) {
      if (done) return [];
      let msg: unknown;
      try {
        msg = JSON.parse(data);
      } catch {
        return bad('an event whose data is not JSON');
      }
      if (!isRecord(msg)) return bad('an event whose data is not an object');
      const type = event ?? (typeof msg['type'] === 'string' ? msg['type'] : '');
      if (!started && NEEDS_START.has(type)) return bad(`${type} before message_start`);
      return handle(type, msg);
    },
    end() {
      if (done) return [];
      return bad('ended before message_stop');
    },
  };
}

function withoutNulls(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== null && v !== undefined));
}
