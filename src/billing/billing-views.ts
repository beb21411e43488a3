/** Wire shapes of ledger rows and parsing of the usage endpoints' parameters. */
import { GatewayError } from '../errors.js';
import type { LedgerRow } from './ledger.js';
import { microsToUsd } from './price.js';

export interface TransactionView {
  readonly id: number;
  readonly type: LedgerRow['type'];
  readonly amount: number;
  readonly balance_after: number;
  readonly model?: string;
  readonly request_id?: string;
  readonly key_id?: string;
  readonly input_tokens?: number;
  readonly output_tokens?: number;
  readonly cost?: number;
  readonly note?: string;
  readonly created_at: string;
}

export function transactionView(row: LedgerRow): TransactionView {
  return {
    id: row.id,
    type: row.type,
    amount: microsToUsd(row.amount_micros),
    balance_after: microsToUsd(row.balance_after_micros),
    ...(row.model !== null ? { model: row.model } : {}),
    ...(row.request_id !== null ? { request_id: row.request_id } : {}),
    ...(row.key_id !== null ? { key_id: row.key_id } : {}),
    ...(row.input_tokens !== null ? { input_tokens: row.input_tokens } : {}),
    ...(row.output_tokens !== null ? { output_tokens: row.output_tokens } : {}),
    ...(row.cost_micros !== null ? { cost: microsToUsd(row.cost_micros) } : {}),
    ...(row.note !== null ? { note: row.note } : {}),
    created_at: row.created_at,
  };
}

/** An integer query parameter within [min, max]; absent → fallback; anything else → 400 naming it. */
export function intParam(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new GatewayError('request_invalid', `${name}: must be an integer from ${min} to ${max}`);
  }
  return n;
}
