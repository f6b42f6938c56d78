import { parseDecision } from '../../core/policy/parse.js';
import type { Due, ParsedDecision } from '../../core/policy/types.js';
import { type Locale, type MessageKey, t, translate } from '../../core/render/catalog.js';
import { agenciesOption, cliLocale, langOption, type RegisterCommand } from '../context.js';
import { readDecisionInput } from '../decision-file.js';
import { loadRegistry } from '../io.js';
import { renderTable } from '../table.js';

function renderParsed(parsed: ParsedDecision, locale: Locale): string {
  const h = (key: MessageKey) => translate(key, undefined, locale);
  const responsibleList = (list: { name: string; written: string; known: boolean }[]) =>
    list.map((r) => (r.known ? r.name : `?${r.written}`)).join(h('cli.parse.separator')) || '-';
  const dueText = (due: Due | undefined): string =>
    due === undefined
      ? ''
      : due.kind === 'date'
        ? due.date
        : due.kind === 'recurring'
          ? h(`cli.parse.due.${due.every}`)
          : h('cli.parse.due.ongoing');
  const partTitle = new Map(parsed.parts.map((p) => [p.no, p.label]));
  const lines = [
    `${parsed.title}`,
    t(
      'cli.parse.summary',
      {
        parts: parsed.parts.length,
        articles: parsed.articles.length,
        indicators: parsed.articles.reduce((n, a) => n + a.indicators.length, 0),
      },
      locale,
    ),
    '',
    renderTable(
      [
        h('cli.parse.header.no'),
        h('cli.parse.header.label'),
        h('cli.parse.header.part'),
        h('cli.parse.header.title'),
        h('cli.parse.header.leads'),
        h('cli.parse.header.participants'),
        h('cli.parse.header.due'),
        h('cli.parse.header.indicators'),
      ],
      parsed.articles.map((a) => [
        String(a.no),
        a.label,
        partTitle.get(a.part) ?? '',
        a.title,
        a.clause === null ? h('cli.parse.noClause') : responsibleList(a.leads),
        a.clause === null ? '' : responsibleList(a.participants),
        dueText(a.due),
        String(a.indicators.length),
      ]),
      { maxWidth: 36 },
    ),
  ];
  if (parsed.warnings.length > 0) {
    lines.push(h('cli.parse.warnings'));
    for (const w of parsed.warnings) {
      lines.push(t('cli.parse.warning', { article: w.article ?? null, message: w.message }, locale));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** `duban parse FILE [--lang L] [--json]`: the parser's output, as JSON or as a table. */
export const registerParseCommand: RegisterCommand = (program, context) => {
  program
    .command('parse')
    .description('parse a decision text and show its articles, responsible agencies and indicators')
    .argument('<file>', 'the decision: .txt (UTF-8 or GB18030) or .docx')
    .addOption(langOption())
    .option('--json', 'print the parse result as JSON')
    .addOption(agenciesOption())
    .action(async (file: string, options: { lang?: Locale; json?: boolean; agencies?: string }) => {
      const { text } = await readDecisionInput(file, context.cwd);
      const parsed = parseDecision({ text, registry: loadRegistry(options.agencies, context.cwd) });
      context.print(
        options.json
          ? `${JSON.stringify(parsed, null, 2)}\n`
          : renderParsed(parsed, cliLocale(context.io, options.lang)),
      );
    });
};
