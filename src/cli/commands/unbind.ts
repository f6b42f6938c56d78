import { type Locale, t } from '../../core/render/catalog.js';
import { closeDatabase, openDatabase } from '../../store/database.js';
import { unbindChat } from '../../usecases/coordinate-tasks.js';
import { agenciesOption, cliLocale, dbOption, langOption, type RegisterCommand } from '../context.js';
import { existingDatabasePath } from '../io.js';
import { cliActor, coordinateDeps } from './coordinate.js';

/** `duban unbind CHAT_ID`: the CLI twin of `/unbind` (which names the group it is sent in). */
export const registerUnbindCommand: RegisterCommand = (program, context) => {
  program
    .command('unbind')
    .description("end a group's binding (and the roles its members held through it)")
    .argument('<chat>', 'the Lark chat id (oc_…) of the group')
    .addOption(langOption())
    .option('--json', 'print the result as JSON')
    .addOption(dbOption())
    .addOption(agenciesOption())
    .action((chatId: string, options: { lang?: Locale; json?: boolean; db?: string; agencies?: string }) => {
      const db = openDatabase({ path: existingDatabasePath(options.db, context.io) });
      try {
        const ended = unbindChat(coordinateDeps(db, context, options.agencies), {
          chatId,
          actor: cliActor(context),
          channel: 'cli',
          now: context.now(),
        });
        if (options.json) {
          context.print(`${JSON.stringify({ chatId, ended }, null, 2)}\n`);
          return;
        }
        const locale = cliLocale(context.io, options.lang);
        const text =
          ended === null
            ? t('coord.unbind.none', undefined, locale)
            : ended.kind === 'agency'
              ? t('coord.unbind.agency', { agency: ended.agency }, locale)
              : t(
                  'coord.unbind.special',
                  {
                    role: t(
                      ended.role === 'coordinators' ? 'bot.role.coordinatorsGroup' : 'bot.role.leadersGroup',
                      undefined,
                      locale,
                    ),
                  },
                  locale,
                );
        context.print(`${text}\n`);
      } finally {
        closeDatabase(db);
      }
    });
};
