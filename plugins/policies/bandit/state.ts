/** The bandit's learned state: arms by category then model, and its JSON-safe snapshot form. */
import { parseArm, type ArmState } from './arm.js';

export type ArmTable = Map<string, Map<string, ArmState>>;

export interface ArmSnapshot extends ArmState {
  readonly category: string;
  readonly modelId: string;
}

export interface BanditSnapshot {
  readonly version: 1;
  readonly arms: readonly ArmSnapshot[];
}

/** Bounds what a restore may allocate; real configurations have far fewer arms. */
const MAX_ARMS = 10_000;
const MAX_NAME = 256;

export function toSnapshot(table: ArmTable): BanditSnapshot {
  const arms: ArmSnapshot[] = [];
  for (const [category, byModel] of table) {
    for (const [modelId, arm] of byModel) arms.push({ category, modelId, ...arm });
  }
  return { version: 1, arms };
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_NAME;
}

/** The arm table in untrusted input; null when it is not a snapshot at all. Invalid arms are skipped. */
export function fromSnapshot(value: unknown): ArmTable | null {
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
  return table;
}
