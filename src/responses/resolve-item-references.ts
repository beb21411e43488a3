/**
 * `{type:"item_reference", id}` input items → the stored output items they name. The AI SDK
 * sends its earlier assistant text and reasoning this way when responses are stored (its
 * default). An item id embeds its response's id, so one lookup per referenced response; an
 * unknown id, or another account's, is a 404 like an unknown previous_response_id.
 */
import { GatewayError } from '../errors.js';
import type { JsonValue } from '../formats/canonical.js';
import { responseIdOfItem } from '../formats/responses/ids.js';
import type { ResponseStore, StoredResponse } from './response-store.js';

function isReference(item: unknown): item is { type: 'item_reference'; id: string } {
  return (
    typeof item === 'object' && item !== null && (item as { type?: unknown }).type === 'item_reference' && typeof (item as { id?: unknown }).id === 'string'
  );
}

export async function resolveItemReferences(input: unknown, store: ResponseStore, accountId: string): Promise<unknown> {
  if (!Array.isArray(input) || !input.some(isReference)) return input;
  const responses = new Map<string, StoredResponse | undefined>();
  const out: unknown[] = [];
  for (const item of input) {
    if (!isReference(item)) {
      out.push(item);
      continue;
    }
    const responseId = responseIdOfItem(item.id);
    if (responseId !== undefined && !responses.has(responseId)) responses.set(responseId, await store.get(responseId, accountId));
    const stored = responseId !== undefined ? responses.get(responseId) : undefined;
    const found = stored?.outputItems.find((o: JsonValue) => typeof o === 'object' && o !== null && !Array.isArray(o) && o['id'] === item.id);
    if (found === undefined) throw new GatewayError('not_found', `No stored item with id ${JSON.stringify(item.id.slice(0, 100))}`);
    out.push(found);
  }
  return out;
}
