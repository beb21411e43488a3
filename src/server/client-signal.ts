/** An AbortSignal that fires when the client goes away before the response is finished. */
import type { Request, Response } from 'express';
import { onResponseDone } from './response-hooks.js';

/** The abort reason when the client went away: not a failure of the gateway, so not logged as one. */
export class ClientDisconnected extends Error {
  constructor() {
    super('client disconnected');
    this.name = 'ClientDisconnected';
  }
}

export function clientSignal(_req: Request, res: Response): AbortSignal {
  const controller = new AbortController();
  onResponseDone(res, () => {
    if (!res.writableFinished) controller.abort(new ClientDisconnected());
  });
  return controller.signal;
}
