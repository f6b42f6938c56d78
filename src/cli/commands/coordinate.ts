/** What the CLI twins of /due, /assign, /unassign and /unbind share: the use cases' deps over one database. */
import { silentLogger } from '../../logger.js';
import type { DubanDatabase } from '../../store/database.js';
import type { CoordinateDeps } from '../../usecases/coordinate-tasks.js';
import { createMembership } from '../../usecases/membership.js';
import { createRepositories } from '../../usecases/repositories.js';
import type { CommandContext } from '../context.js';
import { loadRegistry } from '../io.js';

/** Who the audit trail names for a CLI change: the login, as `duban remind` does. */
export function cliActor(context: CommandContext): string {
  return context.io.env.USER?.trim() || context.io.env.LOGNAME?.trim() || 'cli';
}

export function coordinateDeps(
  db: DubanDatabase,
  context: CommandContext,
  agenciesFile?: string,
): CoordinateDeps {
  const repos = createRepositories(db);
  // Ending a binding's roles reads only the store; the CLI holds no Lark connection to list members.
  const noChat = {
    listChatMembers: () => Promise.reject(new Error('the CLI does not read Lark groups')),
    userName: async () => null,
    messageFile: async () => null,
    downloadFile: () => Promise.reject(new Error('the CLI does not read Lark messages')),
  };
  return {
    tasks: repos.tasks,
    agencies: repos.agencies,
    registry: loadRegistry(agenciesFile, context.cwd),
    members: createMembership({
      people: repos.people,
      agencies: repos.agencies,
      chat: noChat,
      clock: { now: () => context.now() },
      logger: silentLogger,
    }),
  };
}
