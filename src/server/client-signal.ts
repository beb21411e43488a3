/** An AbortSignal that fires when the client goes away before the response is finished. */
import type { Request, Response } from 'express';
import { onResponseDone } from './response-hooks.js';

export function clientSignal(_req: Request, res: Response): AbortSignal {
  const controller = new AbortController();
  onResponseDone(res, () => {
    if (!res.writableFinished) controller.abort(new Error('client disconnected'));
  });
  return controller.signal;
}
