import { type Locale, t } from '../../core/render/catalog.js';
import { closeDatabase, openDatabase } from '../../store/database.js';
import { unassignAgency } from '../../usecases/coordinate-tasks.js';
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

/** `duban unassign ARTICLE AGENCY`: the CLI twin of `/unassign`. */
export const registerUnassignCommand: RegisterCommand = (program, context) => {
  program
    .command('unassign')
    .description("take an article's task away from an agency")
    .argument('<article>', 'article number', positiveInt)
    .argument('<agency>', 'agency (canonical name or alias)')
    .addOption(langOption())
    .option('--json', 'print the result as JSON')
    .addOption(dbOption())
    .addOption(agenciesOption())
    .action(
      (
        article: number,
        agency: string,
        options: { lang?: Locale; json?: boolean; db?: string; agencies?: string },
      ) => {
        const db = openDatabase({ path: existingDatabasePath(options.db, context.io) });
        try {
          const result = unassignAgency(coordinateDeps(db, context, options.agencies), {
            article,
            agency,
            actor: cliActor(context),
            channel: 'cli',
            now: context.now(),
          });
          const locale = cliLocale(context.io, options.lang);
          context.print(
            options.json
              ? `${JSON.stringify(result, null, 2)}\n`
              : `${t('coord.unassign.done', { article, agency: result.agency }, locale)}\n`,
          );
        } finally {
          closeDatabase(db);
        }
      },
    );
};
