import { readFileSync } from 'node:fs';
import { DubanError } from '../core/errors.js';

/**
 * Reads a JSON config file. Unreadable or malformed files become a DubanError with `code`,
 * so every config file fails the same clear way; a missing file returns `undefined` when allowed.
 */
export function readJsonConfigFile(input: {
  path: string;
  code: string;
  /** What the file holds, for the message: "the agency registry". */
  what: string;
  unreadableHint: string;
  missingIsUndefined?: boolean;
}): unknown {
  let text: string;
  try {
    text = readFileSync(input.path, 'utf8');
  } catch (cause) {
    if (input.missingIsUndefined && (cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DubanError(input.code, `${input.path}: cannot read ${input.what}.`, {
      hint: input.unreadableHint,
      cause,
    });
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/u, ''));
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new DubanError(input.code, `${input.path}: not valid JSON (${detail}).`, {
      hint: 'Fix the JSON syntax; a trailing comma or a missing quote is the usual cause.',
      cause,
    });
  }
}
