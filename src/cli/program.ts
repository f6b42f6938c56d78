import { createInterface } from 'node:readline/promises';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { isDubanError } from '../core/errors.js';
import { parseDecision } from '../core/policy/parse.js';
import type { ParsedDecision } from '../core/policy/types.js';
import { closeDatabase, openDatabase } from '../store/database.js';
import { applyImport, type ImportPreview, previewImport } from '../usecases/import-decision.js';
import { listLedgerAgencies, listLedgerTasks, syncAgencyRegistry } from '../usecases/ledger-queries.js';
import { type CliIo, databasePath, loadRegistry, readDecisionFile } from './io.js';
import { renderTable } from './table.js';

export type { CliIo } from './io.js';

export const EXIT_OK = 0;
export const EXIT_BAD_INPUT = 1;
export const EXIT_USAGE = 2;

/** A refusal the user can fix by calling the command differently. */
class UsageError extends Error {}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/u.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError('expected a positive whole number.');
  }
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/u.test(value.trim()) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError('expected a whole number of days.');
  }
  return n;
}

const responsibleList = (list: { name: string; written: string; known: boolean }[]) =>
  list.map((r) => (r.known ? r.name : `?${r.written}`)).join('、') || '-';

function renderParsed(parsed: ParsedDecision): string {
  const partTitle = new Map(parsed.parts.map((p) => [p.no, p.label]));
  const lines = [
    `${parsed.title}`,
    `${parsed.parts.length} parts, ${parsed.articles.length} articles, ${parsed.articles.reduce((n, a) => n + a.indicators.length, 0)} indicators`,
    '',
    renderTable(
      ['No', 'Label', 'Part', 'Title', 'Leads', 'Participants', 'Ind.'],
      parsed.articles.map((a) => [
        String(a.no),
        a.label,
        partTitle.get(a.part) ?? '',
        a.title,
        a.clause === null ? '(no clause)' : responsibleList(a.leads),
        a.clause === null ? '' : responsibleList(a.participants),
        String(a.indicators.length),
      ]),
      { maxWidth: 36 },
    ),
  ];
  if (parsed.warnings.length > 0) {
    lines.push('Warnings:');
    for (const w of parsed.warnings) {
      lines.push(`  ${w.article === undefined ? '' : `article ${w.article}: `}${w.message}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function renderPreview(preview: ImportPreview, dbPath: string): string {
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

function buildProgram(io: CliIo): Command {
  const cwd = io.cwd ?? process.cwd();
  const now = () => (io.now ?? (() => new Date()))();
  const print = (text: string) => io.stdout.write(text);
  const dbOption = () =>
    new Option('--db <path>', 'SQLite file (default: $DUBAN_DB_PATH, else db/duban.sqlite)');
  const agenciesOption = () =>
    new Option('--agencies <path>', 'agency registry (default: config/agencies.json)');

  const program = new Command('duban')
    .description('Duban (督办): turn a policy decision into tracked work across agencies')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showSuggestionAfterError(true)
    .allowExcessArguments(false);

  program
    .command('parse')
    .description('parse a decision text and show its articles, responsible agencies and indicators')
    .argument('<file>', 'the decision as a UTF-8 text file')
    .option('--json', 'print the parse result as JSON')
    .addOption(agenciesOption())
    .action((file: string, options: { json?: boolean; agencies?: string }) => {
      const { text } = readDecisionFile(file, cwd);
      const parsed = parseDecision({ text, registry: loadRegistry(options.agencies, cwd) });
      print(options.json ? `${JSON.stringify(parsed, null, 2)}\n` : renderParsed(parsed));
    });

  program
    .command('import')
    .description('import a decision (or a revised text of one) into the ledger, after a preview')
    .argument('<file>', 'the decision as a UTF-8 text file')
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
        const { text, sourceName } = readDecisionFile(file, cwd);
        const registry = loadRegistry(options.agencies, cwd);
        const parsed = parseDecision({ text, registry });
        const path = databasePath(options.db, io);
        const db = openDatabase({ path });
        try {
          const input = {
            db,
            text,
            parsed,
            sourceName,
            registry,
            now: now(),
            ...(options.dueDays === undefined ? {} : { defaultDueDays: options.dueDays }),
            ...(options.document === undefined ? {} : { documentId: options.document }),
          };
          const preview = previewImport(input);
          if (options.json && !options.yes) {
            print(`${JSON.stringify({ preview, applied: false }, null, 2)}\n`);
            return;
          }
          if (!options.json) print(renderPreview(preview, path));
          if (preview.status === 'unchanged') {
            if (options.json) print(`${JSON.stringify({ preview, applied: false }, null, 2)}\n`);
            else print('Nothing to do: this exact text is already in the ledger.\n');
            return;
          }
          if (!options.yes) {
            const ok = await confirm(
              io,
              `Apply this import (${preview.tasks.length} tasks to create)? [y/N] `,
            );
            if (!ok) {
              print('Not imported.\n');
              return;
            }
          }
          const result = applyImport({ ...input, actor: 'cli', channel: 'cli' });
          if (options.json) {
            print(
              `${JSON.stringify({ preview: result.preview, applied: result.applied, documentId: result.documentId, changes: result.changes }, null, 2)}\n`,
            );
            return;
          }
          const c = result.changes;
          print(
            `Imported into document #${result.documentId}: ${c.articlesCreated} articles added, ${c.articlesUpdated} updated, ${c.articlesRemoved} removed; ${c.tasksCreated} tasks created, ${c.tasksRemoved} closed; ${c.auditEvents} audit events.\n`,
          );
        } finally {
          closeDatabase(db);
        }
      },
    );

  program
    .command('tasks')
    .description('list the ledger tasks, optionally for one agency or one article')
    .option('--agency <name>', 'an agency (canonical name or alias)')
    .option('--article <n>', 'an article number', positiveInt)
    .option('--json', 'print the tasks as JSON')
    .addOption(dbOption())
    .addOption(agenciesOption())
    .action(
      (options: { agency?: string; article?: number; json?: boolean; db?: string; agencies?: string }) => {
        const db = openDatabase({ path: databasePath(options.db, io) });
        try {
          const tasks = listLedgerTasks({
            db,
            ...(options.agency === undefined
              ? {}
              : { agency: options.agency, registry: loadRegistry(options.agencies, cwd) }),
            ...(options.article === undefined ? {} : { article: options.article }),
          });
          if (options.json) {
            print(`${JSON.stringify(tasks, null, 2)}\n`);
            return;
          }
          if (tasks.length === 0) {
            print('No tasks. Import a decision first: duban import FILE\n');
            return;
          }
          print(
            renderTable(
              ['Art.', 'Title', 'Role', 'Agency', 'Status', '%', 'Due', 'Blocked'],
              tasks.map((t) => [
                String(t.articleNo),
                t.articleTitle,
                t.role,
                t.agency ?? `? ${t.writtenName} (unassigned)`,
                t.status,
                String(t.percent),
                t.dueDate ?? '-',
                t.blocked ? (t.blockedReason ?? 'yes') : '',
              ]),
              { maxWidth: 30 },
            ),
          );
          print(`${tasks.length} task(s)\n`);
        } finally {
          closeDatabase(db);
        }
      },
    );

  program
    .command('agencies')
    .description('list the agencies (synced from the registry) with their chats and task counts')
    .option('--json', 'print the agencies as JSON')
    .addOption(dbOption())
    .addOption(agenciesOption())
    .action((options: { json?: boolean; db?: string; agencies?: string }) => {
      const registry = loadRegistry(options.agencies, cwd);
      const db = openDatabase({ path: databasePath(options.db, io) });
      try {
        syncAgencyRegistry({ db, registry, now: now(), actor: 'cli', channel: 'cli' });
        const agencies = listLedgerAgencies({ db });
        if (options.json) {
          print(`${JSON.stringify(agencies, null, 2)}\n`);
          return;
        }
        print(
          renderTable(
            ['Agency', 'Kind', 'Aliases', 'Chat', 'Lead', 'Part.', 'Paused'],
            agencies.map((a) => [
              a.name,
              a.kind === 'collective' ? `collective (${a.expandsTo ?? 'all'})` : a.kind,
              String(a.aliases.length),
              a.chatId ?? '-',
              String(a.leadTasks),
              String(a.participantTasks),
              a.paused ? 'yes' : '',
            ]),
          ),
        );
        print(`${agencies.length} agencies\n`);
      } finally {
        closeDatabase(db);
      }
    });

  return program;
}

/**
 * Runs the CLI in-process: `argv` are the arguments after the program name. Resolves to the exit code:
 * 0 ok, 1 bad input (a file, an agency name, the registry), 2 usage (unknown command or option, no confirmation).
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  if (argv.length === 0) {
    io.stderr.write(program.helpInformation());
    return EXIT_USAGE;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT_OK;
      if (error.code === 'commander.help') return EXIT_USAGE;
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`${error.message}\n`);
      return EXIT_USAGE;
    }
    if (isDubanError(error)) {
      io.stderr.write(`Error: ${error.message}\n${error.hint ? `  ${error.hint}\n` : ''}`);
      return EXIT_BAD_INPUT;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`Error: ${message}\n`);
    return EXIT_BAD_INPUT;
  }
}
