/** Per-request state kept on res.locals under one typed key. */
import type { Response } from 'express';
import type { Principal } from '../plugins/types.js';

export interface RequestState {
  readonly requestId: string;
  readonly startedAt: number;
  principal?: Principal;
  /** Filled by completion routes for the request log and metrics. */
  modelId?: string;
  category?: string;
  inputTokens?: number;
  outputTokens?: number;
  costMicros?: number;
  upstreamMs?: number;
  attempts?: number;
  errorCode?: string;
}

const KEY = 'switchboard';

export function initState(res: Response, requestId: string, startedAt: number): RequestState {
  const state: RequestState = { requestId, startedAt };
  (res.locals as Record<string, unknown>)[KEY] = state;
  return state;
}

export function stateOf(res: Response): RequestState {
  const state = (res.locals as Record<string, unknown>)[KEY] as RequestState | undefined;
  if (!state) throw new Error('request state missing: request-id middleware not mounted');
  return state;
}

export function principalOf(res: Response): Principal {
  const principal = stateOf(res).principal;
  if (!principal) throw new Error('principal missing: authenticate middleware not mounted');
  return principal;
}
