/**
 * Canonical StreamEvents → Anthropic SSE, in the order the real API sends them: message_start,
 * ping, one content block at a time (start / deltas / stop) with increasing indexes,
 * message_delta, message_stop. message_start carries the provider's input usage when its `start`
 * event reported it (Anthropic upstreams do), the gateway's estimate otherwise; message_delta
 * carries the final usage, input included.
 */
import type { GatewayError } from '../../errors.js';
import type { StreamEvent, Usage } from '../canonical.js';
import { encodeAnthropicError } from './encode-error.js';
import { anthropicMessageId, anthropicStopReason, anthropicUsage } from './encode-result.js';

export interface AnthropicStreamMeta {
  readonly id: string;
  readonly model: string;
  readonly inputTokens: number;
}

function frame(event: string, data: object): string {
  return `event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`;
}

export class AnthropicStreamEncoder {
  private started = false;
  private finished = false;
  private nextBlock = 0;
  /** The block currently open, if any. */
  private open: { index: number; kind: 'text' | 'thinking' } | { index: number; kind: 'tool'; tool: number } | null = null;
  /** Input usage the provider reported at the start. */
  private startUsage: Pick<Usage, 'inputTokens' | 'cacheReadTokens' | 'cacheWriteTokens'> | undefined;
  /** Canonical tool-call index → Anthropic content block index. */
  private readonly toolBlocks = new Map<number, number>();

  constructor(private readonly meta: AnthropicStreamMeta) {}

  encode(ev: StreamEvent): string {
    if (this.finished) return '';
    let out = ev.type === 'start' || ev.type === 'error' ? '' : this.start();
    switch (ev.type) {
      case 'start':
        if (ev.usage !== undefined) this.startUsage = ev.usage;
        return this.start();
      case 'text-delta':
        if (ev.text === '') return out;
        if (this.open?.kind !== 'text') {
          out += this.closeBlock();
          out += this.openBlock({ type: 'text', text: '' });
          this.open = { index: this.nextBlock++, kind: 'text' };
        }
        return out + frame('content_block_delta', { index: this.open.index, delta: { type: 'text_delta', text: ev.text } });
      case 'reasoning-delta': {
        if (ev.text === '') return out;
        const { frames, index } = this.thinkingBlock();
        return out + frames + frame('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: ev.text } });
      }
      case 'reasoning-end': {
        if (ev.redactedData !== undefined) {
          out += this.closeBlock() + this.openBlock({ type: 'redacted_thinking', data: ev.redactedData });
          return out + frame('content_block_stop', { index: this.nextBlock++ });
        }
        if (ev.signature !== undefined) {
          const { frames, index } = this.thinkingBlock();
          out += frames + frame('content_block_delta', { index, delta: { type: 'signature_delta', signature: ev.signature } });
        }
        return this.open?.kind === 'thinking' ? out + this.closeBlock() : out;
      }
      case 'tool-call-start':
        out += this.closeBlock();
        out += this.openBlock({ type: 'tool_use', id: ev.id, name: ev.name, input: {} });
        this.toolBlocks.set(ev.index, this.nextBlock);
        this.open = { index: this.nextBlock++, kind: 'tool', tool: ev.index };
        return out;
      case 'tool-call-delta': {
        // A delta for a tool call whose block was already closed (providers that interleave
        // parallel calls) still goes to that block's index, where SDK accumulators expect it.
        const index = this.toolBlocks.get(ev.index);
        if (index === undefined || ev.argumentsDelta === '') return out;
        return out + frame('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: ev.argumentsDelta } });
      }
      case 'tool-call-end':
        if (this.open?.kind === 'tool' && this.open.tool === ev.index) out += this.closeBlock();
        return out;
      case 'finish': {
        out += this.closeBlock();
        this.finished = true;
        const usage = anthropicUsage(ev.usage ?? this.startUsage ?? { inputTokens: this.meta.inputTokens });
        return (
          out +
          frame('message_delta', {
            delta: { stop_reason: anthropicStopReason(ev.finishReason), stop_sequence: null },
            usage,
          }) +
          frame('message_stop', {})
        );
      }
      case 'error':
        return this.error(ev.error);
    }
  }

  /** The last frame of a stream that failed after its first byte. */
  error(err: GatewayError): string {
    this.finished = true;
    const { body } = encodeAnthropicError(err);
    return `event: error\ndata: ${JSON.stringify(body)}\n\n`;
  }

  /** Anthropic streams have no trailer after message_stop. */
  end(): string {
    return '';
  }

  private start(): string {
    if (this.started) return '';
    this.started = true;
    const message = {
      id: anthropicMessageId(this.meta.id),
      type: 'message',
      role: 'assistant',
      model: this.meta.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: anthropicUsage(this.startUsage ?? { inputTokens: this.meta.inputTokens }),
    };
    return frame('message_start', { message }) + frame('ping', {});
  }

  /** The open thinking block's index, opening one (frames to write first) if needed. */
  private thinkingBlock(): { frames: string; index: number } {
    if (this.open?.kind === 'thinking') return { frames: '', index: this.open.index };
    const frames = this.closeBlock() + this.openBlock({ type: 'thinking', thinking: '', signature: '' });
    this.open = { index: this.nextBlock++, kind: 'thinking' };
    return { frames, index: this.open.index };
  }

  private openBlock(block: object): string {
    return frame('content_block_start', { index: this.nextBlock, content_block: block });
  }

  private closeBlock(): string {
    if (this.open === null) return '';
    const index = this.open.index;
    this.open = null;
    return frame('content_block_stop', { index });
  }
}
