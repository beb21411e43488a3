/**
 * A reasoning item's `encrypted_content`: Switchboard's opaque carrier for what a provider needs
 * back on the next turn (Anthropic's thinking signature, or a redacted_thinking block's data).
 * Clients treat it as opaque, as they do OpenAI's; a value Switchboard did not make is ignored
 * (the reasoning text still goes back, without a signature).
 */
const PREFIX = 'sbr1.';

export interface ReasoningSeal {
  readonly signature?: string;
  readonly redactedData?: string;
}

export function sealReasoning(seal: ReasoningSeal): string | undefined {
  if (seal.signature === undefined && seal.redactedData === undefined) return undefined;
  const payload = { ...(seal.signature !== undefined ? { s: seal.signature } : {}), ...(seal.redactedData !== undefined ? { r: seal.redactedData } : {}) };
  return PREFIX + Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

export function openReasoning(token: string): ReasoningSeal {
  if (!token.startsWith(PREFIX)) return {};
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token.slice(PREFIX.length), 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return {};
    const { s, r } = parsed as { s?: unknown; r?: unknown };
    return { ...(typeof s === 'string' ? { signature: s } : {}), ...(typeof r === 'string' ? { redactedData: r } : {}) };
  } catch {
    return {};
  }
}
