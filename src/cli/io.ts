import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadAgencyRegistryFile } from '../config/agencies.js';
import { DubanError } from '../core/errors.js';
import { type AgencyRegistry, createAgencyRegistry } from '../core/policy/registry.js';
import { defaultDatabasePath, projectRoot, resolveFromRoot } from '../store/paths.js';

interface Writable {
  write(chunk: string): unknown;
}

interface Readable {
  isTTY?: boolean;
}

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  env: Record<string, string | undefined>;
  /** Answers the import confirmation; when absent or not a TTY, `--yes` is required. */
  stdin?: NodeJS.ReadableStream & Readable;
  now?: () => Date;
  /** Where relative FILE arguments resolve from (the shell's cwd). */
  cwd?: string;
}

/** A FILE argument, resolved against the shell's cwd. */
export function resolveCwd(path: string, cwd: string): string {
  return path.startsWith('/') ? path : join(cwd, path);
}

export function loadRegistry(path: string | undefined, cwd: string): AgencyRegistry {
  const file = path === undefined ? join(projectRoot, 'config', 'agencies.json') : resolveCwd(path, cwd);
  return createAgencyRegistry(loadAgencyRegistryFile(file));
}

/** --schedule wins; else DUBAN_SCHEDULE_FILE; else config/schedule.json under the project root (as the app). */
export function schedulePath(option: string | undefined, io: CliIo): string {
  if (option !== undefined) return resolveCwd(option, io.cwd ?? process.cwd());
  const configured = io.env.DUBAN_SCHEDULE_FILE?.trim();
  if (configured) return resolveFromRoot(configured);
  return join(projectRoot, 'config', 'schedule.json');
}

/** --db wins; else DUBAN_DB_PATH; else db/duban.sqlite under the project root. */
export function databasePath(option: string | undefined, io: CliIo): string {
  if (option !== undefined)
    return option === ':memory:' ? option : resolveCwd(option, io.cwd ?? process.cwd());
  return defaultDatabasePath(io.env);
}

/**
 * The database of a command that works on an existing ledger (every command but `import`): a path
 * that names no file is refused before anything is created, so a typo in --db is not answered with
 * an empty ledger ("No tasks") and a new folder.
 */
export function existingDatabasePath(option: string | undefined, io: CliIo): string {
  const path = databasePath(option, io);
  if (path !== ':memory:' && !existsSync(path)) {
    throw new DubanError('cli.database_missing', `No database at ${path}.`, {
      hint: 'Check --db or DUBAN_DB_PATH (the sandbox keeps its own in db/sandbox.sqlite); `duban import FILE --db PATH` creates a ledger.',
      details: { path },
    });
  }
  return path;
}
