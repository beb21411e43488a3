/**
 * One JSON line per request, written when the response finishes or the connection closes:
 * request id, key and account, route template, model, category, status, latency, upstream
 * latency, tokens, cost, attempts and error code. Headers, keys and credentials are never
 * logged. Prompt and answer text only with `logging.log_prompts: true`: the chat routes report
 * them through notePrompt / noteAnswer (no-ops, and nothing is buffered, unless enabled); a
 * route that does not call them gets the last user message from a `messages` array in the body.
 */
import type { Request, RequestHandler, Response } from 'express';
import { microsToUsd } from '../billing/price.js';
import { textOf, type Message } from '../formats/canonical.js';
import type { Logger } from '../plugins/types.js';
import { stateOf } from '../server/request-state.js';
import { onResponseDone } from '../server/response-hooks.js';
import { routeTemplateOf, trackRouteTemplate } from '../server/route-template.js';
import { lineWriter, unredacted } from './logger.js';

export interface RequestLogSettings {
  readonly log_prompts: boolean;
}

/** Longest prompt or answer text written to a log line. */
export const MAX_LOGGED_TEXT = 16_384;
const CAPTURE = 'switchboardTextCapture';

interface TextCapture {
  prompt?: string;
  answer: string;
}

function captureOf(res: Response): TextCapture | undefined {
  return (res.locals as Record<string, unknown>)[CAPTURE] as TextCapture | undefined;
}

/** Records the prompt (the last user message) when prompt logging is on. */
export function notePrompt(res: Response, messages: readonly Message[]): void {
  const capture = captureOf(res);
  if (!capture) return;
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  capture.prompt = lastUser ? textOf(lastUser.content) : '';
}

/** Appends answer text (a whole answer or a stream delta) when prompt logging is on. */
export function noteAnswer(res: Response, text: string): void {
  const capture = captureOf(res);
  if (!capture || capture.answer.length > MAX_LOGGED_TEXT) return;
  capture.answer += text;
}

function clip(text: string): string {
  return text.length > MAX_LOGGED_TEXT ? `${text.slice(0, MAX_LOGGED_TEXT)}…[truncated]` : text;
}

/** The last user message of a `messages` array in any client format (string or text parts). */
function promptFromBody(body: unknown): string | undefined {
  const messages = (body as { messages?: unknown } | undefined)?.messages;
  if (!Array.isArray(messages)) return undefined;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { role?: unknown; content?: unknown };
    if (m?.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    if (Array.isArray(m.content)) return m.content.map((p: { text?: unknown }) => (typeof p?.text === 'string' ? p.text : '')).join('');
    return '';
  }
  return undefined;
}

function lineFor(req: Request, res: Response, now: number, logPrompts: boolean): Record<string, unknown> {
  const state = stateOf(res);
  const principal = state.principal;
  const line: Record<string, unknown> = {
    event: 'request',
    requestId: state.requestId,
    method: req.method,
    route: routeTemplateOf(req, res),
    status: res.statusCode,
    latencyMs: Math.round((now - state.startedAt) * 100) / 100,
    keyId: principal?.keyId ?? null,
    accountId: principal?.accountId ?? null,
    model: state.modelId ?? null,
    category: state.category ?? null,
    upstreamMs: state.upstreamMs ?? null,
    inputTokens: state.inputTokens ?? null,
    outputTokens: state.outputTokens ?? null,
    costUsd: state.costMicros === undefined ? null : microsToUsd(state.costMicros),
    attempts: state.attempts ?? null,
    errorCode: state.errorCode ?? null,
  };
  if (!res.writableFinished) line['aborted'] = true;
  if (logPrompts) {
    const capture = captureOf(res);
    const prompt = capture?.prompt ?? promptFromBody(req.body);
    if (prompt !== undefined) line['prompt'] = clip(prompt);
    if (capture && capture.answer !== '') line['answer'] = clip(capture.answer);
  }
  return line;
}

export function requestLog(logger: Logger, settings: () => RequestLogSettings, clock: () => number): RequestHandler {
  // lineFor writes only ids, counts and the route template (and, when log_prompts is on, the
  // prompt and answer on purpose): nothing for redaction to find.
  const lines = unredacted(logger);
  const writer = lineWriter(logger);
  return (req, res, next) => {
    trackRouteTemplate(req, res);
    const logPrompts = settings().log_prompts;
    if (logPrompts) (res.locals as Record<string, unknown>)[CAPTURE] = { answer: '' } satisfies TextCapture;
    onResponseDone(res, () => {
      try {
        const line = lineFor(req, res, clock(), logPrompts);
        const level = res.statusCode >= 500 ? 'warn' : 'info';
        if (writer) writer.write(level, line, 'request');
        else lines[level](line, 'request');
      } catch (err) {
        logger.error({ err: (err as Error).message }, 'writing the request log failed');
      }
    });
    next();
  };
}
