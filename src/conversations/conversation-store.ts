/**
 * Native-chat conversations: a conversation belongs to one account; its turns are stored as
 * text (user turns with their inlined text files, images as a short placeholder) so history
 * stays small. Another account's conversation behaves as if it did not exist.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export type ConversationRole = 'user' | 'assistant';

export interface StoredTurn {
  readonly role: ConversationRole;
  readonly content: string;
}

export interface Conversation {
  readonly id: string;
  readonly accountId: string;
  readonly title: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

const TITLE_CHARS = 80;
/** Rows per INSERT: 4 bound values each, far below SQLite's 32,766 variables per statement. */
const INSERT_CHUNK = 500;
/** Rows per read of a long conversation's tail. */
const HISTORY_PAGE = 500;

function titleOf(text: string): string | null {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line === '') return null;
  return line.length > TITLE_CHARS ? `${line.slice(0, TITLE_CHARS - 1)}…` : line;
}

export function newConversationId(): string {
  return `conv_${randomBytes(12).toString('hex')}`;
}

export class ConversationStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: () => number,
  ) {}

  private now(): string {
    return new Date(this.clock()).toISOString();
  }

  /** The account's conversation, or undefined (also for another account's id). */
  async get(id: string, accountId: string): Promise<Conversation | undefined> {
    const row = await this.db.selectFrom('conversations').selectAll().where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
    if (!row) return undefined;
    return { id: row.id, accountId: row.account_id, title: row.title, createdAt: row.created_at, updatedAt: row.updated_at };
  }

  async create(accountId: string, firstText: string, id: string = newConversationId()): Promise<Conversation> {
    const now = this.now();
    const title = titleOf(firstText);
    await this.db.insertInto('conversations').values({ id, account_id: accountId, title, created_at: now, updated_at: now }).execute();
    return { id, accountId, title, createdAt: now, updatedAt: now };
  }

  /** Removes a conversation and its messages (with inlined files). */
  async delete(id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('conversation_messages').where('conversation_id', '=', id).execute();
      await trx.deleteFrom('conversations').where('id', '=', id).execute();
    });
  }

  /** Deletes the account's conversation; false when it has none with this id. */
  async deleteOwned(id: string, accountId: string): Promise<boolean> {
    if (!(await this.get(id, accountId))) return false;
    await this.delete(id);
    return true;
  }

  /** UTF-8 bytes stored in one conversation. */
  async bytesOf(id: string): Promise<number> {
    const row = await this.db.selectFrom('conversations').select('bytes').where('id', '=', id).executeTakeFirst();
    return Number(row?.bytes ?? 0);
  }

  /** UTF-8 bytes stored in all of an account's conversations. */
  async accountBytes(accountId: string): Promise<number> {
    const row = await this.db
      .selectFrom('conversations')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('bytes'), eb.lit(0)).as('bytes'))
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return Number(row?.bytes ?? 0);
  }

  /**
   * The newest turns whose text adds up to at most `maxChars` (at least the newest one), oldest
   * first: a long conversation is read from its end, page by page, only as far as a prompt
   * could use.
   */
  async historyTail(id: string, maxChars: number): Promise<StoredTurn[]> {
    const turns: StoredTurn[] = [];
    let chars = 0;
    let before: number | undefined;
    for (;;) {
      let query = this.db.selectFrom('conversation_messages').select(['id', 'role', 'content']).where('conversation_id', '=', id);
      if (before !== undefined) query = query.where('id', '<', before);
      const rows = await query.orderBy('id', 'desc').limit(HISTORY_PAGE).execute();
      for (const r of rows) {
        if (turns.length > 0 && chars + r.content.length > maxChars) return turns.reverse();
        chars += r.content.length;
        if (r.role === 'user' || r.role === 'assistant') turns.push({ role: r.role, content: r.content });
      }
      if (rows.length < HISTORY_PAGE) return turns.reverse();
      before = rows[rows.length - 1]!.id;
    }
  }

  /** Every turn, oldest first. */
  async history(id: string): Promise<StoredTurn[]> {
    return this.historyTail(id, Number.POSITIVE_INFINITY);
  }

  /** Appends turns in order, in one transaction (inserted in chunks), and touches updated_at and bytes. */
  async append(id: string, turns: readonly StoredTurn[]): Promise<void> {
    if (turns.length === 0) return;
    const now = this.now();
    const bytes = turns.reduce((n, t) => n + storedBytes(t), 0);
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < turns.length; i += INSERT_CHUNK) {
        await trx
          .insertInto('conversation_messages')
          .values(turns.slice(i, i + INSERT_CHUNK).map((t) => ({ conversation_id: id, role: t.role, content: t.content, created_at: now })))
          .execute();
      }
      await trx
        .updateTable('conversations')
        .set((eb) => ({ updated_at: now, bytes: eb('bytes', '+', bytes) }))
        .where('id', '=', id)
        .execute();
    });
  }
}

/** What a turn costs against the storage caps. */
export function storedBytes(turn: StoredTurn): number {
  return Buffer.byteLength(turn.content, 'utf8');
}
