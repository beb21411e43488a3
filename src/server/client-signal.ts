/** An AbortSignal that fires when the client goes away before the response is finished. */
import type { Request, Response } from 'express';

export function clientSignal(req: Request, res: Response): AbortSignal {
  const controller = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) controller.abort(new Error('client disconnected'));
  };
  res.on('close', onClose);
  req.on('aborted', onClose);
  return controller.signal;
}
