/**
 * Canonical StreamEvents → the Responses API's typed SSE events, each with its
 * `sequence_number`: response.created, response.in_progress, then per output item
 * output_item.added … (content_part / output_text / reasoning_summary / function_call_arguments
 * events) … output_item.done, and last response.completed (response.incomplete when
 * length-limited; response.failed then error on a mid-stream failure).
 */
import type { GatewayError } from '../../errors.js';
import type { StreamEvent, Usage } from '../canonical.js';
import type { StreamEncoder } from '../client-format.js';
import { customInput, forClient, messageItem, reasoningItem, toolCallItem } from './encode-output.js';
import { buildResponse, responsesErrorOf, statusOf, type ResponseShell, type ResponseState } from './encode-response.js';
import { ItemIds } from './ids.js';
import type { ResponsesObject, ResponsesOutputItem } from './wire.js';

type Open =
  | { readonly kind: 'message'; readonly id: string; readonly outputIndex: number; text: string }
  | { readonly kind: 'reasoning'; readonly id: string; readonly outputIndex: number; text: string };

interface OpenCall {
  readonly id: string;
  readonly outputIndex: number;
  readonly callId: string;
  readonly name: string;
  readonly custom: boolean;
  args: string;
}

export class ResponsesStreamEncoder implements StreamEncoder {
  private seq = 0;
  private started = false;
  private finished = false;
  private open: Open | null = null;
  private readonly calls = new Map<number, OpenCall>();
  /** Output items by output index, sealed reasoning included (the stored form). */
  private readonly output: ResponsesOutputItem[] = [];
  private readonly ids: ItemIds;
  private finalState: ResponseState | null = null;

  constructor(
    private readonly shell: ResponseShell,
    private readonly clock: () => number,
  ) {
    this.ids = new ItemIds(shell.id);
  }

  encode(ev: StreamEvent): string {
    if (this.finished) return '';
    let out = this.prelude();
    switch (ev.type) {
      case 'start':
        return out;
      case 'text-delta':
        if (ev.text === '') return out;
        if (this.open?.kind !== 'message') out += this.closeOpen() + this.openMessage();
        return out + this.textDelta(ev.text);
      case 'reasoning-delta':
        if (ev.text === '') return out;
        if (this.open?.kind !== 'reasoning') out += this.closeOpen() + this.openReasoning();
        return out + this.reasoningDelta(ev.text);
      case 'reasoning-end':
        // A redacted block arrives as an end with no deltas; an empty unsigned one is nothing.
        if (this.open?.kind !== 'reasoning') {
          if (ev.signature === undefined && ev.redactedData === undefined) return out;
          out += this.closeOpen() + this.openReasoning();
        }
        return out + this.closeReasoning(ev.signature, ev.redactedData);
      case 'tool-call-start':
        return out + this.closeOpen() + this.openCall(ev.index, ev.id, ev.name);
      case 'tool-call-delta':
        return out + this.callDelta(ev.index, ev.argumentsDelta);
      case 'tool-call-end':
        return out + this.closeCall(ev.index);
      case 'finish':
        return out + this.finish(ev.usage, statusOf(ev.finishReason));
      case 'error':
        return out + this.error(ev.error);
    }
  }

  /** A failure after the first byte: response.failed (Codex reads it), then error (the SDK throws on it). */
  error(err: GatewayError): string {
    if (this.finished) return '';
    let out = this.prelude() + this.closeAll('incomplete');
    this.finished = true;
    const error = responsesErrorOf(err);
    this.finalState = { status: 'failed', output: [...this.output], error };
    out += this.event('response.failed', { response: buildResponse(this.shell, this.finalState) });
    out += this.event('error', { code: error.code, message: error.message, param: null });
    return out;
  }

  end(): string {
    return '';
  }

  /** The finished response object (undefined while streaming or when the stream broke off). */
  finalResponse(): ResponsesObject | undefined {
    return this.finalState === null ? undefined : buildResponse(this.shell, this.finalState);
  }

  /** Output items in their stored form (sealed reasoning kept). */
  storedOutput(): readonly ResponsesOutputItem[] {
    return this.output;
  }

  private event(type: string, body: Record<string, unknown>): string {
    return `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: this.seq++, ...body })}\n\n`;
  }

  private prelude(): string {
    if (this.started) return '';
    this.started = true;
    const response = buildResponse(this.shell, { status: 'in_progress', output: [] });
    return this.event('response.created', { response }) + this.event('response.in_progress', { response });
  }

  private added(item: ResponsesOutputItem, outputIndex: number): string {
    return this.event('response.output_item.added', { output_index: outputIndex, item: forClient(item, this.shell.includeEncryptedReasoning) });
  }

  private done(item: ResponsesOutputItem, outputIndex: number): string {
    this.output[outputIndex] = item;
    return this.event('response.output_item.done', { output_index: outputIndex, item: forClient(item, this.shell.includeEncryptedReasoning) });
  }

  private reserveIndex(placeholder: ResponsesOutputItem): number {
    this.output.push(placeholder);
    return this.output.length - 1;
  }

