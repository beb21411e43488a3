/**
 * One handler for every chat-completion route: decode the client's format, run the gateway,
 * encode back. The upstream request is aborted when the client goes away; a stream that ends
 * early is still billed for what was produced (see gateway/handle-chat.ts).
 */
import type { RequestHandler, Response } from 'express';
import { completeChat, openChatStream, type ChatOutcome, type GatewayDeps } from '../../gateway/handle-chat.js';
import type { ClientFormat } from '../../formats/client-format.js';
import { textOf } from '../../formats/canonical.js';
import { noteAnswer, notePrompt } from '../../logging/request-log.js';
import { principalOf, stateOf } from '../request-state.js';
import { SseWriter } from '../sse.js';
import { clientSignal } from '../client-signal.js';
import { sendJson } from '../send-json.js';
import { headerValue } from '../header-value.js';
import { recordCompleted, recordOpened, recordStreamEnd } from './chat-outcome.js';

function setOutcomeHeaders(res: Response, outcome: ChatOutcome): void {
  res.setHeader('X-Switchboard-Model', outcome.model.id);
  res.setHeader('X-Switchboard-Category', outcome.decision.category);
  res.setHeader('X-Switchboard-Attempts', String(outcome.attempts));
  // Warnings may quote client text (a tool name): escaped, never raw.
  if (outcome.warnings.length > 0) res.setHeader('X-Switchboard-Warnings', headerValue(outcome.warnings.join('; ')));
}

export function chatRoute(format: ClientFormat, deps: GatewayDeps): RequestHandler {
  return async (req, res) => {
    const state = stateOf(res);
    const { request, includeUsage } = format.decode(req.body, req.headers);
    const principal = principalOf(res);
    notePrompt(res, request.messages);
    const signal = clientSignal(req, res);
    const call = { request, principal, requestId: state.requestId, signal };
    const meta = (outcome: ChatOutcome, costMicros: () => number) => ({
      id: format.responseId(state.requestId),
      model: outcome.model.id,
      created: Math.floor(deps.clock() / 1000),
      includeUsage,
      inputTokens: outcome.promptTokens,
      costMicros,
    });

    if (!request.stream) {
      const done = await completeChat(deps, call);
      setOutcomeHeaders(res, done);
      recordCompleted(res, state, done, deps.clock());
      noteAnswer(res, textOf(done.result.content));
      sendJson(
        res,
        format.encodeResult(
          done.result,
          meta(done, () => done.costMicros),
        ),
      );
      return;
    }

    const opened = await openChatStream(deps, call);
    let encoder: ReturnType<ClientFormat['streamEncoder']>;
    let writer: SseWriter;
    try {
      setOutcomeHeaders(res, opened);
      recordOpened(res, state, opened, deps.clock());
      encoder = format.streamEncoder(meta(opened, opened.costMicros));
      writer = new SseWriter(res);
    } catch (err) {
      // Nothing was sent: the upstream call is aborted and the reservation released.
      await opened.cancel();
      throw err;
    }
    try {
      for await (const batch of opened.batches) {
        if (res.destroyed) break;
        let pending: Promise<void> | null = null;
        for (const event of batch) {
          if (event.type === 'text-delta') noteAnswer(res, event.text);
          else if (event.type === 'error') state.errorCode = event.error.code;
          pending = writer.write(event.type === 'error' ? encoder.error(event.error) : encoder.encode(event)) ?? pending;
        }
        if (pending) await pending;
      }
    } finally {
      recordStreamEnd(state, opened);
      writer.end(encoder.end());
    }
  };
}
