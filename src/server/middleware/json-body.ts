/** JSON body parsing with the current config's server.body_limit (re-read after a reload). */
import express, { type RequestHandler } from 'express';

export function jsonBody(limit: () => string): RequestHandler {
  let current = '';
  let parser: RequestHandler = express.json();
  return (req, res, next) => {
    const wanted = limit();
    if (wanted !== current) {
      current = wanted;
      parser = express.json({ limit: wanted.replace(/\s+/g, '') });
    }
    parser(req, res, next);
  };
}
