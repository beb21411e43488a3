import express, { Router } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { routeTemplateOf, trackRouteTemplate, UNMATCHED } from '../../src/server/route-template.js';

function appRecording(seen: string[]) {
  const app = express();
  app.use((req, res, next) => {
    trackRouteTemplate(req, res);
    res.once('finish', () => seen.push(routeTemplateOf(req, res)));
    next();
  });
  const nested = Router();
  nested.get('/:id', (_req, res) => void res.json({}));
  nested.delete('/:id', () => {
    throw new Error('boom');
  });
  app.use('/api/things', nested);
  app.post(['/v1/chat/completions', '/api/v1/chat/completions'], (_req, res) => void res.json({}));
  app.get('/api/keys/:id', (_req, res) => void res.status(404).json({ error: 'Not found' }));
  app.use((_req, res) => void res.status(404).json({ error: 'no route' }));
  app.use(((_err, _req, res, _next) => void res.status(500).json({ error: 'x' })) as express.ErrorRequestHandler);
  return app;
}

describe('route templates', () => {
  it('labels requests by the matched template, never the raw path', async () => {
    const seen: string[] = [];
    const app = appRecording(seen);
    await request(app).get('/api/things/secret-id-123');
    await request(app).post('/api/v1/chat/completions').send({});
    await request(app).post('/v1/chat/completions').send({});
    await request(app).get('/api/keys/abc');
    await request(app).get('/some/user/text');
    await request(app).delete('/api/things/42');
    // The last: an error thrown inside a router mounted at a path is rendered after Express has
    // restored baseUrl, so the label loses the mount path; it stays a template, never the raw path.
    expect(seen).toEqual(['/api/things/:id', '/api/v1/chat/completions', '/v1/chat/completions', '/api/keys/:id', UNMATCHED, '/:id']);
  });
});
