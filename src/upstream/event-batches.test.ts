import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../formats/canonical.js';
import { decodeEventBatches, decodeSseData, eventsOf, singleEventBatches } from './event-batches.js';
import type { SseMessage } from './sse-parser.js';

async function* reads(...batches: string[][]): AsyncGenerator<readonly SseMessage[]> {
  for (const batch of batches) yield batch.map((data) => ({ event: undefined, data }));
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

/** "boom" fails to decode; "x" decodes to nothing; anything else is a text delta. */
function decode(message: SseMessage, out: StreamEvent[]): void {
  if (message.data === 'boom') throw new Error('bad chunk');
  if (message.data !== 'x') out.push({ type: 'text-delta', text: message.data });
}

const text = (t: string): StreamEvent => ({ type: 'text-delta', text: t });

describe('decodeEventBatches', () => {
  it('yields one batch per read and skips reads that decode to nothing', async () => {
    const batches = await collect(decodeEventBatches(reads(['a', 'b'], ['x'], ['c']), decode, (out) => out.push(text('end'))));
    expect(batches).toEqual([[text('a'), text('b')], [text('c')], [text('end')]]);
  });

  it('delivers the events decoded before an error in the same read, then throws it', async () => {
    const seen: StreamEvent[][] = [];
    const failure = await (async () => {
      for await (const batch of decodeEventBatches(reads(['a'], ['b', 'c', 'boom', 'd']), decode, () => {})) seen.push(batch);
    })().then(
      () => null,
      (err: unknown) => err,
    );
    expect(seen).toEqual([[text('a')], [text('b'), text('c')]]);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toBe('bad chunk');
  });

  it('delivers what end() decoded before it throws', async () => {
    const batches: StreamEvent[][] = [];
    const failure = await (async () => {
      for await (const batch of decodeEventBatches(reads(['a']), decode, (out) => {
        out.push(text('tail'));
        throw new Error('ended early');
      }))
        batches.push(batch);
    })().then(
      () => null,
      (err: unknown) => err,
    );
    expect(batches).toEqual([[text('a')], [text('tail')]]);
    expect((failure as Error).message).toBe('ended early');
  });
});

describe('eventsOf / singleEventBatches', () => {
  it('flatten batches into events and wrap events into batches of one', async () => {
    const events = await collect(eventsOf(decodeEventBatches(reads(['a', 'b'], ['c']), decode, () => {})));
    expect(events).toEqual([text('a'), text('b'), text('c')]);
    expect(await collect(singleEventBatches(eventsOf(decodeEventBatches(reads(['a', 'b']), decode, () => {}))))).toEqual([[text('a')], [text('b')]]);
  });
});

describe('decodeSseData', () => {
  it('decodes the data of each read into one batch, then what end() flushes', async () => {
    async function* body(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode('data: a\n\ndata: b\n\nda');
      yield new TextEncoder().encode('ta: c\n\n');
    }
    const decoder = { push: (data: string) => [text(data)], end: () => [text('end')] };
    expect(await collect(decodeSseData(body(), decoder))).toEqual([[text('a'), text('b')], [text('c')], [text('end')]]);
  });
});
