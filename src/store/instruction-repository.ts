import { and, count, eq } from 'drizzle-orm';
import type { InstructionStatus } from '../core/vocabulary.js';
import { type AuditContext, createAuditRepository } from './audit-repository.js';
import type { DubanDatabase } from './database.js';
import { articles, documents, type InstructionRow, instructions } from './schema/index.js';

export type Instruction = InstructionRow;

/**
 * The content hash that marks a year's "领导批示" document: not a decision text, so an import never
 * matches it, and article lookups by number (/due 13) skip it (see task-repository `findArticle`).
 */
export const INSTRUCTIONS_DOCUMENT_PREFIX = 'instructions:';

/** Leaders' instructions (批示): recorded, then confirmed or rejected once; each step audited. */
export function createInstructionRepository({ db }: { db: DubanDatabase }) {
  const audit = createAuditRepository({ db });
  const inTransaction = <T>(fn: () => T): T => db.$client.transaction(fn)();

  return {
    /** Runs `fn` in one transaction (a savepoint when already inside one); `fn` must be synchronous. */
    transaction<T>(fn: () => T): T {
      return inTransaction(fn);
    },

    getInstruction(id: number): Instruction | null {
      return db.select().from(instructions).where(eq(instructions.id, id)).get() ?? null;
    },

    findByMessage(messageId: string): Instruction | null {
      return db.select().from(instructions).where(eq(instructions.messageId, messageId)).get() ?? null;
    },

    /** Records a leader's reply once per message; a repeat returns the instruction already recorded. */
    recordInstruction(
      input: {
        text: string;
        chatId: string;
        agencies: readonly string[];
        articleNo: number | null;
        dueDate: string | null;
      } & AuditContext & { messageId: string },
    ): { instruction: Instruction; created: boolean } {
      const { text, chatId, agencies, articleNo, dueDate, ...ctx } = input;
      return inTransaction(() => {
        const existing = db
          .select()
          .from(instructions)
          .where(eq(instructions.messageId, ctx.messageId))
          .get();
        if (existing !== undefined) return { instruction: existing, created: false };
        const instruction = db
          .insert(instructions)
          .values({
            text,
            leaderOpenId: ctx.actor,
            chatId,
            messageId: ctx.messageId,
            agencies: [...agencies],
            articleNo,
            dueDate,
            createdAt: ctx.at,
          })
          .returning()
          .get();
        audit.append({
          ...ctx,
          entity: 'instruction',
          entityId: instruction.id,
          action: 'instruction_recorded',
          before: null,
          after: { text, agencies, articleNo, dueDate },
        });
        return { instruction, created: true };
      });
    },

    /**
     * Confirms or rejects a pending instruction, once. False when it was already decided. The tasks a
     * confirmation creates are the caller's (task-repository `assignTask`), in the same transaction.
     */
    decideInstruction(
      input: {
        id: number;
        status: Exclude<InstructionStatus, 'pending'>;
        note?: string | undefined;
        articleId?: number | undefined;
        taskIds?: readonly number[] | undefined;
      } & AuditContext,
    ): boolean {
      const { id, status, note, articleId, taskIds, ...ctx } = input;
      return inTransaction(() => {
        const changed = db
          .update(instructions)
          .set({
            status,
            decidedBy: ctx.actor,
            decidedAt: ctx.at,
            decisionNote: note ?? null,
            articleId: articleId ?? null,
          })
          .where(and(eq(instructions.id, id), eq(instructions.status, 'pending')))
          .run().changes;
        if (changed === 0) return false;
        audit.append({
          ...ctx,
          entity: 'instruction',
          entityId: id,
          action: status === 'confirmed' ? 'instruction_confirmed' : 'instruction_rejected',
          before: { status: 'pending' },
          after: {
            status,
            ...(note === undefined ? {} : { reason: note }),
            ...(articleId === undefined ? {} : { articleId }),
            ...(taskIds === undefined ? {} : { taskIds: [...taskIds] }),
          },
        });
        return true;
      });
    },

    /**
     * A new article under the year's "领导批示" document (created on first use), numbered after the
     * year's earlier instructions: one article per instruction, so an agency may get several a year.
     */
    addInstructionArticle(input: {
      year: number;
      documentTitle: string;
      title: string;
      body: string;
      at: string;
    }): {
      articleId: number;
      ordinal: number;
    } {
      return inTransaction(() => {
        const hash = `${INSTRUCTIONS_DOCUMENT_PREFIX}${input.year}`;
        const documentId =
          db.select({ id: documents.id }).from(documents).where(eq(documents.contentHash, hash)).get()?.id ??
          db
            .insert(documents)
            .values({
              title: input.documentTitle,
              contentHash: hash,
              sourceName: hash,
              importedAt: input.at,
              revisedAt: input.at,
            })
            .returning({ id: documents.id })
            .get().id;
        const ordinal =
          (db.select({ n: count() }).from(articles).where(eq(articles.documentId, documentId)).get()?.n ??
            0) + 1;
        const articleId = db
          .insert(articles)
          .values({
            documentId,
            ordinal,
            label: `${ordinal}`,
            title: input.title,
            body: input.body,
          })
          .returning({ id: articles.id })
          .get().id;
        return { articleId, ordinal };
      });
    },
  };
}

export type InstructionRepository = ReturnType<typeof createInstructionRepository>;
