/**
 * `npm run simulate -- --days N --agencies N`: a simulated run of Duban (driver.ts), the invariants
 * as a table, the figures, and one JSON line last: {"simulate":{…figures…},"invariants":{"name":bool}}.
 * Exits 1 when an invariant fails.
 */
import { Command, InvalidArgumentError } from 'commander';
import { runSimulation } from './driver.js';
import { formatReport } from './report.js';

const positive = (value: string): number => {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('a positive whole number, e.g. 90');
  return Number(value);
};

const program = new Command('simulate')
  .description(
    'Run Duban under a virtual clock from 2026-01-01 against the Lark emulator and check invariants',
  )
  .option('--days <n>', 'days to simulate', positive, 90)
  .option('--agencies <n>', 'agencies in the city', positive, 20)
  .option('--seed <n>', 'seed of the people and faults', positive, 20260101)
  .option('--no-restarts', 'never kill the bot')
  .option('--no-faults', 'no injected Lark faults or duplicate pushes')
  .option('--keep', 'keep the temporary folder with the database')
  .action(
    async (opts: {
      days: number;
      agencies: number;
      seed: number;
      restarts: boolean;
      faults: boolean;
      keep?: boolean;
    }) => {
      const result = await runSimulation({
        days: opts.days,
        agencies: opts.agencies,
        seed: opts.seed,
        restarts: opts.restarts,
        faults: opts.faults,
        keep: opts.keep === true,
        onDay: (day, date) => {
          if (day % 30 === 0) process.stderr.write(`  day ${day + 1}/${opts.days} (${date})\n`);
        },
      });
      process.stdout.write(`${formatReport(result)}\n`);
      if (opts.keep) process.stdout.write(`Kept: ${result.dir}\n`);
      process.stdout.write(
        `${JSON.stringify({
          simulate: result.figures,
          invariants: Object.fromEntries(result.invariants.map((i) => [i.name, i.ok])),
        })}\n`,
      );
      process.exitCode = result.invariants.every((i) => i.ok) ? 0 : 1;
    },
  );

await program.parseAsync(process.argv);
