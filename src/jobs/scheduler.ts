/** node-cron wiring of the maintenance jobs (UTC). Jobs never block the request path: each is one short transaction. */
import cron, { type ScheduledTask } from 'node-cron';
import type { Kysely } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import type { Logger } from '../plugins/types.js';
import { checkpointAndOptimize, pruneConversations, pruneExpiredPromoCodes, pruneRequestLogs, pruneResponses } from './maintenance.js';

export interface JobSettings {
  readonly requestLogsDays: () => number;
  readonly conversationsDays: () => number;
  readonly responsesDays: () => number;
}

export function startJobs(
  db: Kysely<unknown>,
  sqlite: BetterSqlite3.Database,
  settings: JobSettings,
  clock: () => number,
  logger: Logger,
): { stop(): Promise<void> } {
  const run = (name: string, job: () => Promise<unknown> | unknown) => async () => {
    try {
      const result = await job();
      logger.info({ event: 'job', job: name, result }, `job ${name} done`);
    } catch (err) {
      logger.error({ event: 'job_failed', job: name, err }, `job ${name} failed`);
    }
  };
  const options = { timezone: 'UTC', noOverlap: true } as const;
  const tasks: ScheduledTask[] = [
    cron.schedule(
      '7 * * * *',
      run('wal-checkpoint', () => checkpointAndOptimize(sqlite)),
      { ...options, name: 'wal-checkpoint' },
    ),
    cron.schedule(
      '17 3 * * *',
      run('prune-request-logs', () => pruneRequestLogs(db, clock(), settings.requestLogsDays())),
      { ...options, name: 'prune-request-logs' },
    ),
    cron.schedule(
      '27 3 * * *',
      run('prune-conversations', () => pruneConversations(db, clock(), settings.conversationsDays())),
      { ...options, name: 'prune-conversations' },
    ),
    cron.schedule(
      '47 3 * * *',
      run('prune-responses', () => pruneResponses(db, clock(), settings.responsesDays())),
      { ...options, name: 'prune-responses' },
    ),
    cron.schedule(
      '37 3 * * *',
      run('prune-promo-codes', () => pruneExpiredPromoCodes(db, clock())),
      { ...options, name: 'prune-promo-codes' },
    ),
  ];
  return {
    async stop() {
      for (const task of tasks) await task.stop();
    },
  };
}
