import { type Command, InvalidArgumentError, Option } from 'commander';
import { LOCALES, type Locale } from '../core/render/catalog.js';
import type { CliIo } from './io.js';

/** What every command gets: the streams and settings of this run, and small helpers over them. */
export interface CommandContext {
  io: CliIo;
  /** Where relative FILE and --db paths resolve from. */
  cwd: string;
  now(): Date;
  print(text: string): void;
}

/** A command file adds itself to the program; src/cli/program.ts lists them. */
export type RegisterCommand = (program: Command, context: CommandContext) => void;

/** A refusal the user can fix by calling the command differently: exit code 2. */
export class UsageError extends Error {}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/u.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError('expected a positive whole number.');
  }
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/u.test(value.trim()) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError('expected a whole number of days.');
  }
  return n;
}

export const dbOption = (): Option =>
  new Option(
    '--db <path>',
    'SQLite file (default: $DUBAN_DB_PATH, else db/duban.sqlite); only import creates a missing one',
  );

export const agenciesOption = (): Option =>
  new Option('--agencies <path>', 'agency registry (default: config/agencies.json)');

export const scheduleOption = (): Option =>
  new Option(
    '--schedule <path>',
    'schedule settings: weekly budget, calendar (default: $DUBAN_SCHEDULE_FILE, else config/schedule.json)',
  );
/** For a repeatable option: `--agency A --agency B` gives `['A', 'B']`. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * `--lang zh-CN|en-US`, added by every command with human output: that output goes through the message
 * catalog in the language given. `--json` never changes with it (stable English keys and values).
 */
export const langOption = (): Option =>
  new Option(
    '--lang <locale>',
    `language of the human output: ${LOCALES.join(' or ')} (default: $DUBAN_LOCALE, else zh-CN)`,
  ).argParser((value: string): Locale => {
    const locale = LOCALES.find((l) => l === value.trim());
    if (locale === undefined) throw new InvalidArgumentError(`allowed values are ${LOCALES.join(', ')}.`);
    return locale;
  });

/** The catalog's language for human output: `--lang` when given, else DUBAN_LOCALE when it names one, else zh-CN. */
export function cliLocale(io: CliIo, lang?: Locale): Locale {
  if (lang !== undefined) return lang;
  return LOCALES.find((l) => l === io.env.DUBAN_LOCALE?.trim()) ?? 'zh-CN';
}
