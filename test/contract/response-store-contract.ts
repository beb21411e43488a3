/**
 * The contract every ResponseStore implementation meets (SQLite today; run it against a
 * PostgreSQL repository when one is added): round trip, per-account isolation, delete.
 */
import { describe, expect, it } from 'vitest';
import type { ResponseStore, StoredResponse } from '../../src/responses/response-store.js';

function sample(id: string, accountId: string): StoredResponse {
  return {
    id,
    accountId,
    createdAt: '2026-12-02T10:00:00.000Z',
    inputItems: [{ type: 'message', role: 'user', content: 'Grüße 👋' }],
    outputItems: [{ id: 'msg_1', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'hi', annotations: [] }] }],
    response: { id, object: 'response', status: 'completed', output: [], metadata: { k: 'v' } },
  };
}

export function describeResponseStore(name: string, open: () => Promise<{ store: ResponseStore; close(): Promise<void> }>): void {
  describe(`ResponseStore contract: ${name}`, () => {
    it('returns what was saved, JSON intact', async () => {
      const { store, close } = await open();
      const saved = sample('resp_a', 'acct-1');
      await store.save(saved);
      expect(await store.get('resp_a', 'acct-1')).toEqual(saved);
      expect(await store.get('resp_missing', 'acct-1')).toBeUndefined();
      await close();
    });

    it("another account's response does not exist for it, and cannot be deleted by it", async () => {
      const { store, close } = await open();
      await store.save(sample('resp_b', 'acct-1'));
      expect(await store.get('resp_b', 'acct-2')).toBeUndefined();
      expect(await store.delete('resp_b', 'acct-2')).toBe(false);
      expect(await store.get('resp_b', 'acct-1')).toBeDefined();
      await close();
    });

    it('delete removes it once', async () => {
      const { store, close } = await open();
      await store.save(sample('resp_c', 'acct-1'));
      expect(await store.delete('resp_c', 'acct-1')).toBe(true);
      expect(await store.delete('resp_c', 'acct-1')).toBe(false);
      expect(await store.get('resp_c', 'acct-1')).toBeUndefined();
      await close();
    });
  });
}
