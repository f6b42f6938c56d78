import { closeDatabase, openDatabase } from '../../store/database.js';
import { listLedgerTasks } from '../../usecases/ledger-queries.js';
import { agenciesOption, dbOption, positiveInt, type RegisterCommand } from '../context.js';
import { databasePath, loadRegistry } from '../io.js';
import { renderTable } from '../table.js';

/** `duban tasks [--agency NAME] [--article N] [--json]`. */
export const registerTasksCommand: RegisterCommand = (program, context) => {
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
        const db = openDatabase({ path: databasePath(options.db, context.io) });
        try {
          const tasks = listLedgerTasks({
            db,
            ...(options.agency === undefined
              ? {}
              : { agency: options.agency, registry: loadRegistry(options.agencies, context.cwd) }),
            ...(options.article === undefined ? {} : { article: options.article }),
          });
          if (options.json) {
            context.print(`${JSON.stringify(tasks, null, 2)}\n`);
            return;
          }
          if (tasks.length === 0) {
            context.print('No tasks. Import a decision first: duban import FILE\n');
            return;
          }
          context.print(
            renderTable(
              ['Art.', 'Title', 'Role', 'Agency', 'Status', '%', 'Due', 'Blocked'],
              tasks.map((t) => [
                String(t.articleNo),
                t.articleTitle,
                t.role,
                t.agency ?? `? ${t.writtenName} (unassigned)`,
                t.status,
                String(t.percent),
                t.dueDate ?? t.dueWritten ?? '-',
                t.blocked ? (t.blockedReason ?? 'yes') : '',
              ]),
              { maxWidth: 30 },
            ),
          );
          context.print(`${tasks.length} task(s)\n`);
        } finally {
          closeDatabase(db);
        }
      },
    );
};
