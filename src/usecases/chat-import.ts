/**
 * `/import` in the coordinators' group: a decision file posted in the chat is read, previewed, and applied
 * only when a coordinator confirms. Nothing of the file travels in the card's button but the message it
 * was posted in and the hash of the text shown: confirming downloads the file again and imports it only
 * if it is still that text, so a forged or stale button imports nothing it did not preview.
 */
import { DubanError } from '../core/errors.js';
import { parseDecision } from '../core/policy/parse.js';
import type { AgencyRegistry } from '../core/policy/registry.js';
import type { ParseWarning } from '../core/policy/types.js';
import type { ChatPort, InboundAttachment } from '../ports/chat.js';
import type { DubanDatabase } from '../store/database.js';
import { ACCEPTED_KINDS, type DecisionFile, isDecisionFileName, readDecisionBytes } from './decision-file.js';
import {
  applyImport,
  contentHashOf,
  type ImportPreview,
  type ImportResult,
  PREVIEW_NOTE_CODES,
  previewImport,
} from './import-decision.js';

export interface ChatImportPreview {
  /** The message the file was posted in: what the confirm button points back to. */
  messageId: string;
  fileName: string;
  preview: ImportPreview;
  notes: ParseWarning[];
}

export interface ChatImport {
  /** Reads the file posted in `messageId` and says what importing it would do; changes nothing. */
  preview(input: { messageId: string; now: Date }): Promise<ChatImportPreview>;
  /**
   * Imports the file posted in `messageId` if its text still hashes to `contentHash` (the one previewed).
   * Idempotent: the same text twice changes nothing the second time (`applied: false`).
   */
  confirm(input: { messageId: string; contentHash: string; now: Date; actor: string }): Promise<ImportResult>;
}

export function createChatImport(deps: {
  db: DubanDatabase;
  registry: AgencyRegistry;
  chat: Pick<ChatPort, 'messageFile' | 'downloadFile'>;
}): ChatImport {
  const { db, registry, chat } = deps;

  async function fileOf(messageId: string): Promise<{ attachment: InboundAttachment; file: DecisionFile }> {
    const attachment = await chat.messageFile(messageId);
    if (attachment === null || attachment.kind !== 'file') {
      throw new DubanError('import.no_file', 'The message /import answers carries no file.', {
        hint: `Post the decision as ${ACCEPTED_KINDS} in this group, then reply to that file with /import.`,
      });
    }
    if (!isDecisionFileName(attachment.name)) {
      throw new DubanError('input.unsupported_kind', `${attachment.name} is not a decision file.`, {
        hint: `Give the decision as ${ACCEPTED_KINDS}; save a .doc or .wps file as .docx first.`,
        details: { name: attachment.name },
      });
    }
    const data = await chat.downloadFile({ messageId, fileKey: attachment.key });
    return { attachment, file: await readDecisionBytes({ data, fileName: attachment.name }) };
  }

  return {
    async preview({ messageId, now }) {
      const { attachment, file } = await fileOf(messageId);
      const parsed = parseDecision({ text: file.text, registry });
      const preview = previewImport({
        db,
        text: file.text,
        parsed,
        sourceName: file.sourceName,
        registry,
        now,
      });
      return {
        messageId,
        fileName: attachment.name,
        preview,
        notes: parsed.warnings.filter((w) => PREVIEW_NOTE_CODES.has(w.code)),
      };
    },

    async confirm({ messageId, contentHash, now, actor }) {
      const { file } = await fileOf(messageId);
      if (contentHashOf(file.text) !== contentHash) {
        throw new DubanError('import.changed', 'The file is not the text that was previewed.', {
          hint: 'Reply to the file with /import again to see a fresh preview.',
        });
      }
      return applyImport({
        db,
        text: file.text,
        sourceName: file.sourceName,
        registry,
        now,
        actor,
        channel: 'card',
      });
    },
  };
}
