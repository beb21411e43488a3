/**
 * Client-facing edge: canonical StreamEvents → OpenAI `chat.completion.chunk` SSE text, ready to
 * write. One encoder per response; it remembers whether the role was sent and whether any tool
 * call was made (for the finish_reason).
 */
import type { GatewayError } from '../../errors.js';
import type { StreamEvent } from '../canonical.js';
import type { StreamEncoder } from '../client-format.js';
import { encodeOpenAIError } from './encode-error.js';
import { usageFor } from './encode-result.js';
import { finishReasonToOpenAI } from './finish-reason.js';
import type { OpenAIChatCompletionChunk, OpenAIFinishReason } from './wire.js';

type Delta = OpenAIChatCompletionChunk['choices'][number]['delta'];

export interface OpenAIStreamMeta {
  readonly id: string;
  readonly model: string;
  /** Unix seconds. */
  readonly created: number;
  /** The client asked for `stream_options.include_usage`. */
  readonly includeUsage: boolean;
  /** OpenRouter's shape (/api/v1): the last chunk always carries usage with `cost`; reasoning also as `reasoning`. */
  readonly openrouter?: boolean;
  /** What the answer cost (micro-dollars); read when the finish is encoded (the charge is settled by then). */
  readonly costMicros?: () => number;
}

function sse(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

export class OpenAIStreamEncoder implements StreamEncoder {
  private roleSent = false;
  private sawToolCall = false;
  private finished = false;
  /** The bytes around a text delta's JSON string (built on first use). */
  private textFrame: readonly [string, string] | undefined;

  /** OpenAI sends the usage chunk only when asked; OpenRouter always does. */
  private readonly withUsage: boolean;

  constructor(private readonly meta: OpenAIStreamMeta) {
    this.withUsage = meta.includeUsage || meta.openrouter === true;
  }

  encode(ev: StreamEvent): string {
    if (this.finished) return '';
    switch (ev.type) {
      case 'start':
        return this.roleSent ? '' : this.chunk({ content: '' });
      case 'text-delta':
        if (ev.text === '') return '';
        return this.roleSent ? this.textChunk(ev.text) : this.chunk({ content: ev.text });
      case 'tool-call-start':
        this.sawToolCall = true;
        return this.chunk({
          tool_calls: [{ index: ev.index, id: ev.id, type: 'function', function: { name: ev.name, arguments: '' } }],
        });
      case 'tool-call-delta':
        return ev.argumentsDelta === '' ? '' : this.chunk({ tool_calls: [{ index: ev.index, function: { arguments: ev.argumentsDelta } }] });
      case 'reasoning-delta':
        if (ev.text === '') return '';
        return this.chunk(this.meta.openrouter === true ? { reasoning_content: ev.text, reasoning: ev.text } : { reasoning_content: ev.text });
      case 'tool-call-end':
      case 'reasoning-end':
        return '';
      case 'finish': {
        this.finished = true;
        let out = this.chunk({}, finishReasonToOpenAI(ev.finishReason, this.sawToolCall));
        if (this.withUsage) {
          const usageChunk: OpenAIChatCompletionChunk = { ...this.envelope(), choices: [], usage: usageFor(ev.usage, this.meta) };
          out += sse(usageChunk);
        }
        return out;
      }
      case 'error':
        return this.error(ev.error);
    }
  }

  done(): string {
    return 'data: [DONE]\n\n';
  }

  /** The ClientFormat StreamEncoder trailer: same as done(). */
  end(): string {
    return this.done();
  }

  /** What OpenAI-compatible servers send when a stream fails after its first byte. */
  error(err: GatewayError): string {
    this.finished = true;
    const { message, type, code } = encodeOpenAIError(err).body.error;
    return sse({ error: { message, type, code } });
  }

  /**
   * A text delta after the first chunk, by string: the same bytes chunk() produces (same keys,
   * same order), with only the text going through JSON.stringify. Streams are mostly these.
   */
  private textChunk(text: string): string {
    this.textFrame ??= this.buildTextFrame();
    return `${this.textFrame[0]}${JSON.stringify(text)}${this.textFrame[1]}`;
  }

  private buildTextFrame(): readonly [string, string] {
    const { id, created, model } = this.meta;
    const head = `data: {"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${JSON.stringify(created)},"model":${JSON.stringify(model)},"choices":[{"index":0,"delta":{"content":`;
    const tail = `},"logprobs":null,"finish_reason":null}]}\n\n`;
    return [head, tail];
  }

  private envelope(): Omit<OpenAIChatCompletionChunk, 'choices'> {
    return { id: this.meta.id, object: 'chat.completion.chunk', created: this.meta.created, model: this.meta.model };
  }

  private chunk(delta: Delta, finishReason: OpenAIFinishReason | null = null): string {
    const first = !this.roleSent;
    this.roleSent = true;
    const payload: OpenAIChatCompletionChunk = {
      ...this.envelope(),
      choices: [{ index: 0, delta: first ? { role: 'assistant', ...delta } : delta, logprobs: null, finish_reason: finishReason }],
      // OpenAI marks every chunk but the last with usage: null when usage was asked for; the field
      // is left out instead, because @openrouter/sdk rejects a null usage (optional, not nullable).
    };
    return sse(payload);
  }
}
