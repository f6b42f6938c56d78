import { type Locale, t } from '../../core/render/catalog.js';
import { closeDatabase, openDatabase } from '../../store/database.js';
import { setDueDate } from '../../usecases/coordinate-tasks.js';
import {
  agenciesOption,
  cliLocale,
  dbOption,
  langOption,
  positiveInt,
  type RegisterCommand,
} from '../context.js';
import { existingDatabasePath } from '../io.js';
import { cliActor, coordinateDeps } from './coordinate.js';

/** `duban due ARTICLE DATE [--agency NAME]`: the CLI twin of `/due`. */
export const registerDueCommand: RegisterCommand = (program, context) => {
  program
    .command('due')
    .description("set the due date (YYYY-MM-DD) of an article's tasks, or of one agency's")
    .argument('<article>', 'article number', positiveInt)
    .argument('<date>', 'due date, YYYY-MM-DD')
    .option('--agency <name>', 'only this agency (canonical name or alias)')
    .addOption(langOption())
    .option('--json', 'print the result as JSON')
    .addOption(dbOption())
    .addOption(agenciesOption())
    .action(
      (
        article: number,
        date: string,
        options: {
          agency?: string;
          lang?: Locale;
          json?: boolean;
          db?: string;
          agencies?: string;
        },
      ) => {
        const db = openDatabase({ path: existingDatabasePath(options.db, context.io) });
        try {
          const result = setDueDate(coordinateDeps(db, context, options.agencies), {
            article,
            dueDate: date,
            ...(options.agency === undefined ? {} : { agency: options.agency }),
            actor: cliActor(context),
            channel: 'cli',
            now: context.now(),
          });
          const locale = cliLocale(context.io, options.lang);
          context.print(
            options.json
              ? `${JSON.stringify(result, null, 2)}\n`
              : `${
                  result.changed.length === 0
                    ? t('coord.dueUnchanged', { article, date }, locale)
                    : t(
                        'coord.dueDone',
                        { article, agency: result.agency, date, count: result.changed.length },
                        locale,
                      )
                }\n`,
          );
        } finally {
          closeDatabase(db);
        }
      },
    );
};
