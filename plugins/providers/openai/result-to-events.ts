import type { ChatResult, StreamEvent } from '../../../src/formats/canonical.js';

/** A whole ChatResult replayed as the stream events that would have produced it. */
export function resultToEvents(result: ChatResult): StreamEvent[] {
  const events: StreamEvent[] = [result.id !== undefined ? { type: 'start', id: result.id } : { type: 'start' }];
  let index = 0;
  for (const part of result.content) {
    if (part.type === 'text') {
      events.push({ type: 'text-delta', text: part.text });
      continue;
    }
    if (part.type === 'reasoning') {
      events.push({ type: 'reasoning-delta', text: part.text });
      events.push(part.signature !== undefined ? { type: 'reasoning-end', signature: part.signature } : { type: 'reasoning-end' });
      continue;
    }
    events.push({ type: 'tool-call-start', index, id: part.id, name: part.name });
    if (part.arguments !== '') events.push({ type: 'tool-call-delta', index, argumentsDelta: part.arguments });
    events.push({ type: 'tool-call-end', index });
    index++;
  }
  events.push({ type: 'finish', finishReason: result.finishReason, usage: result.usage });
  return events;
}
