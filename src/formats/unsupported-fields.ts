/**
 * Warnings for request fields only Anthropic understands, shared by the providers that cannot
 * send them (the openai and gemini providers): the client learns what did not reach the model.
 */
import type { ChatRequest } from './canonical.js';

export function anthropicOnlyWarnings(req: ChatRequest, provider: string): string[] {
  const warnings: string[] = [];
  const a = req.anthropic;
  if (a?.betas !== undefined && a.betas.length > 0) warnings.push(`${provider}: anthropic-beta ${a.betas.join(',')} not sent (not an Anthropic provider)`);
  if (a?.contextManagement !== undefined) warnings.push(`${provider}: context_management ignored (Anthropic only)`);
  const extra = Object.keys(a?.extra ?? {});
  if (extra.length > 0) warnings.push(`${provider}: ${extra.join(', ')} ignored (Anthropic only)`);
  const fields = new Set<string>();
  for (const t of req.tools ?? []) for (const k of Object.keys(t.anthropic ?? {})) fields.add(`tools[].${k}`);
  for (const m of req.messages) if (m.role === 'system') for (const k of Object.keys(m.anthropic ?? {})) fields.add(`system turn ${k}`);
  if (fields.size > 0) warnings.push(`${provider}: ${[...fields].join(', ')} ignored (Anthropic only)`);
  if (usesCacheControl(req)) warnings.push(`${provider}: cache_control breakpoints dropped (this provider caches prompts on its own, if at all)`);
  return warnings;
}

export function usesCacheControl(req: ChatRequest): boolean {
  if (req.tools?.some((t) => t.cacheControl !== undefined)) return true;
  return req.messages.some((m) => m.content.some((p) => 'cacheControl' in p && p.cacheControl !== undefined));
}

/** System messages after the first non-system one (they sit mid-conversation). */
export function midConversationSystemCount(req: ChatRequest): number {
  let seenOther = false;
  let count = 0;
  for (const m of req.messages) {
    if (m.role !== 'system') seenOther = true;
    else if (seenOther) count++;
  }
  return count;
}
