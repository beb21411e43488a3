/** Which error envelope a path answers in (SPEC §2). */
export type Envelope = 'openai' | 'openrouter' | 'anthropic' | 'seed';

export function envelopeFor(path: string): Envelope {
  if (path === '/v1/messages' || path.startsWith('/v1/messages/')) return 'anthropic';
  if (path.startsWith('/api/v1/') || path === '/api/v1') return 'openrouter';
  if (path.startsWith('/v1/') || path === '/v1') return 'openai';
  return 'seed';
}
