/** Writes Server-Sent Events with backpressure; never buffers the whole answer. */
import type { Response } from 'express';

export function startSse(res: Response): void {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
}

/** Resolves when the text is handed to the socket (waits for 'drain' when the client is slow). */
export function writeSse(res: Response, text: string): Promise<void> | void {
  if (text === '' || res.destroyed) return;
  if (res.write(text)) return;
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
