import { createInterface } from 'node:readline/promises';
import { parseDecision } from '../../core/policy/parse.js';
import type { ParseWarning } from '../../core/policy/types.js';
import { closeDatabase, openDatabase } from '../../store/database.js';
import { markNewDatabase } from '../../store/database-mode.js';
import {
  applyImport,
  type ImportPreview,
  PREVIEW_NOTE_CODES,
  previewImport,
} from '../../usecases/import-decision.js';
import {
  agenciesOption,
  dbOption,
  nonNegativeInt,
  positiveInt,
  type RegisterCommand,
  UsageError,
} from '../context.js';
import { readDecisionInput } from '../decision-file.js';
import { type CliIo, databasePath, loadRegistry } from '../io.js';
import { renderTable } from '../table.js';

function renderPreview(preview: ImportPreview, dbPath: string, notes: readonly ParseWarning[] = []): string {
  const out: string[] = [];
  out.push(`Decision: ${preview.title}`);
  out.push(`Source:   ${preview.sourceName}`);
  out.push(`Database: ${dbPath}`);
  const status =
    preview.status === 'new'
      ? 'new document'
      : preview.status === 'unchanged'
        ? `already imported as document #${preview.documentId} (same text)`
        : `revised text of document #${preview.documentId}`;
  out.push(`Status:   ${status}`);
  out.push(
    `Parts: ${preview.parts.length}   Articles: ${preview.articles.length}   Agencies: ${preview.agencies.length}   Indicators: ${preview.indicators.length}   Tasks to create: ${preview.tasks.length}`,
  );
  if (preview.noClauseArticles.length > 0) {
    out.push(
      `Articles without a responsibility clause (guidance, no tasks): ${preview.noClauseArticles.join(', ')}`,
    );
  }
  if (preview.unknownNames.length > 0) {
    out.push('Names the agency registry does not know (tasks kept visible, unassigned):');
    for (const u of preview.unknownNames) out.push(`  article ${u.article} (${u.role}): ${u.text}`);
    out.push('  To fix: add them as aliases in config/agencies.json, then import again.');
  }
  const shown = notes.filter((w) => PREVIEW_NOTE_CODES.has(w.code));
  if (shown.length > 0) {
    out.push('To check before confirming:');
    for (const w of shown) out.push(`  ${w.message}`);
  }
  if (preview.indicators.length > 0) {
    out.push('Indicators:');
    out.push(
      renderTable(
        ['Art.', 'Metric', 'Target', 'By'],
        preview.indicators.map((i) => [
          String(i.article),
          i.metric,
          `${i.comparator} ${i.value} ${i.unit}${i.perYear ? ' / year' : ''}`,
          i.deadlineYear === null ? '-' : String(i.deadlineYear),
        ]),
      ).trimEnd(),
    );
  }
  if (preview.pastDeadlines.length > 0) {
    out.push('Deadlines already past (reported only; no task is made overdue):');
    for (const d of preview.pastDeadlines)
      out.push(`  article ${d.article}: ${d.metric} by ${d.deadlineYear}`);
  }
  const diff = preview.diff;
  if (diff !== null) {
    out.push('Changes against the stored text:');
    for (const a of diff.articlesAdded) out.push(`  + article ${a.no} ${a.title}`);
    for (const a of diff.articlesRemoved) out.push(`  - article ${a.no} ${a.title} (its tasks are closed)`);
    for (const a of diff.articlesChanged)
      out.push(`  ~ article ${a.no} ${a.title} (${a.changes.join(', ')} changed)`);
    if (diff.articlesRenumbered.length > 0)
      out.push(`  ${diff.articlesRenumbered.length} article(s) renumbered`);
    for (const a of diff.agencies) {
      const parts = [
        ...a.added.map((t) => `+${t.assignee} (${t.role})`),
        ...a.dropped.map((t) => `-${t.assignee} (${t.role})`),
      ];
      out.push(`  article ${a.article}: ${parts.join(', ')}`);
    }
    out.push(
      `  tasks kept with their progress: ${diff.tasksKept}, to create: ${preview.tasks.length}, to close: ${diff.tasksToClose}`,
    );
  }
  return `${out.join('\n')}\n`;
}

