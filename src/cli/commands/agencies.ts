import { type Locale, type MessageKey, t, translate } from '../../core/render/catalog.js';
import { closeDatabase, openDatabase } from '../../store/database.js';
import { listLedgerAgencies, syncAgencyRegistry } from '../../usecases/ledger-queries.js';
import { agenciesOption, cliLocale, dbOption, langOption, type RegisterCommand } from '../context.js';
import { existingDatabasePath, loadRegistry } from '../io.js';
import { renderTable } from '../table.js';

/** `duban agencies [--lang L] [--json]`: the registry as synced into the ledger, with chats and task counts. */
export const registerAgenciesCommand: RegisterCommand = (program, context) => {
  program
    .command('agencies')
    .description('list the agencies (synced from the registry) with their chats and task counts')
    .addOption(langOption())
    .option('--json', 'print the agencies as JSON')
    .addOption(dbOption())
    .addOption(agenciesOption())
    .action((options: { lang?: Locale; json?: boolean; db?: string; agencies?: string }) => {
      const registry = loadRegistry(options.agencies, context.cwd);
      const db = openDatabase({ path: existingDatabasePath(options.db, context.io) });
      try {
        syncAgencyRegistry({ db, registry, now: context.now(), actor: 'cli', channel: 'cli' });
        const agencies = listLedgerAgencies({ db });
        if (options.json) {
          context.print(`${JSON.stringify(agencies, null, 2)}\n`);
          return;
        }
        const locale = cliLocale(context.io, options.lang);
        const h = (key: MessageKey) => translate(key, undefined, locale);
        context.print(
          renderTable(
            [
              h('cli.agencies.header.agency'),
              h('cli.agencies.header.kind'),
              h('cli.agencies.header.aliases'),
              h('cli.agencies.header.chat'),
              h('cli.agencies.header.lead'),
              h('cli.agencies.header.participant'),
              h('cli.agencies.header.paused'),
            ],
            agencies.map((a) => [
              a.name,
              a.kind === 'collective'
                ? t('cli.agencies.kind.collective', { expandsTo: a.expandsTo }, locale)
                : h(`cli.agencies.kind.${a.kind}`),
              String(a.aliases.length),
              a.chatId ?? '-',
              String(a.leadTasks),
              String(a.participantTasks),
              a.paused
                ? a.pausedUntil === null
                  ? h('cli.agencies.paused')
                  : t('cli.agencies.pausedUntil', { until: a.pausedUntil }, locale)
                : '',
            ]),
          ),
        );
        context.print(`${t('cli.agencies.count', { count: agencies.length }, locale)}\n`);
      } finally {
        closeDatabase(db);
      }
    });
};
