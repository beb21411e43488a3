/**
 * Property: a key holding scopes S never obtains — by creating, patching or re-enabling, directly
 * or through keys it made — a key with a scope outside S. Seeded, so every run checks the same
 * few hundred random scenarios; a failure prints its case number.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountService } from '../../src/accounts/account-service.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { isGatewayError } from '../../src/errors.js';
import { ALL_SCOPES, type KeyRecord } from '../../src/keys/key-record.js';
import { KeyService, OPERATOR, type KeyCaller } from '../../src/keys/key-service.js';
import { KeyStore } from '../../src/keys/key-store.js';
import type { Scope } from '../../src/plugins/types.js';
import { seededRandom } from '../helpers/seeded-random.js';

const CASES = 300;
const STEPS = 8;

let handle: DatabaseHandle;
let service: KeyService;
let accounts: AccountService;

beforeAll(async () => {
  handle = openDatabase('sqlite::memory:');
  const migrated = await migrateToLatest(handle.db);
  expect(migrated.error).toBeUndefined();
  const keyStore = new KeyStore(handle.db, { prefix: 'bkb_', clock: Date.now });
  accounts = new AccountService(handle.db, Date.now);
  service = new KeyService({ db: handle.db, keyStore, accounts, clock: Date.now, maxKeysPerAccount: () => 1000 });
});

afterAll(async () => {
  await handle?.close();
});

const callerOf = (record: KeyRecord): KeyCaller => ({ accountId: record.accountId, keyId: record.id, scopes: record.scopes, mode: record.mode });
const within = (held: readonly Scope[], scopes: readonly Scope[]) => scopes.every((s) => held.includes(s) || held.includes('admin'));

describe('scope escalation (property)', () => {
  it(`holds over ${CASES} seeded scenarios`, async () => {
    const random = seededRandom(20261123);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const subset = (from: readonly Scope[]): Scope[] => from.filter(() => random() < 0.5);
    const nonEmpty = (from: readonly Scope[]): Scope[] => {
      const s = subset(from);
      return s.length > 0 ? s : [pick(from)];
    };
    let successes = 0;
    let refusals = 0;

    for (let c = 0; c < CASES; c++) {
      const account = await accounts.create(`case-${c}`);
      // The root caller never holds admin (admin is unbounded by design); it usually holds keys.
      const rootScopes = nonEmpty(['chat', 'read', 'keys'] as const);
      if (random() < 0.8 && !rootScopes.includes('keys')) rootScopes.push('keys');
      const root = (await service.create(OPERATOR, { account: account.id, scopes: rootScopes })).record;
      // Keys of the same account the caller must not be able to take over, some disabled.
      const others: KeyRecord[] = [];
      for (let i = 0; i < 2; i++) {
        const other = (await service.create(OPERATOR, { account: account.id, scopes: nonEmpty(ALL_SCOPES) })).record;
        others.push(random() < 0.5 ? await service.update(OPERATOR, other.id, { disabled: true }) : other);
      }
      const family: KeyRecord[] = [root];

      for (let step = 0; step < STEPS; step++) {
        const actor = pick(family);
        const caller = callerOf(actor);
        const wanted = random() < 0.2 ? undefined : nonEmpty(ALL_SCOPES);
        const action = pick(['create', 'patch-scopes', 'reenable', 'patch-both'] as const);
        const target = pick([...family, ...others]);
        const before = await handle.db.selectFrom('api_keys').select(['scopes', 'disabled']).where('id', '=', target.id).executeTakeFirstOrThrow();
        let result: KeyRecord | undefined;
        try {
          if (action === 'create') result = (await service.create(caller, wanted === undefined ? {} : { scopes: wanted })).record;
          else if (action === 'patch-scopes') result = await service.update(caller, target.id, { scopes: wanted ?? ['read'] });
          else if (action === 'reenable') result = await service.update(caller, target.id, { disabled: false });
          else result = await service.update(caller, target.id, { disabled: false, scopes: wanted ?? ['chat'] });
        } catch (err) {
          if (!isGatewayError(err) || (err.status !== 403 && err.status !== 404)) throw err;
          refusals++;
          if (action !== 'create') {
            const after = await handle.db.selectFrom('api_keys').select(['scopes', 'disabled']).where('id', '=', target.id).executeTakeFirstOrThrow();
            expect(after, `case ${c} step ${step}: a refused change must change nothing`).toEqual(before);
          }
          continue;
        }
        successes++;
        expect(within(caller.scopes, result.scopes), `case ${c} step ${step}: ${caller.scopes.join(',')} obtained ${result.scopes.join(',')}`).toBe(true);
        expect(within(rootScopes, result.scopes), `case ${c} step ${step}: escaped the root's scopes`).toBe(true);
        const index = family.findIndex((k) => k.id === result.id);
        if (index >= 0) family[index] = result;
        else if (others.some((k) => k.id === result.id))
          others.splice(
            others.findIndex((k) => k.id === result.id),
            1,
            result,
          );
        else family.push(result);
      }
      // Everything the family can reach stays within the root's scopes.
      for (const key of family) expect(within(rootScopes, key.scopes), `case ${c}: family key ${key.scopes.join(',')}`).toBe(true);
    }
    // The generator exercises both outcomes in earnest.
    expect(successes).toBeGreaterThan(CASES);
    expect(refusals).toBeGreaterThan(CASES);
  });
});
