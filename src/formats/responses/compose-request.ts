/**
 * The canonical request of one Responses turn: `instructions` as the system message, then the
 * stored conversation of previous_response_id (its input and output items), then the new input.
 * Also returns the items to store with this turn's response, so the next turn can continue it.
 */
import type { ChatRequest, JsonValue, Message } from '../canonical.js';
import { invalid } from '../openai/fields.js';
import { decodeInput, newInputContext } from './decode-input.js';
import type { DecodedResponsesRequest } from './decode-request.js';

export interface PreviousTurn {
  readonly inputItems: readonly JsonValue[];
  readonly outputItems: readonly JsonValue[];
}

export interface ComposedRequest {
  readonly request: ChatRequest;
  /** The conversation before this turn's answer, as input items (what is stored). */
  readonly inputItems: readonly JsonValue[];
}

function asItems(input: unknown): JsonValue[] {
  if (typeof input === 'string') return [{ type: 'message', role: 'user', content: input }];
  return input as JsonValue[];
}

export function composeRequest(decoded: DecodedResponsesRequest, previous: PreviousTurn | undefined): ComposedRequest {
  const ctx = newInputContext(decoded.warnings);
  const history = previous ? [...previous.inputItems, ...previous.outputItems] : [];
  const messages: Message[] = [];
  if (decoded.instructions !== undefined && decoded.instructions !== '')
    messages.push({ role: 'system', content: [{ type: 'text', text: decoded.instructions }] });
  // Stored items were validated when they were first sent (or produced here).
  if (history.length > 0) messages.push(...decodeInput(history, 'previous_response', ctx));
  messages.push(...decodeInput(decoded.input, 'input', ctx));
  if (!messages.some((m) => m.role !== 'system')) throw invalid('input', 'has no message, tool output or reasoning to answer');
  return { request: { ...decoded.params, messages }, inputItems: [...history, ...asItems(decoded.input)] };
}
