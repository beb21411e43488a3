/**
 * Verifies a presented API key: YAML admin keys first (compared by hash), then the key store.
 * Status checks in the order the SPEC's table gives; messages never include the key.
 */
import type { BlockList } from 'node:net';
import { GatewayError } from '../errors.js';
import type { KeyAncestor, KeyVerifier, Principal } from '../plugins/types.js';
import { hashApiKey, looksLikeApiKey } from './api-key.js';
import { ALL_SCOPES, type KeyRecord } from './key-record.js';
import type { KeyStore } from './key-store.js';
import { buildAllowList, ipAllowed, normalizeIp } from './ip-allow.js';

export const INVALID_KEY = 'Invalid or missing API key';
export const DEFAULT_ACCOUNT = 'default';
/** Keys above a key that are honoured; deeper chains (none are made in practice) stop here. */
const MAX_LINEAGE = 16;

export class Keyring implements KeyVerifier {
  private adminHashes = new Set<string>();
  private readonly allowLists = new WeakMap<KeyRecord, BlockList>();

  constructor(
    private readonly store: KeyStore,
    private readonly clock: () => number,
  ) {}

  setAdminKeys(keys: readonly string[]): void {
    this.adminHashes = new Set(keys.filter((k) => k.trim() !== '').map(hashApiKey));
  }

  get hasConfiguredAdminKeys(): boolean {
    return this.adminHashes.size > 0;
  }

  verify(rawKey: string, ip: string | (() => string)): Principal | Promise<Principal> {
    const hash = hashApiKey(rawKey);
    if (this.adminHashes.has(hash)) {
      return { accountId: DEFAULT_ACCOUNT, keyId: null, scopes: ALL_SCOPES, mode: 'live', rateLimitRpm: null, scheme: 'api-key' };
    }
    if (!looksLikeApiKey(rawKey, this.store.keyPrefix) && !looksLikeApiKey(rawKey, this.store.publicKeyPrefix))
      throw new GatewayError('auth_invalid', INVALID_KEY);
    const cached = this.store.lookupCached(hash);
    if (cached) return this.check(cached, ip);
    return this.store.findByHash(hash).then((record) => {
      if (!record) throw new GatewayError('auth_invalid', INVALID_KEY);
      return this.check(record, ip);
    });
  }

  private check(record: KeyRecord, clientIp: string | (() => string)): Principal | Promise<Principal> {
    if (record.revokedAt !== null) throw new GatewayError('auth_invalid', INVALID_KEY);
    if (record.expiresAt !== null && Date.parse(record.expiresAt) <= this.clock()) throw new GatewayError('auth_invalid', 'API key expired');
    if (record.disabled) throw new GatewayError('auth_invalid', 'API key disabled');
    if (record.allowedIps && record.allowedIps.length > 0) {
      let list = this.allowLists.get(record);
      if (!list) this.allowLists.set(record, (list = buildAllowList(record.allowedIps)));
      const ip = typeof clientIp === 'function' ? clientIp() : clientIp;
      if (!ipAllowed(list, ip)) throw new GatewayError('forbidden', `IP ${normalizeIp(ip)} is not allowed for this key`);
    }
    this.store.touch(record.id);
    const principal: Principal = {
      accountId: record.accountId,
      keyId: record.id,
      scopes: record.scopes,
      mode: record.mode,
      rateLimitRpm: record.rateLimitRpm,
      scheme: 'api-key',
    };
    const withKind = record.type === 'public' ? { ...principal, publicKey: { allowedOrigins: record.allowedOrigins ?? [] } } : principal;
    if (record.parentKeyId === null) return withKind;
    const lineage = this.lineageOf(record);
    return lineage instanceof Promise ? lineage.then((l) => ({ ...withKind, lineage: l })) : { ...withKind, lineage };
  }

  /** The keys above `record`, nearest first; synchronous while they are cached (they are after one lookup). */
  private lineageOf(record: KeyRecord): KeyAncestor[] | Promise<KeyAncestor[]> {
    const lineage: KeyAncestor[] = [];
    const seen = new Set<string>([record.id]);
    const walk = (parentId: string | null): KeyAncestor[] | Promise<KeyAncestor[]> => {
      while (parentId !== null && !seen.has(parentId) && lineage.length < MAX_LINEAGE) {
        seen.add(parentId);
        const found = this.store.findByIdCached(parentId);
        if (found instanceof Promise) return found.then((parent) => (parent ? (push(parent), walk(parent.parentKeyId)) : lineage));
        if (!found) break;
        push(found);
        parentId = found.parentKeyId;
      }
      return lineage;
    };
    const push = (parent: KeyRecord) => lineage.push({ keyId: parent.id, rateLimitRpm: parent.rateLimitRpm });
    return walk(record.parentKeyId);
  }
}
