import { isDubanError } from '../core/errors.js';
import { t } from '../core/render/catalog.js';
import { renderImportPreviewCard } from '../core/render/import-card.js';
import type { ChatImportPreview } from '../usecases/chat-import.js';

/** The callback names of the preview card's buttons (declared in src/bot/actions/import.ts). */
export const IMPORT_CONFIRM = 'import_confirm';
export const IMPORT_CANCEL = 'import_cancel';

/** A use case's refusal of a file in the users' words, or null for a failure that is not theirs to fix. */
export function importProblem(error: unknown, fileName = ''): string | null {
  if (!isDubanError(error)) return null;
  const name = typeof error.details?.name === 'string' ? error.details.name : fileName;
  switch (error.code) {
    case 'import.no_file':
      return t('import.noFile');
    case 'import.changed':
      return t('import.changed');
    case 'input.unsupported_kind':
    case 'input.binary':
    case 'policy.binary_input':
      return t('import.wrongKind', { name });
    case 'input.empty':
    case 'policy.empty_input':
      return t('import.emptyFile', { name });
    case 'input.not_text':
      return t('import.notText', { name });
    case 'input.bad_docx':
      return t('import.badDocx', { name });
    case 'input.too_large':
      return t('import.tooLarge', { name });
    default:
      return error.code.startsWith('input.') || error.code.startsWith('policy.')
        ? t('import.unreadable', { problem: `${error.message}${error.hint ? ` ${error.hint}` : ''}` })
        : null;
  }
}

/** The preview card: the buttons carry the file's message and the text's hash, never the text. */
export function importPreviewCard(result: ChatImportPreview) {
  const { preview } = result;
  const diff = preview.diff;
  return renderImportPreviewCard({
    title: preview.title,
    fileName: result.fileName,
    status: preview.status,
    documentId: preview.documentId,
    counts: {
      parts: preview.parts.length,
      articles: preview.articles.length,
      agencies: preview.agencies.length,
      tasks: preview.tasks.length,
    },
    articlesAdded: diff?.articlesAdded ?? [],
    articlesChanged: diff?.articlesChanged ?? [],
    articlesRemoved: diff?.articlesRemoved ?? [],
    tasksAdded: preview.tasks.map((x) => ({ article: x.article, assignee: x.assignee, role: x.role })),
    tasksDropped: (diff?.agencies ?? []).flatMap((a) =>
      a.dropped.map((d) => ({ article: a.article, assignee: d.assignee, role: d.role })),
    ),
    kept: diff === null ? null : { kept: diff.tasksKept, closed: diff.tasksToClose },
    unknownNames: preview.unknownNames.map((u) => ({ article: u.article, text: u.text })),
    notes: result.notes.map((n) => ({ code: n.code, article: n.article ?? null, text: n.text })),
    pastDeadlines: preview.pastDeadlines,
    contentHash: preview.contentHash,
    confirmValue:
      preview.status === 'unchanged'
        ? null
        : { action: IMPORT_CONFIRM, message_id: result.messageId, hash: preview.contentHash },
    cancelValue: { action: IMPORT_CANCEL },
  });
}
