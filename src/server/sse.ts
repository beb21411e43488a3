/** Writes Server-Sent Events with backpressure; never buffers the whole answer. */
import type { Response } from 'express';

/** Resolves when the text is handed to the socket (waits for 'drain' when the client is slow). */
function writeSse(res: Response, text: string): Promise<void> | void {
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

/**
 * Coalesces the events produced in one turn of the event loop into one write: an upstream read
 * usually carries several events, and each res.write is a chunk of its own (size line, data,
 * CRLF) and a share of a syscall. Text waits at most until the end of the current turn
 * (setImmediate), never for more events; the whole answer is never held.
 */
export class SseWriter {
  private buffered = '';
  private scheduled = false;
  private draining: Promise<void> | null = null;

  /** Sets the SSE head (status 200); it goes out with the first write, not as a write of its own. */
  constructor(private readonly res: Response) {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
  }

  /** Queues text. A returned promise means the client is slow: wait for it before producing more. */
  write(text: string): Promise<void> | null {
    if (text !== '') {
      this.buffered += text;
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.flush);
      }
    }
    return this.draining;
  }

  /** Ends the response with what is still queued and `trailer`. */
  end(trailer: string): void {
    const text = this.buffered + trailer;
    this.buffered = '';
    if (!this.res.destroyed) this.res.end(text);
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    const text = this.buffered;
    this.buffered = '';
    if (text === '' || this.res.destroyed || this.res.writableEnded) return;
    const pending = writeSse(this.res, text);
    if (pending) {
      this.draining = pending.then(() => {
        this.draining = null;
      });
    }
  };
}
