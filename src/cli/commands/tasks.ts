import { Option } from 'commander';
import { type Locale, type MessageKey, t, translate } from '../../core/render/catalog.js';
import { statusLabel } from '../../core/render/prompt-card.js';
import { describeLight } from '../../core/render/prompt-card-lights.js';
import { taskPlaceLabel } from '../../core/render/task-place.js';
import { closeDatabase, openDatabase } from '../../store/database.js';
import { createRepositories } from '../../usecases/repositories.js';
import { LIGHT_FILTERS, listTaskBoard, type TaskBoardFilter } from '../../usecases/task-board.js';
import {
  agenciesOption,
  cliLocale,
  dbOption,
  langOption,
  positiveInt,
  type RegisterCommand,
  UsageError,
} from '../context.js';
import { existingDatabasePath, loadRegistry } from '../io.js';
import { renderTable } from '../table.js';

/**
 * `duban tasks [--agency NAME | --article N | --only overdue|red|yellow] [--lang L] [--json]`: the task
 * board of `/tasks`, with each task's light, its reason and latest note. `--json` keeps the stable
 * English keys of the ledger's tasks and adds `light` (color and reason codes) and `note`.
 */
export const registerTasksCommand: RegisterCommand = (program, context) => {
  program
    .command('tasks')
    .description('list the ledger tasks with their lights, optionally for one agency, article or light')
    .option('--agency <name>', 'an agency (canonical name or alias)')
    .option('--article <n>', 'an article number', positiveInt)
    .addOption(new Option('--only <light>', 'only overdue, red or yellow tasks').choices([...LIGHT_FILTERS]))
    .addOption(langOption())
    .option('--json', 'print the tasks as JSON')
    .addOption(dbOption())
    .addOption(agenciesOption())
    .action(
      (options: {
        agency?: string;
        article?: number;
        only?: (typeof LIGHT_FILTERS)[number];
        lang?: Locale;
        json?: boolean;
        db?: string;
        agencies?: string;
      }) => {
        const given = [options.agency, options.article, options.only].filter((o) => o !== undefined);
        if (given.length > 1) throw new UsageError('tasks: give at most one of --agency, --article, --only.');
        const filter: TaskBoardFilter =
          options.agency !== undefined
            ? { kind: 'agency', name: options.agency }
            : options.article !== undefined
              ? { kind: 'article', articleNo: options.article }
              : options.only !== undefined
                ? { kind: options.only }
                : { kind: 'all' };
        const locale = cliLocale(context.io, options.lang);
        const db = openDatabase({ path: existingDatabasePath(options.db, context.io) });
        try {
          const repos = createRepositories(db);
          const board = listTaskBoard(
            {
              tasks: repos.tasks,
              progress: repos.progress,
              agencies: repos.agencies,
              ...(options.agency === undefined
                ? {}
                : { registry: loadRegistry(options.agencies, context.cwd) }),
            },
            { filter, now: context.now() },
          );
          if (options.json) {
            const rows = board.rows.map(({ light, ...task }) => ({
              ...task,
              light: { color: light.color, reasons: light.reasons.map((reason) => reason.code) },
            }));
            context.print(`${JSON.stringify(rows, null, 2)}\n`);
            return;
          }
          if (board.rows.length === 0) {
            context.print(`${t('cli.tasks.none', undefined, locale)}\n`);
            return;
          }
          const h = (key: MessageKey) => translate(key, undefined, locale);
          context.print(
            renderTable(
              [
                h('cli.tasks.header.article'),
                h('cli.tasks.header.title'),
                h('cli.tasks.header.role'),
                h('cli.tasks.header.agency'),
                h('cli.tasks.header.status'),
                h('cli.tasks.header.percent'),
                h('cli.tasks.header.due'),
                h('cli.tasks.header.light'),
                h('cli.tasks.header.note'),
              ],
              board.rows.map((row) => {
                const light = describeLight(row.light, locale);
                return [
                  taskPlaceLabel(row, locale),
                  row.articleTitle,
                  t(row.role === 'lead' ? 'common.lead' : 'common.participant', undefined, locale),
                  row.agency ?? t('coord.board.unassigned', { name: row.writtenName }, locale),
                  row.blocked
                    ? t('prompts.status.blocked', undefined, locale)
                    : statusLabel(row.status, locale),
                  String(row.percent),
                  row.dueDate ?? row.dueWritten ?? t('coord.board.noDue', undefined, locale),
                  t('coord.board.light', { name: light.name, reason: light.reason }, locale),
                  row.note ?? '',
                ];
              }),
              { maxWidth: 30 },
            ),
          );
          context.print(`${t('cli.tasks.count', { count: board.rows.length }, locale)}\n`);
        } finally {
          closeDatabase(db);
        }
      },
    );
};
