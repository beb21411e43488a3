/**
 * POST /v1/responses (and /api/v1/responses), GET and DELETE /v1/responses/:id: the OpenAI
 * Responses API on the same gateway path as chat completions (route → reserve → attempts →
 * settle, rate limits, metrics, request log). A stored response is written before the answer's
 * last byte, so a client that continues with previous_response_id right away finds it.
 */
import type { RequestHandler, Response } from 'express';
import { GatewayError } from '../../errors.js';
import { textOf } from '../../formats/canonical.js';
import { composeRequest } from '../../formats/responses/compose-request.js';
import { decodeResponsesRequest, type DecodedResponsesRequest } from '../../formats/responses/decode-request.js';
import { encodeResponsesResult, type ResponseShell } from '../../formats/responses/encode-response.js';
import { ResponsesStreamEncoder } from '../../formats/responses/encode-stream.js';
import { newResponseId } from '../../formats/responses/ids.js';
import type { ResponsesObject, ResponsesOutputItem } from '../../formats/responses/wire.js';
import { completeChat, openChatStream, type ChatCall, type ChatOutcome, type GatewayDeps } from '../../gateway/handle-chat.js';
import { noteAnswer, notePrompt } from '../../logging/request-log.js';
import type { JsonValue } from '../../formats/canonical.js';
import type { ResponseStore } from '../../responses/response-store.js';
import { resolveItemReferences } from '../../responses/resolve-item-references.js';
import { clientSignal } from '../client-signal.js';
import { principalOf, stateOf } from '../request-state.js';
import { sendJson } from '../send-json.js';
import { SseWriter } from '../sse.js';
import { warningsHeader } from './warnings-header.js';
import { recordCompleted, recordOpened, recordStreamEnd } from './chat-outcome.js';

export interface ResponsesRouteDeps {
  readonly gateway: GatewayDeps;
  readonly store: ResponseStore;
}

export interface ResponsesHandlers {
  readonly create: RequestHandler;
  readonly retrieve: RequestHandler;
  readonly remove: RequestHandler;
}

function setOutcomeHeaders(res: Response, outcome: ChatOutcome, decoded: DecodedResponsesRequest): void {
  res.setHeader('X-Switchboard-Model', outcome.model.id);
  res.setHeader('X-Switchboard-Category', outcome.decision.category);
  res.setHeader('X-Switchboard-Attempts', String(outcome.attempts));
  const warnings = [...decoded.warnings.list, ...outcome.warnings];
  if (warnings.length > 0) res.setHeader('X-Switchboard-Warnings', warningsHeader(warnings));
}

function notFound(id: string): GatewayError {
  return new GatewayError('not_found', `No response with id ${JSON.stringify(id.slice(0, 100))}`);
}

/** One POST /v1/responses, decoded and composed, before the gateway runs it. */
interface Turn {
  readonly decoded: DecodedResponsesRequest;
  readonly call: ChatCall;
  readonly shell: (outcome: ChatOutcome) => ResponseShell;
  /** Stores the finished response (when `store` is on). */
  readonly save: (response: ResponsesObject, output: readonly ResponsesOutputItem[]) => Promise<void>;
}

async function answerJson(gateway: GatewayDeps, res: Response, turn: Turn): Promise<void> {
  const state = stateOf(res);
  const done = await completeChat(gateway, turn.call);
  setOutcomeHeaders(res, done, turn.decoded);
  recordCompleted(res, state, done, gateway.clock());
  const { response, output } = encodeResponsesResult(done.result, turn.shell(done), Math.floor(gateway.clock() / 1000));
  await turn.save(response, output);
  noteAnswer(res, textOf(done.result.content));
  sendJson(res, response);
}

async function answerStream(gateway: GatewayDeps, res: Response, turn: Turn): Promise<void> {
  const state = stateOf(res);
  const opened = await openChatStream(gateway, turn.call);
  let encoder: ResponsesStreamEncoder;
  let writer: SseWriter;
  try {
    setOutcomeHeaders(res, opened, turn.decoded);
    recordOpened(res, state, opened, gateway.clock());
    encoder = new ResponsesStreamEncoder(turn.shell(opened), gateway.clock);
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
        const text = event.type === 'error' ? encoder.error(event.error) : encoder.encode(event);
        const final = event.type === 'finish' ? encoder.finalResponse() : undefined;
        // Stored before response.completed goes out: the client may continue from it at once.
        if (final) {
          await turn
            .save(final, encoder.storedOutput())
            .catch((err: unknown) => gateway.logger.error({ err, requestId: state.requestId }, 'storing a streamed response failed'));
        }
        pending = writer.write(text) ?? pending;
      }
      if (pending) await pending;
    }
  } finally {
    recordStreamEnd(state, opened);
    writer.end(encoder.end());
  }
}

export function responsesHandlers(deps: ResponsesRouteDeps): ResponsesHandlers {
  const { gateway, store } = deps;

  const create: RequestHandler = async (req, res) => {
    const state = stateOf(res);
    const parsed = decodeResponsesRequest(req.body);
    const principal = principalOf(res);
    const decoded = { ...parsed, input: await resolveItemReferences(parsed.input, store, principal.accountId) };
    const previous = decoded.previousResponseId !== undefined ? await store.get(decoded.previousResponseId, principal.accountId) : undefined;
    if (decoded.previousResponseId !== undefined && previous === undefined) throw notFound(decoded.previousResponseId);
    const { request, inputItems } = composeRequest(decoded, previous);
    notePrompt(res, request.messages);
    const id = newResponseId();
    const createdAt = Math.floor(gateway.clock() / 1000);
    const turn: Turn = {
      decoded,
      call: { request, principal, requestId: state.requestId, signal: clientSignal(req, res) },
      shell: (outcome) => ({
        id,
        model: outcome.model.id,
        createdAt,
        echo: decoded.echo,
        customTools: decoded.customTools,
        includeEncryptedReasoning: decoded.includeEncryptedReasoning,
      }),
      save: async (response, output) => {
        if (!decoded.store) return;
        await store.save({
          id,
          accountId: principal.accountId,
          createdAt: new Date(gateway.clock()).toISOString(),
          inputItems,
          outputItems: output as unknown as JsonValue[],
          response: response as unknown as JsonValue,
        });
      },
    };
    await (request.stream ? answerStream(gateway, res, turn) : answerJson(gateway, res, turn));
  };

  const retrieve: RequestHandler = async (req, res) => {
    const id = String(req.params['id'] ?? '');
    const stored = await store.get(id, principalOf(res).accountId);
    if (!stored) throw notFound(id);
    sendJson(res, stored.response);
  };

  const remove: RequestHandler = async (req, res) => {
    const id = String(req.params['id'] ?? '');
    if (!(await store.delete(id, principalOf(res).accountId))) throw notFound(id);
    sendJson(res, { id, object: 'response', deleted: true });
  };

  return { create, retrieve, remove };
}
