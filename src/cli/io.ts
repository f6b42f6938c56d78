import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadAgencyRegistryFile } from '../config/agencies.js';
import { DubanError } from '../core/errors.js';
import { MAX_DECISION_BYTES } from '../core/policy/parse.js';
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

/** Reads a decision file, refusing what is not a decision text before the parser sees it. */
export function readDecisionFile(path: string, cwd: string): { text: string; sourceName: string } {
  const full = resolveCwd(path, cwd);
  let size: number;
  try {
    const stat = statSync(full);
    if (!stat.isFile()) throw new Error('not a regular file');
    size = stat.size;
  } catch (cause) {
    throw new DubanError('input.unreadable', `Cannot read ${path}: no such file, or not a regular file.`, {
      hint: 'Check the path; FILE is the decision as a UTF-8 text file.',
      cause,
    });
  }
  if (size > MAX_DECISION_BYTES) {
    throw new DubanError(
      'input.too_large',
      `${path} is ${(size / 1_000_000).toFixed(1)} MB; a decision text is at most ${MAX_DECISION_BYTES / 1_000_000} MB.`,
      { hint: 'Pass the decision text itself, not an archive or a scan.' },
    );
  }
  let buffer: Buffer;
  try {
    buffer = readFileSync(full);
  } catch (cause) {
    throw new DubanError('input.unreadable', `Cannot read ${path}.`, {
      hint: 'Check the file permissions.',
      cause,
    });
  }
  if (buffer.includes(0)) {
    throw new DubanError('input.binary', `${path} is not a text file: it contains binary data.`, {
      hint: 'Save the decision as plain UTF-8 text (.txt), e.g. copied out of the PDF or web page.',
    });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch (cause) {
    throw new DubanError('input.not_utf8', `${path} is not UTF-8 text.`, {
      hint: 'Re-save the file as UTF-8 (a GBK file can be converted with `iconv -f GBK -t UTF-8`).',
      cause,
    });
  }
  if (text.trim() === '') {
    throw new DubanError('input.empty', `${path} is empty.`, {
      hint: 'Pass a file holding the decision text.',
    });
  }
  return { text, sourceName: path };
}

function resolveCwd(path: string, cwd: string): string {
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
