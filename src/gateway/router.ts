/**
 * Decides which models a request may be sent to, in order: classify the prompt, pick the
 * category's candidates (or the requested model and its fallbacks), drop those that cannot take
 * the request, and let the category's policy rank them.
 */
import { GatewayError } from '../errors.js';
import type { ChatRequest, Message } from '../formats/canonical.js';
import { textOf } from '../formats/canonical.js';
import type { Candidate, Classification, ClassifyInput } from '../plugins/types.js';
import type { CircuitBreakers } from './circuit-breaker.js';
import type { ResolvedModel, Runtime } from './runtime.js';

export interface RouteDecision {
  readonly category: string;
  readonly subcategory: string;
  readonly confidence: number;
  /** "explicit" when the client named a model. */
  readonly policy: string;
  readonly candidates: readonly ResolvedModel[];
}

export function classifyInput(messages: readonly Message[]): ClassifyInput {
  let prompt = '';
  let hasImages = false;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role === 'user') {
      prompt = textOf(m.content);
      hasImages = m.content.some((p) => p.type === 'image');
      break;
    }
  }
  return { prompt, hasImages, hasFiles: false };
}

interface Needs {
  readonly vision: boolean;
  readonly tools: boolean;
}

function needsOf(req: ChatRequest): Needs {
  let vision = false;
  for (const m of req.messages) if (m.role === 'user' && m.content.some((p) => p.type === 'image')) vision = true;
  return { vision, tools: (req.tools?.length ?? 0) > 0 };
}

function lacks(model: ResolvedModel, needs: Needs): string | null {
  if (needs.vision && !model.capabilities.has('vision')) return 'images';
  if (needs.tools && !model.capabilities.has('tools')) return 'tools';
  return null;
}

export function unknownModelError(requested: string, runtime: Runtime): GatewayError {
  const ids = [...runtime.models.keys(), ...Object.keys(runtime.config.aliases)];
  return new GatewayError('model_not_found', `The model "${requested}" does not exist. Available models: auto, ${ids.join(', ')}`);
}

function toCandidate(model: ResolvedModel, breakers: CircuitBreakers): Candidate {
  return {
    modelId: model.id,
    provider: model.providerName,
    inputPer1M: model.inputPer1M,
    outputPer1M: model.outputPer1M,
    healthy: breakers.isHealthy(model.id),
  };
}

export async function classifyRequest(runtime: Runtime, req: Pick<ChatRequest, 'messages'>): Promise<Classification> {
  return runtime.classifier.classify(classifyInput(req.messages));
}

/** Models for a category under auto routing: its route, else the default category's, else every model that lists it. */
export function categoryRoute(runtime: Runtime, category: string): { policy: string; models: ResolvedModel[] } {
  const routes = runtime.config.routing.categories;
  const route = routes[category] ?? routes[runtime.config.routing.default_category];
  const pick = (ids: readonly string[]) => ids.map((id) => runtime.resolveModelId(id)).flatMap((id) => (id === undefined ? [] : [runtime.models.get(id)!]));
  if (route) return { policy: route.policy, models: pick(route.models) };
  const listed = [...runtime.models.values()].filter((m) => m.categories.includes(category));
  return { policy: 'fixed', models: listed.length > 0 ? listed : [...runtime.models.values()] };
}

export async function route(runtime: Runtime, breakers: CircuitBreakers, req: ChatRequest): Promise<RouteDecision> {
  const requested = req.model === '' ? 'auto' : req.model;
  const classification = await classifyRequest(runtime, req);
  const needs = needsOf(req);
  const maxAttempts = runtime.config.routing.max_attempts;

  if (requested !== 'auto') {
    const id = runtime.resolveModelId(requested);
    if (id === undefined) throw unknownModelError(requested, runtime);
    const primary = runtime.models.get(id)!;
    const missing = lacks(primary, needs);
    if (missing === 'images') throw new GatewayError('unsupported_media', `The model "${primary.id}" cannot take images`);
    if (missing) throw new GatewayError('request_invalid', `tools: the model "${primary.id}" does not support tool calling`);
    const fallbacks = primary.fallbacks
      .map((f) => runtime.resolveModelId(f))
      .flatMap((fid) => (fid === undefined || fid === id ? [] : [runtime.models.get(fid)!]))
      .filter((m) => lacks(m, needs) === null);
    const ordered = [primary, ...fallbacks.filter((m) => breakers.isHealthy(m.id)), ...fallbacks.filter((m) => !breakers.isHealthy(m.id))];
    return { ...classification, policy: 'explicit', candidates: ordered.slice(0, maxAttempts) };
  }

  const { policy: policyName, models } = categoryRoute(runtime, classification.category);
  const capable = models.filter((m) => lacks(m, needs) === null);
  if (capable.length === 0) {
    if (needs.vision) throw new GatewayError('unsupported_media', `No model configured for category "${classification.category}" can take images`);
    throw new GatewayError('request_invalid', `No model configured for category "${classification.category}" supports this request`);
  }
  const policy = runtime.policies.get(policyName) ?? runtime.policies.get('fixed');
  const byId = new Map(capable.map((m) => [m.id, m]));
  const candidates = capable.map((m) => toCandidate(m, breakers));
  const ranked = policy ? policy.rank(candidates, classification) : candidates;
  const ordered = ranked.flatMap((c) => {
    const m = byId.get(c.modelId);
    return m ? [m] : [];
  });
  return { ...classification, policy: policyName, candidates: ordered.slice(0, maxAttempts) };
}
