/**
 * Token estimate for providers that report no usage (and for reservations before a call):
 * about 4 characters per token for Latin text, one token per CJK character, never 0 for
 * non-empty text. Deliberately a slight over-estimate so reservations cover the real cost.
 */
import type { ChatRequest, Message } from '../formats/canonical.js';

export function estimateTokens(text: string): number {
  if (text.length === 0) return 0;
  let wide = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x2e80) wide++;
  return Math.ceil((text.length - wide) / 4) + wide;
}

const IMAGE_TOKENS = 765;
const PER_MESSAGE_OVERHEAD = 4;

export function estimateMessageTokens(message: Message): number {
  let tokens = PER_MESSAGE_OVERHEAD;
  for (const part of message.content) {
    if (part.type === 'text') tokens += estimateTokens(part.text);
    else if (part.type === 'image') tokens += IMAGE_TOKENS;
    else if (part.type === 'tool-call') tokens += estimateTokens(part.name) + estimateTokens(part.arguments);
    else tokens += estimateTokens(part.content);
  }
  return tokens;
}

export function estimatePromptTokens(req: Pick<ChatRequest, 'messages' | 'tools'>): number {
  let tokens = 3;
  for (const message of req.messages) tokens += estimateMessageTokens(message);
  for (const tool of req.tools ?? []) tokens += estimateTokens(tool.name) + estimateTokens(tool.description ?? '') + estimateTokens(JSON.stringify(tool.parameters));
  return tokens;
}

/** Accumulates streamed text so the estimate rounds once, not once per chunk. */
export class TokenCounter {
  private narrow = 0;
  private wide = 0;

  add(text: string): void {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) > 0x2e80) this.wide++;
      else this.narrow++;
    }
  }

  get tokens(): number {
    return Math.ceil(this.narrow / 4) + this.wide;
  }
}
