import { InvalidArgumentError } from 'commander';
import { DubanError } from '../../core/errors.js';
import type { Locale } from '../../core/render/catalog.js';
import { describeReading } from '../../core/replies/describe.js';
import { readReply } from '../../core/replies/read-reply.js';
import { agenciesOption, cliLocale, langOption, type RegisterCommand } from '../context.js';
import { loadRegistry } from '../io.js';

/** `--now 2026-12-20` is that day in Shanghai (noon, so no zone can move it to another day). */
function shanghaiDate(value: string): Date {
  const date = new Date(`${value}T12:00:00+08:00`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/u.test(value) ||
    Number.isNaN(date.getTime()) ||
    !date.toISOString().startsWith(value.slice(0, 7))
  ) {
    throw new InvalidArgumentError('expected a day as YYYY-MM-DD.');
  }
  return date;
}

/**
 * `duban reply-parse TEXT [--agency NAME] [--now YYYY-MM-DD] [--json]`: what the reply reader makes of
 * an official's free-text answer, without recording anything. The JSON has exactly the documented keys.
 */
export const registerReplyParseCommand: RegisterCommand = (program, context) => {
  program
    .command('reply-parse')
    .description('read a free-text progress reply as the bot would, and show the reading (records nothing)')
    .argument('<text>', "the reply, e.g. '第3条已完成80%，预计12月底完成'")
    .option(
      '--agency <name>',
      'the replying agency (canonical name or alias); not listed among the agencies named',
    )
    .option(
      '--now <date>',
      'the day the reply is read, YYYY-MM-DD in Shanghai time (default: today)',
      shanghaiDate,
    )
    .addOption(langOption())
    .option('--json', 'print the reading as one JSON object')
    .addOption(agenciesOption())
    .action(
      (
        text: string,
        options: { agency?: string; now?: Date; lang?: Locale; json?: boolean; agencies?: string },
      ) => {
        const registry = loadRegistry(options.agencies, context.cwd);
        if (options.agency !== undefined && registry.byName(options.agency) === undefined) {
          throw new DubanError('replies.unknown_agency', `Unknown agency "${options.agency}"`, {
            hint: 'Give a canonical name or an alias from the agency registry (see `duban agencies`).',
          });
        }
        const reading = readReply({
          text,
          now: options.now ?? context.now(),
          registry,
          agency: options.agency,
        });
        if (options.json) {
          const { status, percent, eta, blockers, agencies, article, confidence } = reading;
          context.print(
            `${JSON.stringify({ status, percent, eta, blockers, agencies, article, confidence })}\n`,
          );
          return;
        }
        context.print(`${describeReading(reading, cliLocale(context.io, options.lang))}\n`);
      },
    );
};
