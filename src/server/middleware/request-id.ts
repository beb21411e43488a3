/** Keeps a well-formed client X-Request-Id, else generates one; echoes it on the response. */
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { initState } from '../request-state.js';

const WELL_FORMED = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestId(clock: () => number): RequestHandler {
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && WELL_FORMED.test(given) ? given : randomUUID();
    initState(res, id, clock());
    res.setHeader('X-Request-Id', id);
    next();
  };
}
