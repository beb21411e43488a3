/**
 * Prepends a conversation's stored turns to a new request, trimmed from the oldest so the
 * prompt plus the answer budget fits the context window. The model is not chosen yet (the
 * router picks it, possibly falling back), so the window is the smallest among the models the
 * request may be sent to: the requested model and its fallbacks, or the classified category's
 * candidates under auto routing.
 */
import type { Message } from '../formats/canonical.js';
import { categoryRoute, classifyRequest } from '../gateway/router.js';
import type { Runtime } from '../gateway/runtime.js';
import { estimateMessageTokens, estimatePromptTokens } from '../gateway/token-estimate.js';
import type { StoredTurn } from './conversation-store.js';

/** Head-room for the estimate's error and provider-side formatting tokens. */
const SAFETY_MARGIN = 0.05;

export interface HistoryInput {
  /** What the client asked for: a model id, an alias or "auto". */
  readonly model: string;
  readonly system: readonly Message[];
  readonly turns: readonly Message[];
  readonly maxTokens: number;
}

function toMessage(turn: StoredTurn): Message {
  return { role: turn.role, content: [{ type: 'text', text: turn.content }] };
}

function smallestWindow(runtime: Runtime, ids: readonly string[]): number | undefined {
  let min: number | undefined;
  for (const id of ids) {
    const m = runtime.models.get(id);
    if (m && (min === undefined || m.contextWindow < min)) min = m.contextWindow;
  }
  return min;
}

/** The smallest context window among the models this request may be routed to. */
export async function routeContextWindow(runtime: Runtime, input: HistoryInput): Promise<number | undefined> {
  if (input.model !== 'auto' && input.model !== '') {
    const id = runtime.resolveModelId(input.model);
    if (id === undefined) return undefined; // the router rejects it with model_not_found
    const fallbacks = runtime.models.get(id)!.fallbacks.flatMap((f) => {
      const fid = runtime.resolveModelId(f);
      return fid === undefined ? [] : [fid];
    });
    return smallestWindow(runtime, [id, ...fallbacks]);
  }
  const classification = await classifyRequest(runtime, { messages: input.turns });
  return smallestWindow(
    runtime,
    categoryRoute(runtime, classification.category).models.map((m) => m.id),
  );
}

/** The newest turns that fit `budget` tokens, oldest first, starting with a user turn. */
export function fitTurns(history: readonly StoredTurn[], budget: number): Message[] {
  const kept: Message[] = [];
  let used = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const message = toMessage(history[i]!);
    const tokens = estimateMessageTokens(message);
    if (used + tokens > budget) break;
    used += tokens;
    kept.push(message);
  }
  kept.reverse();
  // Several providers want the first non-system message to be the user's.
  while (kept[0]?.role === 'assistant') kept.shift();
  return kept;
}

/** system → trimmed history → the client's new turns. */
export async function withHistory(runtime: Runtime, input: HistoryInput, history: readonly StoredTurn[]): Promise<Message[]> {
  const fresh = [...input.system, ...input.turns];
  if (history.length === 0) return fresh;
  const all = history.map(toMessage);
  const needed = estimatePromptTokens({ messages: [...fresh, ...all] }) + input.maxTokens;
  const anyWindow = smallestWindow(runtime, [...runtime.models.keys()]);
  // Classifying again is only worth it when trimming may be needed.
  const window = anyWindow !== undefined && needed <= anyWindow * (1 - SAFETY_MARGIN) ? anyWindow : await routeContextWindow(runtime, input);
  if (window === undefined) return [...input.system, ...all, ...input.turns];
  const budget = Math.floor(window * (1 - SAFETY_MARGIN)) - input.maxTokens - estimatePromptTokens({ messages: fresh });
  return [...input.system, ...fitTurns(history, Math.max(0, budget)), ...input.turns];
}
