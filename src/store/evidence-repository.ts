import { asc, eq } from 'drizzle-orm';
import { createAuditRepository } from './audit-repository.js';
import type { DubanDatabase } from './database.js';
import { evidenceFiles } from './schema/index.js';

export interface EvidenceInput {
  taskId: number;
  kind: 'file' | 'image';
  fileKey: string;
  fileName: string;
  messageId: string;
  actor: string;
  at: string;
}

/** Evidence files attached to tasks; each attachment is an audit event on its task. */
export function createEvidenceRepository({ db }: { db: DubanDatabase }) {
  const audit = createAuditRepository({ db });
  return {
    /** Attaches the file once per Lark message: false when this message's file is already attached. */
    attachEvidence(input: EvidenceInput & { channel: string }): boolean {
      const { channel, ...row } = input;
      return db.$client.transaction(() => {
        const added = db
          .insert(evidenceFiles)
          .values(row)
          .onConflictDoNothing({ target: evidenceFiles.messageId })
          .run();
        if (added.changes === 0) return false;
        audit.append({
          at: row.at,
          actor: row.actor,
          channel,
          entity: 'task',
          entityId: row.taskId,
          action: 'evidence_attached',
          after: { kind: row.kind, fileKey: row.fileKey, fileName: row.fileName, messageId: row.messageId },
        });
        return true;
      })();
    },

    evidenceOf(taskId: number) {
      return db
        .select()
        .from(evidenceFiles)
        .where(eq(evidenceFiles.taskId, taskId))
        .orderBy(asc(evidenceFiles.at), asc(evidenceFiles.id))
        .all();
    },
  };
}

export type EvidenceRepository = ReturnType<typeof createEvidenceRepository>;
