/**
 * Token estimate for reservations before a call (and prompts): about 4 characters per token for
 * Latin text, one token per CJK character, never 0 for non-empty text. Deliberately a slight
 * over-estimate so reservations cover the real cost, and O(n) with no tables so it is free on the
 * request path. Output a provider did not report (TokenCounter) is counted with the o200k BPE
 * tokenizer (gpt-tokenizer: pure JS, offline), exact for current OpenAI models.
 */
import { createRequire } from 'node:module';
import type { ChatRequest, Message } from '../formats/canonical.js';

/** Above this many characters (≈ 8 ms of BPE) the character rule is used instead. */
const BPE_MAX_CHARS = 64_000;

type Bpe = typeof import('gpt-tokenizer/encoding/o200k_base');
let bpe: Bpe | undefined;

/** BPE count of a text the provider did not count for us. */
export function countTextTokens(text: string): number {
  if (text.length === 0) return 0;
  if (text.length > BPE_MAX_CHARS) return estimateTokens(text);
  // Loaded on first need (~0.4 s, ~80 MB of rank tables): most providers report usage, and a
  // process that never needs it (CLI, most deployments) should not pay for it.
  bpe ??= createRequire(import.meta.url)('gpt-tokenizer/encoding/o200k_base') as Bpe;
  return Math.max(1, bpe.countTokens(text));
}

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
    else if (part.type === 'reasoning') tokens += estimateTokens(part.text);
    else tokens += estimateTokens(part.content);
  }
  return tokens;
}

export function estimatePromptTokens(req: Pick<ChatRequest, 'messages' | 'tools'>): number {
  let tokens = 3;
  for (const message of req.messages) tokens += estimateMessageTokens(message);
  for (const tool of req.tools ?? [])
    tokens += estimateTokens(tool.name) + estimateTokens(tool.description ?? '') + estimateTokens(JSON.stringify(tool.parameters));
  return tokens;
}

/** Accumulates streamed text and counts it once (BPE merges cross chunk boundaries). */
export class TokenCounter {
  private readonly parts: string[] = [];

  add(text: string): void {
    this.parts.push(text);
  }

  get tokens(): number {
    const text = this.parts.join('');
    this.parts.length = 0;
    this.parts.push(text);
    return countTextTokens(text);
  }
}
