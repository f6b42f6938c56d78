import type { Locale } from '../../core/render/catalog.js';
import { closeDatabase, openDatabase } from '../../store/database.js';
import { formatPauseResult, resumeAgencies } from '../../usecases/pause.js';
import { createRepositories } from '../../usecases/repositories.js';
import {
  agenciesOption,
  cliLocale,
  collect,
  dbOption,
  langOption,
  type RegisterCommand,
  UsageError,
} from '../context.js';
import { existingDatabasePath, loadRegistry } from '../io.js';

/** `duban resume (--agency NAME | --all) [--json]`: prompts again for the agency, or lift the global pause. */
export const registerResumeCommand: RegisterCommand = (program, context) => {
  program
    .command('resume')
    .description('resume the prompts of one agency, or lift the global pause (--all)')
    .option('--agency <name>', 'an agency (canonical name or alias); repeat for several', collect, [])
    .option('--all', 'lift the global pause')
    .addOption(langOption())
    .option('--json', 'print the result as JSON')
    .addOption(dbOption())
    .addOption(agenciesOption())
    .action(
      (options: {
        agency: string[];
        all?: boolean;
        lang?: Locale;
        json?: boolean;
        db?: string;
        agencies?: string;
      }) => {
        if ((options.agency.length === 0) === !options.all) {
          throw new UsageError('resume: give either --agency NAME or --all.');
        }
        const db = openDatabase({ path: existingDatabasePath(options.db, context.io) });
        try {
          const result = resumeAgencies(
            {
              repos: createRepositories(db),
              ...(options.all ? {} : { registry: loadRegistry(options.agencies, context.cwd) }),
            },
            {
              ...(options.all ? { all: true } : { agencies: options.agency }),
              actor: 'cli',
              channel: 'cli',
              now: context.now(),
            },
          );
          context.print(
            options.json
              ? `${JSON.stringify(result, null, 2)}\n`
              : `${formatPauseResult(result, cliLocale(context.io, options.lang))}\n`,
          );
        } finally {
          closeDatabase(db);
        }
      },
    );
};
