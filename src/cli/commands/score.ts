import { writeFileSync } from 'node:fs';
import { Option } from 'commander';
import { loadScoringRules } from '../../config/scoring.js';
import { type Locale, t, translate } from '../../core/render/catalog.js';
import { taskPlaceLabel } from '../../core/render/task-place.js';
import { closeDatabase, openDatabase } from '../../store/database.js';
import { projectRoot } from '../../store/paths.js';
import { createExports, type ExportKind } from '../../usecases/export.js';
import { createRepositories } from '../../usecases/repositories.js';
import { createScores } from '../../usecases/scores.js';
import { cliLocale, dbOption, langOption, type RegisterCommand, UsageError } from '../context.js';
import { type CliIo, existingDatabasePath, resolveCwd } from '../io.js';

const scoringOption = () =>
  new Option('--scoring <path>', 'scoring rules (default: $DUBAN_SCORING_FILE, else config/scoring.json)');

function scoringPath(option: string | undefined, io: CliIo): string {
  if (option !== undefined) return resolveCwd(option, io.cwd ?? process.cwd());
  const configured = io.env.DUBAN_SCORING_FILE?.trim();
  return resolveCwd(configured || 'config/scoring.json', projectRoot);
}

interface Options {
  period?: string;
  lang?: Locale;
  json?: boolean;
  db?: string;
  scoring?: string;
}

/** `duban score [--period P] [--json]`: per agency the total and every line behind it. */
export const registerScoreCommand: RegisterCommand = (program, context) => {
  program
    .command('score')
    .description("article 34's scores: per agency the total and every line, each naming its audit event")
    .option(
      '--period <period>',
      'a month 2026-11, a quarter 2026-Q4 or a year 2026 (default: the current one)',
    )
    .addOption(langOption())
    .option('--json', 'print the scores as JSON (stable English keys)')
    .addOption(dbOption())
    .addOption(scoringOption())
    .action((options: Options) => {
      const rules = loadScoringRules(scoringPath(options.scoring, context.io));
      const db = openDatabase({ path: existingDatabasePath(options.db, context.io) });
      try {
        const { sheet, previous } = createScores({ repos: createRepositories(db), rules })({
          period: options.period,
          now: context.now(),
        });
        if (options.json) {
          const before = new Map(previous.agencies.map((a) => [a.agencyId, a.total]));
          const json = {
            period: sheet.period,
            agencies: sheet.agencies.map((a) => ({
              agencyId: a.agencyId,
              agency: a.agency,
              total: a.total,
              previousTotal: before.get(a.agencyId) ?? 0,
              byRule: a.byRule,
              lines: a.lines,
            })),
          };
          context.print(`${JSON.stringify(json, null, 2)}\n`);
          return;
        }
        const locale = cliLocale(context.io, options.lang);
        const out = [`${sheet.period.key} (${sheet.period.start} – ${sheet.period.end})`];
        for (const a of sheet.agencies) {
          out.push(`${a.agency}  ${a.total}`);
          for (const l of a.lines) {
            const rule = translate(`scoring.rule.${l.rule}`, undefined, locale);
            const source =
              l.source === 'outbox'
                ? t('score.card.prompt', { id: l.factId }, locale)
                : t('cli.score.audit', { id: l.factId }, locale);
            out.push(
              t(
                'cli.score.line',
                {
                  date: l.date,
                  rule,
                  place: taskPlaceLabel(l, locale),
                  role: t(l.role === 'lead' ? 'common.lead' : 'common.participant', undefined, locale),
                  points: `${l.points > 0 ? '+' : ''}${l.points}`,
                  source,
                },
                locale,
              ),
            );
          }
        }
        context.print(`${out.join('\n')}\n`);
      } finally {
        closeDatabase(db);
      }
    });
};

/** `duban export ledger|scores FILE [--period P]`: the xlsx workbook written to FILE. */
export const registerExportCommand: RegisterCommand = (program, context) => {
  program
    .command('export')
    .description('write the ledger (台账) or the scores as an .xlsx workbook')
    .argument('<kind>', 'ledger or scores')
    .argument('<file>', 'the .xlsx file to write')
    .option('--period <period>', 'a month 2026-11, a quarter 2026-Q4 or a year 2026')
    .addOption(langOption())
    .addOption(dbOption())
    .addOption(scoringOption())
    .action(async (kind: string, file: string, options: Options) => {
      if (kind !== 'ledger' && kind !== 'scores') {
        throw new UsageError(`export: "${kind}" is not ledger or scores.`);
      }
      const rules = loadScoringRules(scoringPath(options.scoring, context.io));
      const db = openDatabase({ path: existingDatabasePath(options.db, context.io) });
      try {
        const exported = await createExports({
          repos: createRepositories(db),
          rules,
          locale: cliLocale(context.io, options.lang),
        }).build(kind as ExportKind, { period: options.period, now: context.now() });
        const path = resolveCwd(file, context.cwd);
        writeFileSync(path, exported.data);
        context.print(
          `${t('cli.export.written', { path, bytes: exported.data.length }, cliLocale(context.io, options.lang))}\n`,
        );
      } finally {
        closeDatabase(db);
      }
    });
};
