import { closeDatabase, openDatabase } from '../../store/database.js';
import { listLedgerAgencies, syncAgencyRegistry } from '../../usecases/ledger-queries.js';
import { agenciesOption, dbOption, type RegisterCommand } from '../context.js';
import { existingDatabasePath, loadRegistry } from '../io.js';
import { renderTable } from '../table.js';

/** `duban agencies [--json]`: the registry as synced into the ledger, with chats and task counts. */
export const registerAgenciesCommand: RegisterCommand = (program, context) => {
  program
    .command('agencies')
    .description('list the agencies (synced from the registry) with their chats and task counts')
    .option('--json', 'print the agencies as JSON')
    .addOption(dbOption())
    .addOption(agenciesOption())
    .action((options: { json?: boolean; db?: string; agencies?: string }) => {
      const registry = loadRegistry(options.agencies, context.cwd);
      const db = openDatabase({ path: existingDatabasePath(options.db, context.io) });
      try {
        syncAgencyRegistry({ db, registry, now: context.now(), actor: 'cli', channel: 'cli' });
        const agencies = listLedgerAgencies({ db });
        if (options.json) {
          context.print(`${JSON.stringify(agencies, null, 2)}\n`);
          return;
        }
        context.print(
          renderTable(
            ['Agency', 'Kind', 'Aliases', 'Chat', 'Lead', 'Part.', 'Paused'],
            agencies.map((a) => [
              a.name,
              a.kind === 'collective' ? `collective (${a.expandsTo ?? 'all'})` : a.kind,
              String(a.aliases.length),
              a.chatId ?? '-',
              String(a.leadTasks),
              String(a.participantTasks),
              a.paused ? (a.pausedUntil === null ? 'yes' : `until ${a.pausedUntil}`) : '',
            ]),
          ),
        );
        context.print(`${agencies.length} agencies\n`);
      } finally {
        closeDatabase(db);
      }
    });
};
