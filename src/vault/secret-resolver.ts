/**
 * Resolves provider credential references at call time: `vault:<name>` from the decrypted vault
 * cache (so an update applies to the next request), anything else is a literal (already
 * ${ENV}-interpolated at load).
 */
import type { SecretResolver } from '../plugins/types.js';

export interface SecretSource {
  get(name: string): string | undefined;
}

export const NO_SECRETS: SecretSource = { get: () => undefined };

export function createSecretResolver(source: () => SecretSource): SecretResolver {
  return {
    resolve(ref) {
      if (ref === undefined || ref === '') return undefined;
      if (ref.startsWith('vault:')) return source().get(ref.slice('vault:'.length));
      return ref;
    },
  };
}
