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
  /** The data lines of the message being read, joined by "\n"; undefined before the first. */
  private data: string | undefined;
  private readonly decoder = new TextDecoder();

  /** Feed bytes; returns the messages completed by them. */
  push(chunk: Uint8Array | string): SseMessage[] {
    const buffer = this.buffer + (typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true }));
    const out: SseMessage[] = [];
    let start = 0;
    if (buffer.indexOf('\r') === -1) {
      // LF-only (what providers send): native indexOf, no per-line bookkeeping.
      for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n', start)) {
        this.line(buffer.slice(start, nl), out);
        start = nl + 1;
      }
    } else {
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer.charCodeAt(i);
        if (c !== 10 && c !== 13) continue;
        if (c === 13 && i + 1 >= buffer.length) break; // wait: could be CRLF split across chunks
        this.line(buffer.slice(start, i), out);
        if (c === 13 && buffer.charCodeAt(i + 1) === 10) i++;
        start = i + 1;
      }
    }
    this.buffer = start === 0 ? buffer : buffer.slice(start);
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

  private line(line: string, out: SseMessage[]): void {
    if (line === '') {
      if (this.data !== undefined) out.push({ event: this.event, data: this.data });
      this.data = undefined;
      this.event = undefined;
      return;
    }
    if (line.charCodeAt(0) === 58) return; // ":" comment
    const colon = line.indexOf(':');
    const fieldLength = colon === -1 ? line.length : colon;
    // Compared in place: slicing out the field name would allocate a string per line.
    const isData = fieldLength === 4 && line.startsWith('data');
    if (!isData && !(fieldLength === 5 && line.startsWith('event'))) return;
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (isData) this.data = this.data === undefined ? value : `${this.data}\n${value}`;
    else this.event = value;
  }
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
