/**
 * Tries each configured auth scheme in order; the first that recognises the request decides.
 * Also the scope check. Failures become GatewayErrors rendered in the route's envelope.
 */
import type { RequestHandler } from 'express';
import { GatewayError } from '../../errors.js';
import type { Runtime } from '../../gateway/runtime.js';
import type { AuthRequest, Principal, Scope } from '../../plugins/types.js';
import { INVALID_KEY } from '../../keys/keyring.js';
import { principalOf, stateOf } from '../request-state.js';
import { admitPublicKey } from './public-keys.js';

export function authenticate(runtime: () => Runtime, onAuthenticated?: (principal: Principal, res: Parameters<RequestHandler>[1]) => void): RequestHandler {
  return (req, res, next) => {
    // The client address goes through Express's trust-proxy logic: computed when a scheme reads it.
    const request: AuthRequest = {
      headers: req.headers,
      get ip() {
        return req.ip ?? req.socket.remoteAddress ?? '';
      },
    };
    const { authenticators } = runtime();
    const accept = (principal: Principal) => {
      if (principal.publicKey) admitPublicKey(principal, req.path, req.headers, res);
      stateOf(res).principal = principal;
      onAuthenticated?.(principal, res);
      next();
    };
    // Synchronous while the schemes answer synchronously (a cached key): no promise per request.
    const tryFrom = (first: number): void | Promise<void> => {
      for (let i = first; i < authenticators.length; i++) {
        const found = authenticators[i]!.authenticator.authenticate(request);
        if (found instanceof Promise) return found.then((principal) => (principal ? accept(principal) : tryFrom(i + 1)));
        if (found) return accept(found);
      }
      throw new GatewayError('auth_invalid', INVALID_KEY);
    };
    return tryFrom(0);
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
