import { describe, expect, it } from 'vitest';
import { readSse, readSseBatches, type SseMessage } from './sse-parser.js';

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

  it('readSse yields the same messages one by one', async () => {
    const messages = await collect(readSse(from('data: a\r\n\r\ndata: b\n', '\n: comment\ndata: c\ndata: d\n\n')));
    expect(messages.map((m) => m.data)).toEqual(['a', 'b', 'c\nd']);
  });
});
