/** The bandit's learned state: arms by category then model, each category's watch, and their JSON-safe snapshot form. */
import { parseArm, type ArmState } from './arm.js';

export type ArmTable = Map<string, Map<string, ArmState>>;

/**
 * Per category: the two best arms by posterior mean among the last ranked candidates, the
 * reversal statistic between them, and the runner-up's trial (requests into it, or -1 for none).
 */
export interface Watch {
  leader: string;
  runnerUp: string;
  statistic: number;
  trialAge: number;
}

export type WatchTable = Map<string, Watch>;

export interface ArmSnapshot extends ArmState {
  readonly category: string;
  readonly modelId: string;
}

export interface WatchSnapshot extends Watch {
  readonly category: string;
}

export interface BanditSnapshot {
  readonly version: 1;
  readonly arms: readonly ArmSnapshot[];
  /** Added later than `arms`; a snapshot without it restores with no category under watch. */
  readonly watches?: readonly WatchSnapshot[];
}

/** Bounds what a restore may allocate; real configurations have far fewer arms. */
const MAX_ARMS = 10_000;
const MAX_NAME = 256;

export function toSnapshot(table: ArmTable, watches: WatchTable): BanditSnapshot {
  const arms: ArmSnapshot[] = [];
  for (const [category, byModel] of table) {
    for (const [modelId, arm] of byModel) arms.push({ category, modelId, ...arm });
  }
  const out: WatchSnapshot[] = [];
  for (const [category, watch] of watches) out.push({ category, ...watch });
  return { version: 1, arms, watches: out };
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_NAME;
}

function isCount(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min;
}

function parseWatches(value: unknown, table: WatchTable): void {
  if (!Array.isArray(value)) return;
  for (const entry of value as unknown[]) {
    if (table.size >= MAX_ARMS) break;
    if (typeof entry !== 'object' || entry === null) continue;
    const { category, leader, runnerUp, statistic, trialAge } = entry as Record<string, unknown>;
    if (!isName(category) || !isName(leader) || !isName(runnerUp) || !isCount(statistic, 0) || !isCount(trialAge, -1)) continue;
    table.set(category, { leader, runnerUp, statistic, trialAge: Math.floor(trialAge) });
  }
}

/** The state in untrusted input; null when it is not a snapshot at all. Invalid entries are skipped. */
export function fromSnapshot(value: unknown): { arms: ArmTable; watches: WatchTable } | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  if (record['version'] !== 1 || !Array.isArray(record['arms'])) return null;
  const table: ArmTable = new Map();
  let count = 0;
  for (const entry of record['arms'] as unknown[]) {
    if (count >= MAX_ARMS) break;
    if (typeof entry !== 'object' || entry === null) continue;
    const { category, modelId } = entry as Record<string, unknown>;
    const arm = parseArm(entry);
    if (!isName(category) || !isName(modelId) || arm === null) continue;
    let byModel = table.get(category);
    if (!byModel) {
      byModel = new Map();
      table.set(category, byModel);
    }
    if (!byModel.has(modelId)) count += 1;
    byModel.set(modelId, arm);
  }
  const watches: WatchTable = new Map();
  parseWatches(record['watches'], watches);
  return { arms: table, watches };
}
