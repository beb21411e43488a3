/**
 * The routing endpoints of the seed API:
 * - POST /api/route (chat): what auto routing would do with a prompt, without calling a model;
 * - GET /api/models (read): the model table with caller prices (overhead included) and health;
 * - GET /api/routing/stats (read): what the policies learned, per category and model.
 */
import { Router } from 'express';
import type { ApiMiddleware } from '../../app.js';
import { priceWithOverhead } from '../../billing/price.js';
import { GatewayError } from '../../errors.js';
import type { BreakerState, CircuitBreakers } from '../../gateway/circuit-breaker.js';
import { route } from '../../gateway/router.js';
import type { Runtime } from '../../gateway/runtime.js';
import { isRecord } from '../../formats/openai/fields.js';
import { requireScope } from '../middleware/authenticate.js';
import type { PolicyArmStats } from '../../plugins/types.js';

export interface RoutingApiDeps {
  readonly runtime: () => Runtime;
  readonly breakers: CircuitBreakers;
}

export type ModelStatus = 'available' | 'degraded' | 'unavailable';

export function modelStatus(state: BreakerState): ModelStatus {
  return state === 'closed' ? 'available' : state === 'half-open' ? 'degraded' : 'unavailable';
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** One arm's statistics as /api/routing/stats shows them. */
export type ArmStatsView = Omit<PolicyArmStats, 'category' | 'modelId'> & { readonly model: string; readonly policy: string };

/** `{categories: {code: [{model, policy, pulls, …}]}}`, models sorted by id. */
export function routingStats(runtime: Runtime): { categories: Record<string, ArmStatsView[]> } {
  const categories: Record<string, ArmStatsView[]> = {};
  for (const [policyName, policy] of runtime.policies) {
    for (const arm of policy.stats?.() ?? []) {
      (categories[arm.category] ??= []).push({
        model: arm.modelId,
        policy: policyName,
        pulls: arm.pulls,
        successes: arm.successes,
        failures: arm.failures,
        alpha: round(arm.alpha, 6),
        beta: round(arm.beta, 6),
        meanReward: round(arm.meanReward, 6),
        avgLatencyMs: round(arm.avgLatencyMs, 2),
        avgCostUsd: round(arm.avgCostUsd, 6),
      });
    }
  }
  for (const list of Object.values(categories)) list.sort((a, b) => a.model.localeCompare(b.model) || a.policy.localeCompare(b.policy));
  return { categories };
}

export function routingApiRoutes(deps: RoutingApiDeps) {
  return (mw: ApiMiddleware): Router => {
    const router = Router();

    router.post('/api/route', mw.auth, requireScope('chat'), mw.body, async (req, res) => {
      const body: unknown = req.body;
      const prompt = isRecord(body) ? body['prompt'] : undefined;
      if (typeof prompt !== 'string' || prompt.trim() === '') throw new GatewayError('request_invalid', 'prompt: must be a non-empty string');
      const runtime = deps.runtime();
      const decision = await route(runtime, deps.breakers, {
        model: 'auto',
        messages: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
        maxTokens: 1,
        stream: false,
      });
      res.json({
        category: decision.category,
        subcategory: decision.subcategory,
        model: decision.candidates[0]?.id ?? null,
        policy: decision.policy,
        candidates: decision.candidates.map((m) => m.id),
        confidence: round(decision.confidence, 4),
      });
    });

    router.get('/api/models', mw.auth, requireScope('read'), (_req, res) => {
      const runtime = deps.runtime();
      const overhead = runtime.config.billing.overhead;
      const models = [...runtime.models.values()].map((m) => ({
        id: m.id,
        name: m.name,
        provider: m.providerName,
        categories: m.categories,
        inputPer1M: priceWithOverhead(m.inputPer1M, overhead),
        outputPer1M: priceWithOverhead(m.outputPer1M, overhead),
        cacheReadPer1M: priceWithOverhead(m.cachedInputPer1M, overhead),
        cacheWritePer1M: priceWithOverhead(m.cacheWritePer1M, overhead),
        contextWindow: m.contextWindow,
        capabilities: [...m.capabilities],
        status: modelStatus(deps.breakers.state(m.id)),
      }));
      res.json({ models });
    });

    router.get('/api/routing/stats', mw.auth, requireScope('read'), (_req, res) => {
      res.json(routingStats(deps.runtime()));
    });

    return router;
  };
}
