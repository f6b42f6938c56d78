import { type Locale, t } from '../../core/render/catalog.js';
import { describeHistoryEntry, readPlaceRef } from '../../core/render/history.js';
import { taskPlaceLabel } from '../../core/render/task-place.js';
import { closeDatabase, openDatabase } from '../../store/database.js';
import { createHistory } from '../../usecases/history.js';
import { createRepositories } from '../../usecases/repositories.js';
import {
  agenciesOption,
  cliLocale,
  dbOption,
  langOption,
  type RegisterCommand,
  UsageError,
} from '../context.js';
import { existingDatabasePath, loadRegistry } from '../io.js';

/** `duban history ARTICLE [--agency NAME] [--json]`: the article's audit trail, oldest first. */
export const registerHistoryCommand: RegisterCommand = (program, context) => {
  program
    .command('history')
    .description("show an article's audit trail: who changed what, when, through which channel")
    .argument('<article>', 'the article number (13, 第13条)')
    .option('--agency <name>', "only this agency's tasks (canonical name or alias)")
    .addOption(langOption())
    .option('--json', 'print the events as JSON (stable English keys)')
    .addOption(dbOption())
    .addOption(agenciesOption())
    .action(
      (
        written: string,
        options: { agency?: string; lang?: Locale; json?: boolean; db?: string; agencies?: string },
      ) => {
        const place = readPlaceRef(written);
        if (place === null)
          throw new UsageError(
            `history: "${written}" is not an article number (e.g. 13) or an instruction (批示1).`,
          );
        const db = openDatabase({ path: existingDatabasePath(options.db, context.io) });
        try {
          const history = createHistory({
            repos: createRepositories(db),
            ...(options.agency === undefined
              ? {}
              : { registry: loadRegistry(options.agencies, context.cwd) }),
          })({
            article: place.articleNo,
            kind: place.articleKind,
            ...(options.agency === undefined ? {} : { agency: options.agency }),
          });
          if (options.json) {
            context.print(`${JSON.stringify(history.entries, null, 2)}\n`);
            return;
          }
          const locale = cliLocale(context.io, options.lang);
          const lines = [
            `${taskPlaceLabel({ articleNo: history.article.no, articleKind: history.article.kind }, locale)} ${history.article.title}${history.agency === null ? '' : ` · ${history.agency.name}`}`,
            ...history.entries.map((entry) => `  ${describeHistoryEntry(entry, locale)}`),
            t('cli.history.count', { count: history.entries.length }, locale),
          ];
          context.print(`${lines.join('\n')}\n`);
        } finally {
          closeDatabase(db);
        }
      },
    );
};
