/**
 * POST /api/chat: the native SSE API (scope chat). Errors before the stream starts (auth,
 * validation, unknown model or conversation, every candidate failing) are ordinary JSON errors;
 * an insufficient-credits or key-limit refusal is answered as an SSE `error` event carrying the
 * 402 status. Fallbacks before the first token are reported as `error` notices after `meta`,
 * which names the model that actually answers.
 */
import { Router, type Request, type Response } from 'express';
import type { ApiMiddleware } from '../../app.js';
import { storedBytes, type ConversationStore, type Conversation } from '../../conversations/conversation-store.js';
import type { Config } from '../../config/types.js';
import type { Runtime } from '../../gateway/runtime.js';
import { withHistory } from '../../conversations/history.js';
import { GatewayError, isGatewayError } from '../../errors.js';
import type { ChatRequest } from '../../formats/canonical.js';
import { decodeNativeChatRequest, type NativeChatRequest } from '../../formats/native/decode-request.js';
import { doneEvent, encodeNativeEvent, fallbackNotice, finalError, type ErrorEvent, type NativeEvent } from '../../formats/native/events.js';
import { openChatStream, type GatewayDeps, type OpenedStream } from '../../gateway/handle-chat.js';
import { eventsOf } from '../../upstream/event-batches.js';
import type { RouteDecision } from '../../gateway/router.js';
import type { Principal } from '../../plugins/types.js';
import { requireScope } from '../middleware/authenticate.js';
import { principalOf, stateOf } from '../request-state.js';
import { SseWriter } from '../sse.js';
import { clientSignal } from '../client-signal.js';

export interface NativeChatDeps {
  readonly gateway: GatewayDeps;
  readonly conversations: ConversationStore;
}

const BILLING_CODES = new Set(['insufficient_credits', 'key_limit_reached']);

/** A refusal by billing: the request was valid and routed, so it is told as an SSE error event (with the 402 status). */
function sendBillingRefusal(res: Response, error: GatewayError): void {
  res.status(error.status);
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache');
  res.end(encodeNativeEvent(finalError(error)));
}

/** Names the model asked for (or chosen by the policy) first, then the one that answered after fallbacks. */
function strategyReason(decision: RouteDecision, answered: string, fallbacks: number): string {
  const first = decision.candidates[0]?.id ?? answered;
  const base =
    decision.policy === 'explicit'
      ? `Model ${first} was requested explicitly`
      : `Auto routing: ${decision.category}/${decision.subcategory} (confidence ${decision.confidence.toFixed(2)}); the ${decision.policy} policy chose ${first}`;
  return fallbacks > 0 ? `${base}; ${answered} answered after ${fallbacks} fallback${fallbacks === 1 ? '' : 's'}` : base;
}

function firstUserText(body: NativeChatRequest): string {
  const turn = body.stored.find((t) => t.role === 'user');
  return turn?.content ?? '';
}

async function ownedConversation(store: ConversationStore, id: string, principal: Principal): Promise<Conversation> {
  const conversation = await store.get(id, principal.accountId);
  if (!conversation) throw new GatewayError('not_found', `Conversation ${id} not found`);
  return conversation;
}

async function streamAnswer(
  deps: NativeChatDeps,
  res: Response,
  opened: OpenedStream,
  conversation: Conversation | null,
  body: NativeChatRequest,
  notices: readonly ErrorEvent[],
): Promise<void> {
  const state = stateOf(res);
  const { model, decision } = opened;
  const writer = new SseWriter(res);
  const send = (event: NativeEvent): Promise<void> | null => writer.write(encodeNativeEvent(event));
  await send({
    type: 'meta',
    model: model.id,
    category: decision.category,
    subcategory: decision.subcategory,
    conversationId: conversation?.id ?? null,
    requestId: state.requestId,
  });
  await send({ type: 'strategy_decision', strategy: 'direct', reason: strategyReason(decision, model.id, opened.attempts - 1) });
  for (const notice of notices) await send(notice);

  let answer = '';
  try {
    for await (const event of eventsOf(opened.batches)) {
      if (res.destroyed) break;
      if (event.type === 'text-delta') {
        if (event.text === '') continue;
        answer += event.text;
        await send({ type: 'token', text: event.text });
      } else if (event.type === 'finish') {
        const usage = event.usage ?? opened.usage() ?? { inputTokens: 0, outputTokens: 0 };
        // Stored before `done` so a client's next turn always sees this one.
        const turns = answer === '' ? body.stored : [...body.stored, { role: 'assistant' as const, content: answer }];
        if (conversation && body.store)
          await deps.conversations
            .append(conversation.id, turns)
            .catch((err: unknown) => deps.gateway.logger.error({ err, requestId: state.requestId }, 'storing a conversation turn failed'));
        await send(doneEvent({ model: model.id, latencyMs: deps.gateway.clock() - state.startedAt, usage, costMicros: opened.costMicros(), price: model }));
      } else if (event.type === 'error') {
        state.errorCode = event.error.code;
        await send(finalError(event.error));
      }
    }
  } finally {
    const usage = opened.usage();
    Object.assign(state, {
      inputTokens: usage?.inputTokens,
      outputTokens: usage?.outputTokens,
      costMicros: opened.costMicros(),
      upstreamMs: opened.upstreamMs(),
    });
    writer.end('');
  }
}

