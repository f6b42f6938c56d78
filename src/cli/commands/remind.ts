import { createLarkChat, type LarkChat } from '../../chat/index.js';
import { loadConfig } from '../../config/index.js';
import { loadScheduleSettings } from '../../config/schedule.js';
import { createWorkingCalendar } from '../../core/cycles/china-calendar.js';
import type { Locale } from '../../core/render/catalog.js';
import { silentLogger } from '../../logger.js';
import { closeDatabase, openDatabase } from '../../store/database.js';
import { formatPromptCycleResult, runPromptCycle } from '../../usecases/prompt-cycle.js';
import {
  agenciesOption,
  cliLocale,
  dbOption,
  langOption,
  type RegisterCommand,
  scheduleOption,
  UsageError,
} from '../context.js';
import { existingDatabasePath, loadRegistry, schedulePath } from '../io.js';

/**
 * `duban remind (--agency NAME | --all) [--dry-run] [--force] [--json]`: this cycle's prompt cards
 * now, under the scheduled cycle's rules (working days, pauses, the weekly budget of
 * config/schedule.json); `--force` sets those aside and is audited. With Lark credentials it sends the
 * cards and waits for the result; next to the sandbox it writes them to the outbox, which the running
 * bot sends. The outbox keys make a second run (or the scheduled prompt) send nothing twice.
 */
export const registerRemindCommand: RegisterCommand = (program, context) => {
  program
    .command('remind')
    .description("send (or, with --dry-run, show) this cycle's prompt cards now")
    .option('--agency <name>', 'one agency (canonical name or alias)')
    .option('--all', 'every agency with open tasks')
    .option('--dry-run', 'print what each agency would get; send nothing')
    .option(
      '--force',
      'send even when paused, over the weekly budget or on a day off (recorded in the audit log)',
    )
    .addOption(langOption())
    .option('--json', 'print the result as JSON')
    .addOption(dbOption())
    .addOption(agenciesOption())
    .addOption(scheduleOption())
    .action(
      async (options: {
        agency?: string;
        all?: boolean;
        dryRun?: boolean;
        force?: boolean;
        lang?: Locale;
        json?: boolean;
        db?: string;
        agencies?: string;
        schedule?: string;
      }) => {
        if ((options.agency === undefined) === !options.all) {
          throw new UsageError('remind: give either --agency NAME or --all.');
        }
        // The app's loader and calendar: a manual cycle obeys the configured budget and working days.
        const settings = loadScheduleSettings(schedulePath(options.schedule, context.io));
        const calendar = createWorkingCalendar({
          extraHolidays: settings.calendar.extraHolidays,
          extraWorkdays: settings.calendar.extraWorkdays,
        });
        const db = openDatabase({ path: existingDatabasePath(options.db, context.io) });
        let chat: LarkChat | undefined;
        try {
          const lark = options.dryRun ? undefined : loadConfig({ env: context.io.env }).lark;
          if (lark !== undefined) {
            chat = createLarkChat({
              appId: lark.appId,
              appSecret: lark.appSecret,
              domain: lark.domain,
              logger: silentLogger,
            });
          }
          const result = await runPromptCycle(
            {
              db,
              settings,
              calendar,
              // What is sent speaks the configured language (DUBAN_LOCALE, as the app); a printed dry run
              // sends nothing, so its preview lines follow --lang. --json stays the same whatever --lang says.
              locale:
                options.dryRun && !options.json ? cliLocale(context.io, options.lang) : cliLocale(context.io),
              ...(chat === undefined ? {} : { chat }),
              ...(options.agency === undefined
                ? {}
                : { registry: loadRegistry(options.agencies, context.cwd) }),
            },
            {
              now: context.now(),
              ...(options.agency === undefined ? { all: true } : { agency: options.agency }),
              dryRun: options.dryRun ?? false,
              force: options.force ?? false,
              actor: context.io.env.USER?.trim() || context.io.env.LOGNAME?.trim() || 'cli',
              channel: 'cli',
              ...(chat === undefined ? { deliver: false } : {}),
            },
          );
          if (options.json) {
            const { prompts, ...rest } = result;
            const summary = prompts.map(({ cards: _cards, ...prompt }) => prompt);
            context.print(`${JSON.stringify({ ...rest, prompts: summary }, null, 2)}\n`);
            return;
          }
          context.print(`${formatPromptCycleResult(result, cliLocale(context.io, options.lang))}\n`);
        } finally {
          await chat?.close();
          closeDatabase(db);
        }
      },
    );
};
