/**
 * Writes a JSON answer straight to the socket: what res.json() ends up sending (same body, same
 * Content-Type with charset), without its per-call settings lookups, charset re-parsing and
 * freshness check, which a completion answer never needs.
 */
import type { ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, value: unknown, status = 200): void {
  const body = JSON.stringify(value);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}
