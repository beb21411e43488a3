/**
 * Opens the database named by `database.url`. SQLite (better-sqlite3) now; the data layer speaks
 * Kysely only, so a PostgreSQL dialect can be added here without rewriting queries.
 */
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import type { Database } from './schema.js';
import { databaseUrlProblem } from './url.js';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: 'sqlite';
  /** The raw SQLite connection, for PRAGMAs and the maintenance jobs. */
  readonly sqlite: BetterSqlite3.Database;
  close(): Promise<void>;
}

export function sqlitePathOf(url: string, cwd: string): string {
  const problem = databaseUrlProblem(url);
  if (problem) throw new Error(`database.url: ${problem}`);
  const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  if (path === ':memory:' || path === '') return ':memory:';
  return resolve(cwd, path);
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver calls prepare() for every query, so SQLite re-parses and re-plans the
 * same few statements on every request (about half the CPU of a ledger transaction). Statements
 * are reused by SQL text instead; one still being iterated (Kysely's stream()) is busy and cannot
 * run twice, so a fresh one is prepared then.
 */
function withStatementCache(sqlite: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      const cached = cache.get(sql);
      if (cached && !cached.busy) return cached;
      const statement = sqlite.prepare(sql);
      if (!cached) {
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

export function openDatabase(url: string, cwd = process.cwd()): DatabaseHandle {
  const path = sqlitePathOf(url, cwd);
  // Start-up only: the directory must exist before SQLite can create the file. What Switchboard
  // creates is private: the data directory 0700, the database 0600 (SQLite gives the -wal and
  // -shm files the database file's mode).
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, 'a', 0o600));
    for (const file of [path, `${path}-wal`, `${path}-shm`]) {
      try {
        chmodSync(file, 0o600);
      } catch {
        /* absent, or not ours to change */
      }
    }
  }
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  // In WAL mode NORMAL is durable against a process crash (kill -9); only an OS crash or power
  // loss can lose the last commits. FULL would fsync every charge.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    db,
    dialect: 'sqlite',
    sqlite,
    async close() {
      await db.destroy();
    },
  };
}
