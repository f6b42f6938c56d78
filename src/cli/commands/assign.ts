import { Option } from 'commander';
import { type Locale, t } from '../../core/render/catalog.js';
import { TASK_ROLES, type TaskRole } from '../../core/vocabulary.js';
import { closeDatabase, openDatabase } from '../../store/database.js';
import { assignAgency } from '../../usecases/coordinate-tasks.js';
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

/** `duban assign ARTICLE AGENCY --role lead|participant`: the CLI twin of `/assign`. */
export const registerAssignCommand: RegisterCommand = (program, context) => {
  program
    .command('assign')
    .description("give an agency an article's task as lead or participant (or change its role)")
    .argument('<article>', 'article number', positiveInt)
    .argument('<agency>', 'agency (canonical name or alias)')
    .addOption(
      new Option('--role <role>', 'lead or participant').choices([...TASK_ROLES]).makeOptionMandatory(),
    )
    .addOption(langOption())
    .option('--json', 'print the result as JSON')
    .addOption(dbOption())
    .addOption(agenciesOption())
    .action(
      (
        article: number,
        agency: string,
        options: { role: TaskRole; lang?: Locale; json?: boolean; db?: string; agencies?: string },
      ) => {
        const db = openDatabase({ path: existingDatabasePath(options.db, context.io) });
        try {
          const result = assignAgency(coordinateDeps(db, context, options.agencies), {
            article,
            agency,
            role: options.role,
            actor: cliActor(context),
            channel: 'cli',
            now: context.now(),
          });
          if (options.json) {
            context.print(`${JSON.stringify(result, null, 2)}\n`);
            return;
          }
          const locale = cliLocale(context.io, options.lang);
          const params = {
            article,
            agency: result.agency,
            role: t(result.role === 'lead' ? 'common.lead' : 'common.participant', undefined, locale),
          };
          const key =
            result.outcome === 'unchanged'
              ? 'coord.assign.unchanged'
              : result.outcome === 'role_changed'
                ? 'coord.assign.roleChanged'
                : 'coord.assign.created';
          context.print(`${t(key, params, locale)}\n`);
        } finally {
          closeDatabase(db);
        }
      },
    );
};
