/**
 * POST /api/feedback (scope chat): `{requestId, score}` with score in [0, 1] → 204. The score is
 * stored with the request's log row and fed to the policy that routed the request (when it
 * learns, i.e. implements feedback()) for that request's (category, model). Once per request
 * (409 the second time); an unknown request or another account's is 404; a request older than
 * routing.feedback_ttl_s is 410 Gone.
 */
import { Router } from 'express';
import type { ApiMiddleware } from '../../app.js';
import { GatewayError } from '../../errors.js';
import type { Runtime } from '../../gateway/runtime.js';
import { isRecord } from '../../formats/openai/fields.js';
import type { RequestLogWriter } from '../../routing-state/request-log-writer.js';
import { requireScope } from '../middleware/authenticate.js';
import { principalOf } from '../request-state.js';

export interface FeedbackDeps {
  readonly runtime: () => Runtime;
  readonly requestLog: RequestLogWriter;
}

function parse(body: unknown): { requestId: string; score: number } {
  if (!isRecord(body)) throw new GatewayError('request_invalid', 'body: must be a JSON object');
  const { requestId, score } = body;
  if (typeof requestId !== 'string' || requestId.trim() === '') throw new GatewayError('request_invalid', 'requestId: must be a non-empty string');
  if (typeof score !== 'number' || !Number.isFinite(score) || score < 0 || score > 1)
    throw new GatewayError('request_invalid', 'score: must be a number between 0 and 1');
  return { requestId, score };
}

export function feedbackRoutes(deps: FeedbackDeps) {
  return (mw: ApiMiddleware): Router => {
    const router = Router();
    router.post('/api/feedback', mw.auth, requireScope('chat'), mw.body, async (req, res) => {
      const { requestId, score } = parse(req.body);
      const runtime = deps.runtime();
      const principal = principalOf(res);
      const claim = await deps.requestLog.claimFeedback(requestId, principal.accountId, score, runtime.config.routing.feedback_ttl_s * 1000);
      switch (claim.kind) {
        case 'not_found':
          throw new GatewayError('not_found', `Request ${requestId} not found`);
        case 'already_scored':
          throw new GatewayError('conflict', `Feedback for request ${requestId} was already given`);
        case 'expired':
          throw new GatewayError(
            'request_invalid',
            `Feedback for request ${requestId} is no longer accepted (older than ${runtime.config.routing.feedback_ttl_s} s)`,
            { status: 410 },
          );
        case 'claimed': {
          const { category, model, policy } = claim.request;
          runtime.policies.get(policy)?.feedback?.({ category, modelId: model, score });
          res.status(204).end();
        }
      }
    });
    return router;
  };
}
