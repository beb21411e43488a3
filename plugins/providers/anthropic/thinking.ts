/**
 * Canonical reasoning request → Anthropic `thinking` and `output_config.effort`, with the
 * constraints Anthropic enforces turned into warnings instead of upstream 400s.
 */
import type { ChatRequest, Message } from '../../../src/formats/canonical.js';
import type { AnthropicThinking } from './wire.js';

/** Budgets for an effort given without one (OpenAI `reasoning_effort`), as other gateways map it. */
const BUDGET: Record<string, number> = { minimal: 1024, low: 2048, medium: 8192, high: 16384, max: 32000 };
const MIN_BUDGET = 1024;

export interface ThinkingPlan {
  readonly thinking?: AnthropicThinking;
  readonly effort?: string;
}

export function planThinking(req: ChatRequest, forcedTool: boolean, warnings: string[]): ThinkingPlan {
  const r = req.reasoning;
  if (r === undefined) return {};
  const effort =
    r.effort !== undefined && (r.effortOnly === true || r.budgetTokens !== undefined || r.adaptive === true || !r.enabled) ? { effort: r.effort } : {};
  if (!r.enabled) return { thinking: { type: 'disabled' }, ...effort };
  if (r.effortOnly === true) return effort;

  let thinking: AnthropicThinking;
  if (r.adaptive === true) thinking = { type: 'adaptive' };
  else {
    const budget = Math.min(r.budgetTokens ?? BUDGET[r.effort ?? 'medium'] ?? 8192, req.maxTokens - 1);
    if (budget < MIN_BUDGET) {
      warnings.push(`thinking not enabled: Anthropic needs a budget of at least ${MIN_BUDGET} tokens below max_tokens (${req.maxTokens})`);
      return {};
    }
    thinking = { type: 'enabled', budget_tokens: budget };
  }
  if (forcedTool) {
    warnings.push('thinking not enabled: structured output on this model uses a forced tool, which Anthropic does not allow with thinking');
    return {};
  }
  if (unsignedToolTurn(req.messages)) {
    warnings.push('thinking not enabled: the last assistant tool call came without its signed thinking block, which Anthropic requires');
    return {};
  }
  return { thinking, ...effort };
}

/** A tool loop is under way and its assistant turn carries no thinking block Anthropic can verify. */
function unsignedToolTurn(messages: readonly Message[]): boolean {
  if (messages.at(-1)?.role !== 'tool') return false;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role !== 'assistant') continue;
    const calls = m.content.some((p) => p.type === 'tool-call');
    const signed = m.content.some((p) => p.type === 'reasoning' && (p.signature !== undefined || p.redactedData !== undefined));
    return calls && !signed;
  }
  return false;
}
