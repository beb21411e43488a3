import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import express, { type ErrorRequestHandler } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { jsonBody, limitBytes } from './json-body.js';

function app(limit = '1kb') {
  const a = express();
  a.post(
    '/',
    jsonBody(() => limit),
    (req, res) => {
      res.json({ body: req.body ?? null });
    },
  );
  const onError: ErrorRequestHandler = (err: { status?: number; type?: string }, _req, res, _next) => {
    res.status(err.status ?? 500).json({ type: err.type ?? null, message: (err as Error).message });
  };
  a.use(onError);
  return a;
}

const post = (limit?: string) => request(app(limit)).post('/');

describe('jsonBody', () => {
  it('parses JSON objects and arrays, with or without a UTF-8 charset and a BOM', async () => {
    expect((await post().set('content-type', 'application/json').send('{"a":1}')).body).toEqual({ body: { a: 1 } });
    expect((await post().set('content-type', 'Application/JSON; charset=UTF-8').send(' [1,"é"]')).body).toEqual({ body: [1, 'é'] });
    expect((await post().set('content-type', 'application/json').send('\uFEFF{"b":2}')).body).toEqual({ body: { b: 2 } });
  });

  it('treats an empty body as {} and rejects primitives and malformed JSON like express.json', async () => {
    expect((await post().set('content-type', 'application/json').send('')).body).toEqual({ body: {} });
    for (const text of ['"x"', '12', '{"a":', '   ']) {
      const res = await post().set('content-type', 'application/json').send(text);
      expect(res.status, text).toBe(400);
      expect(res.body).toMatchObject({ type: 'entity.parse.failed' });
    }
  });

  it('refuses other media types with a body (415), never as {}', async () => {
    expect((await post().set('content-type', 'text/plain').send('{"a":1}')).status).toBe(415);
    expect((await post().set('content-type', 'application/x-www-form-urlencoded').send('name=x')).status).toBe(415);
    expect((await post().send()).body).toEqual({ body: null });
  });

  it('refuses JSON nested deeper than the limit (400) before any route walks it', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    expect((await post('1mb').set('content-type', 'application/json').send(deep)).status).toBe(400);
    const chunked = await post('1mb').set('content-type', 'application/json').set('content-encoding', 'identity').send(`{"a":${deep}}`);
    expect(chunked.status).toBe(400);
    expect(
      (
        await post()
          .set('content-type', 'application/json')
          .send(`${'['.repeat(100)}${']'.repeat(100)}`)
      ).status,
    ).toBe(200);
  });

  it('hands limits, compression, other charsets and chunked bodies to express.json', async () => {
    const big = JSON.stringify({ a: 'x'.repeat(2000) });
    expect((await post().set('content-type', 'application/json').send(big)).body).toMatchObject({ type: 'entity.too.large' });
    expect((await post('4kb').set('content-type', 'application/json').send(big)).status).toBe(200);
    const server = app().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const gz = await fetch(`http://127.0.0.1:${port}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: gzipSync('{"z":1}'),
      });
      expect(await gz.json()).toEqual({ body: { z: 1 } });
    } finally {
      server.close();
    }
    expect((await post().set('content-type', 'application/json; charset=latin1').send('{}')).body).toMatchObject({ type: 'charset.unsupported' });
    expect((await post().set('content-type', 'application/vnd.api+json').send('{"v":1}')).body).toEqual({ body: { v: 1 } });
  });

  it('reads limits the way the bytes package does', () => {
    expect(limitBytes('10mb')).toBe(10 * 1024 * 1024);
    expect(limitBytes('1.5kb')).toBe(1536);
    expect(limitBytes('100b')).toBe(100);
    expect(limitBytes('lots')).toBeUndefined();
  });
});
