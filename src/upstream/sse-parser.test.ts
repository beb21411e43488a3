import { describe, expect, it } from 'vitest';
import { readSseBatches, SseParser, type SseMessage } from './sse-parser.js';

async function* from(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield new TextEncoder().encode(part);
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('readSseBatches', () => {
  it('yields the messages each chunk completes as one batch, and skips chunks that complete none', async () => {
    const batches = await collect(readSseBatches(from('data: a\n\ndata: b\n\nda', 'ta: c', '\n\nevent: e\ndata: d\n\n')));
    expect(batches).toEqual<SseMessage[][]>([
      [
        { event: undefined, data: 'a' },
        { event: undefined, data: 'b' },
      ],
      [
        { event: undefined, data: 'c' },
        { event: 'e', data: 'd' },
      ],
    ]);
  });

  it('flushes a last message that has no blank line after it', async () => {
    expect(await collect(readSseBatches(from('data: x\n\ndata: tail')))).toEqual([[{ event: undefined, data: 'x' }], [{ event: undefined, data: 'tail' }]]);
  });

  it('keeps every message across batches, in order', async () => {
    const messages = (await collect(readSseBatches(from('data: a\r\n\r\ndata: b\n', '\n: comment\ndata: c\ndata: d\n\n')))).flat();
    expect(messages.map((m) => m.data)).toEqual(['a', 'b', 'c\nd']);
  });
});

describe('SseParser line rules', () => {
  const parse = (...parts: string[]) => {
    const parser = new SseParser();
    return [...parts.flatMap((p) => parser.push(p)), ...parser.end()];
  };

  it('accepts LF, CRLF and CR line ends, also when a CRLF is split between chunks', () => {
    const expected = [
      { event: undefined, data: 'a' },
      { event: 'e', data: 'b' },
    ];
    expect(parse('data: a\n\nevent: e\ndata: b\n\n')).toEqual(expected);
    expect(parse('data: a\r\n\r\nevent: e\r\ndata: b\r\n\r\n')).toEqual(expected);
    expect(parse('data: a\r\revent: e\rdata: b\r\r')).toEqual(expected);
    expect(parse('data: a\r', '\n\r', '\nevent: e\r\ndata: b\r\n\r\n')).toEqual(expected);
  });

  it('joins data lines with LF, keeps a value without the space, ignores comments and other fields', () => {
    expect(parse(': ping\nid: 7\nretry: 10\ndata:x\ndata:  y\ndata\n\n')).toEqual([{ event: undefined, data: 'x\n y\n' }]);
    expect(parse('datum: no\nevents: no\n\n')).toEqual([]);
  });

  it('dispatches an empty data line but not a message without data', () => {
    expect(parse('data:\n\nevent: only\n\n')).toEqual([{ event: undefined, data: '' }]);
  });

  it('decodes UTF-8 split inside a character', () => {
    const bytes = new TextEncoder().encode('data: 🚀\n\n');
    const parser = new SseParser();
    expect([...parser.push(bytes.slice(0, 8)), ...parser.push(bytes.slice(8))]).toEqual([{ event: undefined, data: '🚀' }]);
  });
});
