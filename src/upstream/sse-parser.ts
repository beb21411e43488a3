/**
 * Incremental Server-Sent-Events parser (WHATWG rules: `event:`/`data:` fields, multi-line
 * data joined by "\n", blank line dispatches, comments ignored, CR/LF/CRLF line ends).
 */
export interface SseMessage {
  readonly event: string | undefined;
  readonly data: string;
}

export class SseParser {
  private buffer = '';
  private event: string | undefined;
  private data: string[] = [];
  private readonly decoder = new TextDecoder();

  /** Feed bytes; returns the messages completed by them. */
  push(chunk: Uint8Array | string): SseMessage[] {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const out: SseMessage[] = [];
    let start = 0;
    for (;;) {
      const nl = this.findLineEnd(start);
      if (nl === -1) break;
      const line = this.buffer.slice(start, nl.index);
      start = nl.next;
      this.line(line, out);
    }
    this.buffer = this.buffer.slice(start);
    return out;
  }

  /** Flush a final message that was not followed by a blank line. */
  end(): SseMessage[] {
    const out: SseMessage[] = [];
    if (this.buffer.length > 0) this.line(this.buffer, out);
    this.buffer = '';
    this.line('', out);
    return out;
  }

  private findLineEnd(from: number): { index: number; next: number } | -1 {
    for (let i = from; i < this.buffer.length; i++) {
      const c = this.buffer.charCodeAt(i);
      if (c === 10) return { index: i, next: i + 1 };
      if (c === 13) {
        if (i + 1 >= this.buffer.length) return -1; // wait: could be CRLF split across chunks
        return { index: i, next: this.buffer.charCodeAt(i + 1) === 10 ? i + 2 : i + 1 };
      }
    }
    return -1;
  }

  private line(line: string, out: SseMessage[]): void {
    if (line === '') {
      if (this.data.length > 0) out.push({ event: this.event, data: this.data.join('\n') });
      this.data = [];
      this.event = undefined;
      return;
    }
    if (line.charCodeAt(0) === 58) return; // ":" comment
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
  }
}

export async function* readSse(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<SseMessage> {
  for await (const batch of readSseBatches(chunks)) yield* batch;
}

/**
 * The messages completed by each chunk, as one array: a consumer that handles them in a plain
 * loop pays one async step per upstream read instead of one per message.
 */
export async function* readSseBatches(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<readonly SseMessage[]> {
  const parser = new SseParser();
  for await (const chunk of chunks) {
    const messages = parser.push(chunk);
    if (messages.length > 0) yield messages;
  }
  const rest = parser.end();
  if (rest.length > 0) yield rest;
}
