/**
 * Stream events in batches: one array per upstream read instead of one async step per event.
 * A burst of SSE events that arrived together (fast providers, or a buffered proxy in front of
 * one) then crosses the provider → gateway → route pipeline with one await per layer, not one
 * per event. Providers offer it through the optional Provider.streamBatches().
 */
import type { StreamEvent } from '../formats/canonical.js';
import { readSseBatches, type SseMessage } from './sse-parser.js';

/** A decoder that turns each SSE message's data into events, and flushes at the end. */
export interface SseDataDecoder {
  push(data: string): readonly StreamEvent[];
  end(): readonly StreamEvent[];
}

/**
 * Decodes each read's SSE messages into one batch. Events decoded before a decoding error in the
 * same read are yielded before the error is thrown, as a per-event stream would have delivered
 * them; empty batches are not yielded.
 */
export async function* decodeEventBatches(
  reads: AsyncIterable<readonly SseMessage[]>,
  decode: (message: SseMessage, out: StreamEvent[]) => void,
  end: (out: StreamEvent[]) => void,
): AsyncGenerator<StreamEvent[]> {
  for await (const messages of reads) {
    const out: StreamEvent[] = [];
    try {
      for (const message of messages) decode(message, out);
    } catch (err) {
      if (out.length > 0) yield out;
      throw err;
    }
    if (out.length > 0) yield out;
  }
  const tail: StreamEvent[] = [];
  try {
    end(tail);
  } catch (err) {
    if (tail.length > 0) yield tail;
    throw err;
  }
  if (tail.length > 0) yield tail;
}

/** decodeEventBatches over an SSE body for a decoder that needs only each message's data. */
export function decodeSseData(chunks: AsyncIterable<Uint8Array>, decoder: SseDataDecoder): AsyncGenerator<StreamEvent[]> {
  return decodeEventBatches(
    readSseBatches(chunks),
    (message, out) => {
      for (const ev of decoder.push(message.data)) out.push(ev);
    },
    (out) => {
      for (const ev of decoder.end()) out.push(ev);
    },
  );
}

/** The per-event view of a batched stream (what Provider.stream() yields). */
export async function* eventsOf(batches: AsyncIterable<readonly StreamEvent[]>): AsyncGenerator<StreamEvent> {
  for await (const batch of batches) for (const event of batch) yield event;
}

/** Batches of a stream that only yields events one by one: each event is its own batch. */
export async function* singleEventBatches(events: AsyncIterable<StreamEvent>): AsyncGenerator<readonly StreamEvent[]> {
  for await (const event of events) yield [event];
}