  private openMessage(): string {
    const id = this.ids.next('msg');
    const item = { ...messageItem(id, '', 'in_progress'), content: [] };
    const outputIndex = this.reserveIndex(item);
    this.open = { kind: 'message', id, outputIndex, text: '' };
    return (
      this.added(item, outputIndex) +
      this.event('response.content_part.added', {
        item_id: id,
        output_index: outputIndex,
        content_index: 0,
        part: { type: 'output_text', text: '', annotations: [], logprobs: [] },
      })
    );
  }

  private textDelta(text: string): string {
    const open = this.open as Extract<Open, { kind: 'message' }>;
    open.text += text;
    return this.event('response.output_text.delta', { item_id: open.id, output_index: open.outputIndex, content_index: 0, delta: text, logprobs: [] });
  }

  private closeMessage(status: 'completed' | 'incomplete'): string {
    const open = this.open as Extract<Open, { kind: 'message' }>;
    this.open = null;
    const where = { item_id: open.id, output_index: open.outputIndex, content_index: 0 };
    const item = messageItem(open.id, open.text, status);
    return (
      this.event('response.output_text.done', { ...where, text: open.text, logprobs: [] }) +
      this.event('response.content_part.done', { ...where, part: item.content[0] }) +
      this.done(item, open.outputIndex)
    );
  }

  private openReasoning(): string {
    const id = this.ids.next('rs');
    const item = reasoningItem(id, { text: '' });
    const outputIndex = this.reserveIndex(item);
    this.open = { kind: 'reasoning', id, outputIndex, text: '' };
    return this.added(item, outputIndex);
  }

  private reasoningDelta(text: string): string {
    const open = this.open as Extract<Open, { kind: 'reasoning' }>;
    let out = '';
    if (open.text === '') {
      out += this.event('response.reasoning_summary_part.added', {
        item_id: open.id,
        output_index: open.outputIndex,
        summary_index: 0,
        part: { type: 'summary_text', text: '' },
      });
    }
    open.text += text;
    return out + this.event('response.reasoning_summary_text.delta', { item_id: open.id, output_index: open.outputIndex, summary_index: 0, delta: text });
  }

  private closeReasoning(signature?: string, redactedData?: string): string {
    const open = this.open as Extract<Open, { kind: 'reasoning' }>;
    this.open = null;
    let out = '';
    if (open.text !== '') {
      const where = { item_id: open.id, output_index: open.outputIndex, summary_index: 0 };
      out += this.event('response.reasoning_summary_text.done', { ...where, text: open.text });
      out += this.event('response.reasoning_summary_part.done', { ...where, part: { type: 'summary_text', text: open.text } });
    }
    const seal = { ...(signature !== undefined ? { signature } : {}), ...(redactedData !== undefined ? { redactedData } : {}) };
    return out + this.done(reasoningItem(open.id, { text: open.text, ...seal }), open.outputIndex);
  }

  private closeOpen(status: 'completed' | 'incomplete' = 'completed'): string {
    if (this.open?.kind === 'message') return this.closeMessage(status);
    if (this.open?.kind === 'reasoning') return this.closeReasoning();
    return '';
  }

  private openCall(index: number, callId: string, name: string): string {
    const custom = this.shell.customTools.has(name);
    const id = this.ids.next(custom ? 'ctc' : 'fc');
    const item = toolCallItem(id, { id: callId, name, arguments: '' }, this.shell.customTools, 'in_progress');
    const outputIndex = this.reserveIndex(item);
    this.calls.set(index, { id, outputIndex, callId, name, custom, args: '' });
    return this.added(item, outputIndex);
  }

  private callDelta(index: number, delta: string): string {
    const call = this.calls.get(index);
    if (!call || delta === '') return '';
    call.args += delta;
    // A custom tool's input is a JSON string inside our arguments: it is sent whole at the end.
    if (call.custom) return '';
    return this.event('response.function_call_arguments.delta', { item_id: call.id, output_index: call.outputIndex, delta });
  }

  private closeCall(index: number, status: 'completed' | 'incomplete' = 'completed'): string {
    const call = this.calls.get(index);
    if (!call) return '';
    this.calls.delete(index);
    const item = toolCallItem(call.id, { id: call.callId, name: call.name, arguments: call.args }, this.shell.customTools, status);
    const where = { item_id: call.id, output_index: call.outputIndex };
    let out = '';
    if (call.custom) {
      const input = customInput(call.args);
      out += this.event('response.custom_tool_call_input.delta', { ...where, delta: input });
      out += this.event('response.custom_tool_call_input.done', { ...where, input });
    } else out += this.event('response.function_call_arguments.done', { ...where, name: call.name, arguments: call.args });
    return out + this.done(item, call.outputIndex);
  }

  private closeAll(status: 'completed' | 'incomplete'): string {
    let out = this.closeOpen(status);
    for (const index of [...this.calls.keys()]) out += this.closeCall(index, status);
    return out;
  }

  private finish(usage: Usage | null, outcome: ReturnType<typeof statusOf>): string {
    const out = this.closeAll(outcome.status === 'incomplete' ? 'incomplete' : 'completed');
    this.finished = true;
    this.finalState = {
      status: outcome.status,
      output: [...this.output],
      incomplete: outcome.incomplete,
      completedAt: Math.floor(this.clock() / 1000),
      ...(usage !== null ? { usage } : {}),
    };
    const type = outcome.status === 'incomplete' ? 'response.incomplete' : 'response.completed';
    return out + this.event(type, { response: buildResponse(this.shell, this.finalState) });
  }
}