/** Characters of history worth reading: more than the largest context window could take (a token is rarely over 16 characters). */
function historyChars(runtime: Runtime): number {
  let window = 0;
  for (const model of runtime.models.values()) window = Math.max(window, model.contextWindow);
  return window * 16;
}

/** limits.max_conversation_bytes and limits.max_account_bytes, for the turns this request adds. */
async function assertStorageRoom(
  store: ConversationStore,
  limits: Config['limits'],
  accountId: string,
  existing: Conversation | null,
  body: NativeChatRequest,
): Promise<void> {
  const adding = body.stored.reduce((n, t) => n + storedBytes(t), 0);
  const conversation = existing ? await store.bytesOf(existing.id) : 0;
  if (conversation + adding > limits.max_conversation_bytes)
    throw new GatewayError(
      'payload_too_large',
      `This conversation would exceed ${limits.max_conversation_bytes} stored bytes (limits.max_conversation_bytes); start a new one, or send store: false`,
    );
  if ((await store.accountBytes(accountId)) + adding > limits.max_account_bytes)
    throw new GatewayError(
      'payload_too_large',
      `This account's stored conversations would exceed ${limits.max_account_bytes} bytes (limits.max_account_bytes); delete some (DELETE /api/conversations/:id), or send store: false`,
    );
}

export function nativeChatRoutes(deps: NativeChatDeps) {
  return (mw: ApiMiddleware): Router => {
    const router = Router();
    router.post('/api/chat', mw.auth, requireScope('chat'), mw.body, async (req, res) => {
      const state = stateOf(res);
      const principal = principalOf(res);
      const runtime = deps.gateway.runtime();
      const { limits, storage } = runtime.config;
      const body = decodeNativeChatRequest(req.body, { maxMessages: limits.max_messages });
      if (!storage.conversations && body.conversationId !== null)
        throw new GatewayError('request_invalid', 'conversationId: this server stores no conversations (storage.conversations: false)');
      const keep = storage.conversations && body.store;
      const existing = body.conversationId === null ? null : await ownedConversation(deps.conversations, body.conversationId, principal);
      // Before any model (or classifier) is called: a refused request costs nothing.
      if (keep) await assertStorageRoom(deps.conversations, limits, principal.accountId, existing, body);
      const history = existing ? await deps.conversations.historyTail(existing.id, historyChars(runtime)) : [];
      const messages = await withHistory(runtime, { model: body.model, system: body.system, turns: body.turns, maxTokens: body.maxTokens }, history);
      const request: ChatRequest = { model: body.model, messages, maxTokens: body.maxTokens, temperature: body.temperature, stream: true };

      // Created before the call so meta can name it; removed again if the request fails before streaming.
      const created = existing === null && keep;
      const conversation = existing ?? (keep ? await deps.conversations.create(principal.accountId, firstUserText(body)) : null);
      const notices: ErrorEvent[] = [];
      let opened: OpenedStream;
      try {
        opened = await openChatStream(deps.gateway, {
          request,
          principal,
          requestId: state.requestId,
          signal: clientSignal(req, res),
          onFallback: (from, to, reason) => notices.push(fallbackNotice(from, to, reason)),
        });
      } catch (err) {
        if (created && conversation) await deps.conversations.delete(conversation.id).catch(() => undefined);
        if (isGatewayError(err) && BILLING_CODES.has(err.code) && !res.headersSent) {
          state.errorCode = err.code;
          sendBillingRefusal(res, err);
          return;
        }
        throw err;
      }
      try {
        res.setHeader('X-Switchboard-Model', opened.model.id);
        res.setHeader('X-Switchboard-Category', opened.decision.category);
        res.setHeader('X-Switchboard-Attempts', String(opened.attempts));
        if (conversation) res.setHeader('X-Switchboard-Conversation-Id', conversation.id);
        Object.assign(state, { modelId: opened.model.id, category: opened.decision.category, attempts: opened.attempts });
        await streamAnswer(deps, res, opened, conversation, body, notices);
      } finally {
        // A failure before the events were read: abort upstream, release the reservation.
        await opened.cancel();
      }
    });
    router.delete('/api/conversations/:id', mw.auth, requireScope('chat'), async (req, res) => {
      const param = req.params['id'];
      const id = typeof param === 'string' ? param : '';
      // Another account's conversation behaves as if it did not exist.
      if (!(await deps.conversations.deleteOwned(id, principalOf(res).accountId))) throw new GatewayError('not_found', `Conversation ${id} not found`);
      res.status(204).end();
    });
    return router;
  };
}
