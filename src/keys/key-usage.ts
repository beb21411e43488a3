/**
 * Where a key's spend comes from. The credits subsystem owns the ledger and provides the real
 * source; until it is wired, keys report no usage.
 */
import type { LimitReset } from './key-record.js';

export interface KeyUsageSource {
  /**
   * Micro-dollars the key has spent in the current period of `limitReset` (the UTC day, the
   * week starting Monday, the calendar month), or over its whole life when `limitReset` is null.
   * Synchronous: views call it for every listed key.
   */
  usageMicros(keyId: string, limitReset: LimitReset | null): number;
}

export const NO_KEY_USAGE: KeyUsageSource = { usageMicros: () => 0 };
