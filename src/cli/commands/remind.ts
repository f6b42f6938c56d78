import { createLarkChat, type LarkChat } from '../../chat/index.js';
import { loadConfig } from '../../config/index.js';
import { silentLogger } from '../../logger.js';
import { closeDatabase, openDatabase } from '../../store/database.js';
import { formatRemindResult, planAndEnqueueReminders } from '../../usecases/remind.js';
import { agenciesOption, dbOption, type RegisterCommand, UsageError } from '../context.js';
import { databasePath, loadRegistry } from '../io.js';

/**
 * `duban remind [--agency NAME|--all] [--dry-run] [--json]`: this cycle's prompt cards now. With
 * Lark credentials it sends them and waits for the result; next to the sandbox it writes them to the
 * outbox, which the running bot sends. The outbox keys make a second run (or the scheduled prompt)
 * send nothing twice.
 */
export const registerRemindCommand: RegisterCommand = (program, context) => {
  program
    .command('remind')
    .description("send (or, with --dry-run, show) this cycle's prompt cards now")
    .option('--agency <name>', 'one agency (canonical name or alias)')
    .option('--all', 'every agency with open tasks')
    .option('--dry-run', 'print what each agency would get; send nothing')
    .option('--json', 'print the result as JSON')
    .addOption(dbOption())
    .addOption(agenciesOption())
    .action(
      async (options: {
        agency?: string;
        all?: boolean;
        dryRun?: boolean;
        json?: boolean;
        db?: string;
        agencies?: string;
      }) => {
        if ((options.agency === undefined) === !options.all) {
          throw new UsageError('remind: give either --agency NAME or --all.');
        }
        const db = openDatabase({ path: databasePath(options.db, context.io) });
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
          const result = await planAndEnqueueReminders({
            db,
            now: context.now(),
            ...(options.agency === undefined
              ? { all: true }
              : { agency: options.agency, registry: loadRegistry(options.agencies, context.cwd) }),
            dryRun: options.dryRun ?? false,
            ...(chat === undefined ? { deliver: false } : { chat }),
          });
          if (options.json) {
            const { prompts, ...rest } = result;
            const summary = prompts.map(({ cards: _cards, ...prompt }) => prompt);
            context.print(`${JSON.stringify({ ...rest, prompts: summary }, null, 2)}\n`);
            return;
          }
          context.print(`${formatRemindResult(result)}\n`);
        } finally {
          await chat?.close();
          closeDatabase(db);
        }
      },
    );
};
