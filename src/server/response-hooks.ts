/**
 * One writeHead hook and one 'close' listener per response, shared by every observer (route
 * template, HTTP metrics, request log, rate-limit settlement, client-disconnect signal): a
 * writeHead wrapper and a pair of once-listeners per observer cost more than their own work.
 * A ServerResponse emits 'close' exactly once: after 'finish', or when the connection breaks
 * first (`res.writableFinished` tells which).
 */
import type { ServerResponse } from 'node:http';
import type { Response } from 'express';

/** nginx's "client closed request": recorded when the client leaves before the response head. */
const CLIENT_CLOSED_STATUS = 499;

// Kept in res.locals: a new property on the response object itself would change the hidden
// class of every ServerResponse that Node and Express read on the hot path.
const HOOKS = 'switchboardResponseHooks';

interface Hooks {
  readonly head: (() => void)[];
  readonly done: (() => void)[];
  headWritten: boolean;
}

function hooksOf(res: Response): Hooks {
  const locals = res.locals as Record<string, unknown>;
  return (locals[HOOKS] as Hooks | undefined) ?? install(res, locals);
}

function install(res: Response, locals: Record<string, unknown>): Hooks {
  const hooks: Hooks = { head: [], done: [], headWritten: false };
  locals[HOOKS] = hooks;
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse) {
    if (!hooks.headWritten) {
      hooks.headWritten = true;
      for (const hook of hooks.head) hook();
    }
    return writeHead.apply(this, arguments as unknown as Parameters<typeof writeHead>);
  } as typeof writeHead;
  // `on`, not `once`: a response emits 'close' exactly once, and `once` allocates a wrapper.
  res.on('close', () => {
    // The client left before an answer was started: nginx's 499 "client closed request", so the
    // request log and the HTTP metrics do not count it as a 200 (the status nobody had set yet).
    if (!res.headersSent && !res.writableFinished) res.statusCode = CLIENT_CLOSED_STATUS;
    for (const hook of hooks.done) hook();
  });
  return hooks;
}

/** Runs `hook` right before the response head is written (once per response). */
export function onResponseHead(res: Response, hook: () => void): void {
  hooksOf(res).head.push(hook);
}

/** Runs `hook` once the response is over: finished, or the connection closed first. */
export function onResponseDone(res: Response, hook: () => void): void {
  hooksOf(res).done.push(hook);
}
