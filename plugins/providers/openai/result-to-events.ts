import type { ChatResult, StreamEvent } from '../../../src/formats/canonical.js';

/** A whole ChatResult replayed as the stream events that would have produced it. */
export function resultToEvents(result: ChatResult): StreamEvent[] {
  const events: StreamEvent[] = [
    {
      type: 'start',
      ...(result.id !== undefined ? { id: result.id } : {}),
      ...(result.warnings !== undefined && result.warnings.length > 0 ? { warnings: result.warnings } : {}),
    },
  ];
  let index = 0;
  for (const part of result.content) {
    if (part.type === 'text') {
      events.push({ type: 'text-delta', text: part.text });
      continue;
    }
    if (part.type === 'reasoning') {
      if (part.text !== '') events.push({ type: 'reasoning-delta', text: part.text });
      events.push({
        type: 'reasoning-end',
        ...(part.signature !== undefined ? { signature: part.signature } : {}),
        ...(part.redactedData !== undefined ? { redactedData: part.redactedData } : {}),
      });
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
