import { createInterface } from 'node:readline/promises';
import { parseDecision } from '../../core/policy/parse.js';
import type { ParseWarning } from '../../core/policy/types.js';
import { type Locale, type MessageKey, t, translate } from '../../core/render/catalog.js';
import type { TaskRole } from '../../core/vocabulary.js';
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
  cliLocale,
  dbOption,
  langOption,
  nonNegativeInt,
  positiveInt,
  type RegisterCommand,
  UsageError,
} from '../context.js';
import { readDecisionInput } from '../decision-file.js';
import { type CliIo, databasePath, loadRegistry } from '../io.js';
import { renderTable } from '../table.js';

function renderPreview(
  preview: ImportPreview,
  dbPath: string,
  notes: readonly ParseWarning[],
  locale: Locale,
): string {
  const h = (key: MessageKey) => translate(key, undefined, locale);
  const role = (r: TaskRole) => h(r === 'lead' ? 'common.lead' : 'common.participant');
  const out: string[] = [];
  out.push(t('cli.import.decision', { title: preview.title }, locale));
  out.push(t('cli.import.source', { source: preview.sourceName }, locale));
  out.push(t('cli.import.database', { path: dbPath }, locale));
  const id = preview.documentId ?? 0;
  const status =
    preview.status === 'new'
      ? h('cli.import.status.new')
      : preview.status === 'unchanged'
        ? t('cli.import.status.unchanged', { id }, locale)
        : t('cli.import.status.revision', { id }, locale);
  out.push(t('cli.import.status', { status }, locale));
  out.push(
    t(
      'cli.import.counts',
      {
        parts: preview.parts.length,
        articles: preview.articles.length,
        agencies: preview.agencies.length,
        indicators: preview.indicators.length,
        tasks: preview.tasks.length,
      },
      locale,
    ),
  );
  if (preview.noClauseArticles.length > 0) {
    out.push(t('cli.import.noClause', { articles: preview.noClauseArticles.join(', ') }, locale));
  }
  if (preview.unknownNames.length > 0) {
    out.push(h('cli.import.unknown'));
    for (const u of preview.unknownNames)
      out.push(t('cli.import.unknownItem', { article: u.article, role: role(u.role), text: u.text }, locale));
    out.push(h('cli.import.unknownFix'));
  }
  const shown = notes.filter((w) => PREVIEW_NOTE_CODES.has(w.code));
  if (shown.length > 0) {
    out.push(h('cli.import.notes'));
    for (const w of shown) out.push(`  ${w.message}`);
  }
  if (preview.indicators.length > 0) {
    out.push(h('cli.import.indicators'));
    out.push(
      renderTable(
        [
          h('cli.import.header.article'),
          h('cli.import.header.metric'),
          h('cli.import.header.target'),
          h('cli.import.header.by'),
        ],
        preview.indicators.map((i) => [
          String(i.article),
          i.metric,
          `${i.comparator} ${i.value} ${i.unit}${i.perYear ? h('cli.import.perYear') : ''}`,
          i.deadlineYear === null ? '-' : String(i.deadlineYear),
        ]),
      ).trimEnd(),
    );
  }
  if (preview.pastDeadlines.length > 0) {
    out.push(h('cli.import.pastDeadlines'));
    for (const d of preview.pastDeadlines)
      out.push(
        t('cli.import.pastDeadline', { article: d.article, metric: d.metric, year: d.deadlineYear }, locale),
      );
  }
  const diff = preview.diff;
  if (diff !== null) {
    out.push(h('cli.import.changes'));
    for (const a of diff.articlesAdded) out.push(t('cli.import.added', { no: a.no, title: a.title }, locale));
    for (const a of diff.articlesRemoved)
      out.push(t('cli.import.removed', { no: a.no, title: a.title }, locale));
    for (const a of diff.articlesChanged)
      out.push(t('cli.import.changed', { no: a.no, title: a.title, changes: a.changes.join(', ') }, locale));
    if (diff.articlesRenumbered.length > 0)
      out.push(t('cli.import.renumbered', { count: diff.articlesRenumbered.length }, locale));
    for (const a of diff.agencies) {
      const parts = [
        ...a.added.map((task) => `+${task.assignee} (${role(task.role)})`),
        ...a.dropped.map((task) => `-${task.assignee} (${role(task.role)})`),
      ];
      out.push(t('cli.import.agencies', { article: a.article, changes: parts.join(', ') }, locale));
    }
    out.push(
      t(
        'cli.import.kept',
        { kept: diff.tasksKept, create: preview.tasks.length, close: diff.tasksToClose },
        locale,
      ),
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

/** `duban import FILE [--db PATH] [--yes] [--lang L]`: preview, confirm, apply in one transaction. */
export const registerImportCommand: RegisterCommand = (program, context) => {
  program
    .command('import')
    .description('import a decision (or a revised text of one) into the ledger, after a preview')
    .argument('<file>', 'the decision: .txt (UTF-8 or GB18030) or .docx')
    .addOption(dbOption())
    .option('-y, --yes', 'import without asking for confirmation')
    .addOption(langOption())
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
          lang?: Locale;
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
        const locale = cliLocale(context.io, options.lang);
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
          if (!options.json) context.print(renderPreview(preview, path, parsed.warnings, locale));
          if (preview.status === 'unchanged') {
            if (options.json) context.print(`${JSON.stringify({ preview, applied: false }, null, 2)}\n`);
            else context.print(`${t('cli.import.nothingToDo', undefined, locale)}\n`);
            return;
          }
          if (!options.yes) {
            const ok = await confirm(
              context.io,
              t('cli.import.confirm', { tasks: preview.tasks.length }, locale),
            );
            if (!ok) {
              context.print(`${t('cli.import.notImported', undefined, locale)}\n`);
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
            `${t(
              'cli.import.done',
              {
                id: result.documentId,
                added: c.articlesCreated,
                updated: c.articlesUpdated,
                removed: c.articlesRemoved,
                created: c.tasksCreated,
                closed: c.tasksRemoved,
                events: c.auditEvents,
              },
              locale,
            )}\n`,
          );
        } finally {
          closeDatabase(db);
        }
      },
    );
};
