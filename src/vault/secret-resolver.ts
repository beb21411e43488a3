/**
 * Resolves provider credential references at call time: `vault:<name>` from the decrypted vault
 * cache (so an update applies to the next request), anything else is a literal (already
 * ${ENV}-interpolated at load).
 */
import { GatewayError } from '../errors.js';
import type { SecretResolver } from '../plugins/types.js';
import type { KnownSecrets } from './known-secrets.js';

export interface SecretSource {
  get(name: string): string | undefined;
}

export const NO_SECRETS: SecretSource = { get: () => undefined };

/** `known` learns every value resolved, so errors and logs can have it redacted. */
export function createSecretResolver(source: () => SecretSource, known?: KnownSecrets): SecretResolver {
  return {
    resolve(ref) {
      const value = resolveRef(source, ref);
      known?.add(value);
      return value;
    },
  };
}

function resolveRef(source: () => SecretSource, ref: string | undefined): string | undefined {
  if (ref === undefined || ref === '') return undefined;
  if (!ref.startsWith('vault:')) return ref;
  const name = ref.slice('vault:'.length);
  const value = source().get(name);
  // Failing here (retryable) beats sending no credential and reading the provider's 401.
  if (value === undefined)
    throw new GatewayError('upstream_unavailable', `The provider credential "vault:${name}" is not in the vault (PUT /api/admin/vault/${name})`);
  return value;
}