async function confirm(io: CliIo, question: string): Promise<boolean> {
  const stdin = io.stdin;
  if (stdin === undefined || !stdin.isTTY) {
    throw new UsageError(
      'Not importing: confirmation is needed, but stdin is not a terminal. Re-run with --yes to import without asking.',
    );
  }
  const rl = createInterface({ input: stdin, output: io.stdout as NodeJS.WritableStream, terminal: false });
  try {
    const answer = await rl.question(question);
    return /^\s*(y|yes|是|确认)\s*$/iu.test(answer);
  } finally {
    rl.close();
  }
}

/** `duban import FILE [--db PATH] [--yes]`: preview, confirm, apply in one transaction. */
export const registerImportCommand: RegisterCommand = (program, context) => {
  program
    .command('import')
    .description('import a decision (or a revised text of one) into the ledger, after a preview')
    .argument('<file>', 'the decision: .txt (UTF-8 or GB18030) or .docx')
    .addOption(dbOption())
    .option('-y, --yes', 'import without asking for confirmation')
    .option('--json', 'print the preview and result as JSON (implies no prompt; needs --yes to apply)')
    .option('--due-days <days>', 'give new tasks a due date this many days from today', nonNegativeInt)
    .option('--document <id>', 'revise this document instead of the one with the same title', positiveInt)
    .addOption(agenciesOption())
    .action(
      async (
        file: string,
        options: {
          db?: string;
          yes?: boolean;
          json?: boolean;
          dueDays?: number;
          document?: number;
          agencies?: string;
        },
      ) => {
        const { text, sourceName } = await readDecisionInput(file, context.cwd);
        const registry = loadRegistry(options.agencies, context.cwd);
        const parsed = parseDecision({ text, registry });
        const path = databasePath(options.db, context.io);
        const db = openDatabase({ path });
        try {
          const input = {
            db,
            text,
            parsed,
            sourceName,
            registry,
            now: context.now(),
            ...(options.dueDays === undefined ? {} : { defaultDueDays: options.dueDays }),
            ...(options.document === undefined ? {} : { documentId: options.document }),
          };
          const preview = previewImport(input);
          if (options.json && !options.yes) {
            context.print(`${JSON.stringify({ preview, applied: false }, null, 2)}\n`);
            return;
          }
          if (!options.json) context.print(renderPreview(preview, path, parsed.warnings));
          if (preview.status === 'unchanged') {
            if (options.json) context.print(`${JSON.stringify({ preview, applied: false }, null, 2)}\n`);
            else context.print('Nothing to do: this exact text is already in the ledger.\n');
            return;
          }
          if (!options.yes) {
            const ok = await confirm(
              context.io,
              `Apply this import (${preview.tasks.length} tasks to create)? [y/N] `,
            );
            if (!ok) {
              context.print('Not imported.\n');
              return;
            }
          }
          // A ledger started by `duban import` is a real one: the sandbox will refuse to seed into it.
          markNewDatabase(db, { mode: 'tenant', madeBy: 'duban import', at: context.now().toISOString() });
          const result = applyImport({ ...input, actor: 'cli', channel: 'cli' });
          if (options.json) {
            context.print(
              `${JSON.stringify({ preview: result.preview, applied: result.applied, documentId: result.documentId, changes: result.changes }, null, 2)}\n`,
            );
            return;
          }
          const c = result.changes;
          context.print(
            `Imported into document #${result.documentId}: ${c.articlesCreated} articles added, ${c.articlesUpdated} updated, ${c.articlesRemoved} removed; ${c.tasksCreated} tasks created, ${c.tasksRemoved} closed; ${c.auditEvents} audit events.\n`,
          );
        } finally {
          closeDatabase(db);
        }
      },
    );
};
