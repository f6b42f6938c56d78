import type { Locale } from '../../core/render/catalog.js';
import { closeDatabase, openDatabase } from '../../store/database.js';
import { formatPauseResult, pauseAgencies } from '../../usecases/pause.js';
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

/**
 * `duban pause (--agency NAME | --all) [--until YYYY-MM-DD] [--json]`: no prompts, follow-ups or
 * escalations for the agency (or anyone) through that day (Shanghai, inclusive), or until resumed.
 */
export const registerPauseCommand: RegisterCommand = (program, context) => {
  program
    .command('pause')
    .description('pause the prompts of one agency (or all of them) until a day, or until resumed')
    .option('--agency <name>', 'an agency (canonical name or alias); repeat for several', collect, [])
    .option('--all', 'every agency (the global pause)')
    .option('--until <date>', 'last paused day, YYYY-MM-DD in Shanghai time (default: until resumed)')
    .addOption(langOption())
    .option('--json', 'print the result as JSON')
    .addOption(dbOption())
    .addOption(agenciesOption())
    .action(
      (options: {
        agency: string[];
        all?: boolean;
        until?: string;
        lang?: Locale;
        json?: boolean;
        db?: string;
        agencies?: string;
      }) => {
        if ((options.agency.length === 0) === !options.all) {
          throw new UsageError('pause: give either --agency NAME or --all.');
        }
        const db = openDatabase({ path: existingDatabasePath(options.db, context.io) });
        try {
          const result = pauseAgencies(
            {
              repos: createRepositories(db),
              ...(options.all ? {} : { registry: loadRegistry(options.agencies, context.cwd) }),
            },
            {
              ...(options.all ? { all: true } : { agencies: options.agency }),
              ...(options.until === undefined ? {} : { until: options.until }),
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
