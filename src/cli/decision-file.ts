import { readFileSync, statSync } from 'node:fs';
import { DubanError } from '../core/errors.js';
import { MAX_DECISION_BYTES } from '../core/policy/parse.js';
import { ACCEPTED_KINDS, type DecisionFile, readDecisionBytes } from '../usecases/decision-file.js';
import { resolveCwd } from './io.js';

export { ACCEPTED_KINDS, type DecisionFile };

/**
 * Reads a decision file from disk: the size is checked before the bytes are read, then the bytes are
 * read as the chat's /import reads an upload (src/usecases/decision-file.ts), named by the path given.
 */
export async function readDecisionInput(path: string, cwd: string): Promise<DecisionFile> {
  const full = resolveCwd(path, cwd);
  let size: number;
  try {
    const stat = statSync(full);
    if (!stat.isFile()) throw new Error('not a regular file');
    size = stat.size;
  } catch (cause) {
    throw new DubanError('input.unreadable', `Cannot read ${path}: no such file, or not a regular file.`, {
      hint: `Check the path; FILE is the decision as ${ACCEPTED_KINDS}.`,
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
  return readDecisionBytes({ data: buffer, fileName: path });
}
