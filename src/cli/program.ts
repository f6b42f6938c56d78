import { Command, CommanderError } from 'commander';
import { isDubanError } from '../core/errors.js';
import { registerAgenciesCommand } from './commands/agencies.js';
import { registerAssignCommand } from './commands/assign.js';
import { registerBackupCommand, registerRestoreCommand } from './commands/backup.js';
import { registerDueCommand } from './commands/due.js';
import { registerHistoryCommand } from './commands/history.js';
import { registerImportCommand } from './commands/import.js';
import { registerParseCommand } from './commands/parse.js';
import { registerPauseCommand } from './commands/pause.js';
import { registerRemindCommand } from './commands/remind.js';
import { registerReplyParseCommand } from './commands/reply-parse.js';
import { registerResumeCommand } from './commands/resume.js';
import { registerExportCommand, registerScoreCommand } from './commands/score.js';
import { registerTasksCommand } from './commands/tasks.js';
import { registerUnassignCommand } from './commands/unassign.js';
import { registerUnbindCommand } from './commands/unbind.js';
import { type CommandContext, type RegisterCommand, UsageError } from './context.js';
import type { CliIo } from './io.js';

export type { CliIo } from './io.js';

const EXIT_OK = 0;
const EXIT_BAD_INPUT = 1;
const EXIT_USAGE = 2;

/** Every command, one file each under src/cli/commands/. A new command is one more entry here. */
const commands: RegisterCommand[] = [
  registerParseCommand,
  registerImportCommand,
  registerTasksCommand,
  registerAgenciesCommand,
  registerRemindCommand,
  registerPauseCommand,
  registerResumeCommand,
  registerReplyParseCommand,
  registerHistoryCommand,
  registerDueCommand,
  registerAssignCommand,
  registerUnassignCommand,
  registerUnbindCommand,
  registerScoreCommand,
  registerExportCommand,
  registerBackupCommand,
  registerRestoreCommand,
];

function buildProgram(io: CliIo): Command {
  const context: CommandContext = {
    io,
    cwd: io.cwd ?? process.cwd(),
    now: () => (io.now ?? (() => new Date()))(),
    print: (text) => io.stdout.write(text),
  };
  const program = new Command('duban')
    .description('Duban (督办): turn a policy decision into tracked work across agencies')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showSuggestionAfterError(true)
    .allowExcessArguments(false);
  for (const register of commands) register(program, context);
  return program;
}

/**
 * Runs the CLI in-process: `argv` are the arguments after the program name. Resolves to the exit code:
 * 0 ok, 1 bad input (a file, an agency name, the registry), 2 usage (unknown command or option, no confirmation).
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  if (argv.length === 0) {
    io.stderr.write(program.helpInformation());
    return EXIT_USAGE;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT_OK;
      if (error.code === 'commander.help') return EXIT_USAGE;
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`${error.message}\n`);
      return EXIT_USAGE;
    }
    if (isDubanError(error)) {
      io.stderr.write(`Error: ${error.message}\n${error.hint ? `  ${error.hint}\n` : ''}`);
      return EXIT_BAD_INPUT;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`Error: ${message}\n`);
    return EXIT_BAD_INPUT;
  }
}
