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

  /** Removes a conversation created for a request that then failed before its stream opened. */
  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('conversation_messages').where('conversation_id', '=', id).execute();
    await this.db.deleteFrom('conversations').where('id', '=', id).execute();
  }

  /** Every turn, oldest first. */
  async history(id: string): Promise<StoredTurn[]> {
    const rows = await this.db.selectFrom('conversation_messages').select(['role', 'content']).where('conversation_id', '=', id).orderBy('id', 'asc').execute();
    return rows.flatMap((r) => (r.role === 'user' || r.role === 'assistant' ? [{ role: r.role, content: r.content }] : []));
  }

  /** Appends turns in order, in one transaction, and touches updated_at. */
  async append(id: string, turns: readonly StoredTurn[]): Promise<void> {
    if (turns.length === 0) return;
    const now = this.now();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('conversation_messages')
        .values(turns.map((t) => ({ conversation_id: id, role: t.role, content: t.content, created_at: now })))
        .execute();
      await trx.updateTable('conversations').set({ updated_at: now }).where('id', '=', id).execute();
    });
  }
}
