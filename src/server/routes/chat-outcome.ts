/**
 * What a completion route records about its answer in the request state (read by the access log,
 * metrics and TPM settlement) and the overhead header, shared by every client format's route.
 */
import type { Response } from 'express';
import type { CompletedChat, OpenedStream } from '../../gateway/handle-chat.js';
import type { RequestState } from '../request-state.js';

export function recordCompleted(res: Response, state: RequestState, done: CompletedChat, now: number): void {
  Object.assign(state, {
    modelId: done.model.id,
    category: done.decision.category,
    inputTokens: done.result.usage.inputTokens,
    outputTokens: done.result.usage.outputTokens,
    costMicros: done.costMicros,
    upstreamMs: done.upstreamMs,
    attempts: done.attempts,
  });
  res.setHeader('X-Switchboard-Overhead-Ms', (now - state.startedAt - done.upstreamMs).toFixed(2));
}

export function recordOpened(res: Response, state: RequestState, opened: OpenedStream, now: number): void {
  Object.assign(state, { modelId: opened.model.id, category: opened.decision.category, attempts: opened.attempts });
  // Time to first byte minus the provider's time to its first event (upstreamMs() runs to now).
  res.setHeader('X-Switchboard-Overhead-Ms', Math.max(0, now - state.startedAt - opened.upstreamMs()).toFixed(2));
}

export function recordStreamEnd(state: RequestState, opened: OpenedStream): void {
  const usage = opened.usage();
  Object.assign(state, {
    inputTokens: usage?.inputTokens,
    outputTokens: usage?.outputTokens,
    costMicros: opened.costMicros(),
    upstreamMs: opened.upstreamMs(),
  });
}
