/**
 * Argument readers shared by the coordinators' commands: each turns the typed tokens into a value or a
 * worded problem, which the router shows with the command's usage.
 */
import { z } from 'zod';
import { isLocalDate } from '../../core/cycles/time.js';
import { t } from '../../core/render/catalog.js';
import type { TaskRole } from '../../core/vocabulary.js';
import type { ParsedCommand } from './parse.js';

type Issue = (message: string) => never;

/** A zod schema over the parsed command, written as a plain reader that calls `fail` with a message. */
export function commandArgs<T>(read: (tokens: string[], fail: Issue) => T): z.ZodType<T> {
  return z.custom<ParsedCommand>().transform((command, ctx): T => {
    try {
      return read([...command.tokens], (message) => {
        throw new ArgProblem(message);
      });
    } catch (error) {
      if (!(error instanceof ArgProblem)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message });
      return z.NEVER;
    }
  }) as unknown as z.ZodType<T>;
}

class ArgProblem extends Error {}

export function articleNumber(token: string | undefined, fail: Issue): number {
  if (token === undefined) return fail(t('coord.arg.articleMissing'));
  // 第3条 and ３ read as 3.
  const digits = token
    .replace(/^第|条$/gu, '')
    .replace(/[０-９]/gu, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  const n = Number(digits);
  if (!/^\d+$/u.test(digits) || !Number.isSafeInteger(n) || n < 1)
    return fail(t('coord.arg.articleNumber', { value: token }));
  return n;
}

export function localDate(token: string | undefined, fail: Issue): string {
  if (token === undefined) return fail(t('coord.arg.dateMissing'));
  const normal = token.replace(/[/.]/gu, '-');
  if (!isLocalDate(normal)) return fail(t('coord.arg.date', { value: token }));
  return normal;
}

const ROLE_WORDS = new Map<string, TaskRole>([
  ['lead', 'lead'],
  ['牵头', 'lead'],
  ['participant', 'participant'],
  ['参与', 'participant'],
]);

export function taskRole(token: string | undefined, fail: Issue): TaskRole {
  const role = token === undefined ? undefined : ROLE_WORDS.get(token.toLowerCase());
  return role ?? fail(t('coord.arg.role', { value: token ?? '' }));
}

export function noMore(tokens: readonly string[], fail: Issue): void {
  if (tokens.length > 0) fail(t('coord.arg.tooMany', { extra: tokens.join(' ') }));
}

/** `all` (or 全部) or one agency name; names with spaces are joined back. */
export type Target = { all: true } | { agency: string };

export function target(tokens: readonly string[], fail: Issue): Target {
  if (tokens.length === 0) return fail(t('coord.target.missing'));
  const text = tokens.join(' ');
  return text.toLowerCase() === 'all' || text === '全部' ? { all: true } : { agency: text };
}
