/** GET /v1/models and /api/v1/models in OpenAI's list format (model ids, then aliases). */
import type { RequestHandler } from 'express';
import type { Runtime } from '../../gateway/runtime.js';

export function listModelsRoute(runtime: () => Runtime, startedAt: number): RequestHandler {
  return (_req, res) => {
    const rt = runtime();
    const created = Math.floor(startedAt / 1000);
    const data = [
      { id: 'auto', object: 'model', created, owned_by: 'switchboard' },
      ...[...rt.models.values()].map((m) => ({ id: m.id, object: 'model', created, owned_by: m.providerName })),
      ...Object.entries(rt.config.aliases).map(([alias, target]) => ({
        id: alias,
        object: 'model',
        created,
        owned_by: rt.models.get(target)?.providerName ?? 'switchboard',
      })),
    ];
    res.json({ object: 'list', data });
  };
}
