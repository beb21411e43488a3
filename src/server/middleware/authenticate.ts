/**
 * Tries each configured auth scheme in order; the first that recognises the request decides.
 * Also the scope check. Failures become GatewayErrors rendered in the route's envelope.
 */
import type { RequestHandler } from 'express';
import { GatewayError } from '../../errors.js';
import type { Runtime } from '../../gateway/runtime.js';
import type { Principal, Scope } from '../../plugins/types.js';
import { INVALID_KEY } from '../../keys/keyring.js';
import { principalOf, stateOf } from '../request-state.js';

export function authenticate(runtime: () => Runtime, onAuthenticated?: (principal: Principal, res: Parameters<RequestHandler>[1]) => void): RequestHandler {
  return async (req, res, next) => {
    const request = { headers: req.headers, ip: req.ip ?? req.socket.remoteAddress ?? '' };
    for (const { authenticator } of runtime().authenticators) {
      const found = authenticator.authenticate(request);
      const principal = found instanceof Promise ? await found : found;
      if (principal) {
        stateOf(res).principal = principal;
        onAuthenticated?.(principal, res);
        return next();
      }
    }
    throw new GatewayError('auth_invalid', INVALID_KEY);
  };
}

export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.scopes.includes('admin') || principal.scopes.includes(scope);
}

export function requireScope(scope: Scope): RequestHandler {
  return (_req, res, next) => {
    if (!hasScope(principalOf(res), scope)) throw new GatewayError('forbidden', `This API key lacks the "${scope}" scope`);
    next();
  };
}
