import { parseDecision } from '../../core/policy/parse.js';
import type { Due, ParsedDecision } from '../../core/policy/types.js';
import { agenciesOption, type RegisterCommand } from '../context.js';
import { readDecisionInput } from '../decision-file.js';
import { loadRegistry } from '../io.js';
import { renderTable } from '../table.js';

const responsibleList = (list: { name: string; written: string; known: boolean }[]) =>
  list.map((r) => (r.known ? r.name : `?${r.written}`)).join('、') || '-';

const dueText = (due: Due | undefined): string =>
  due === undefined
    ? ''
    : due.kind === 'date'
      ? due.date
      : due.kind === 'recurring'
        ? `every ${due.every}`
        : 'ongoing';

function renderParsed(parsed: ParsedDecision): string {
  const partTitle = new Map(parsed.parts.map((p) => [p.no, p.label]));
  const lines = [
    `${parsed.title}`,
    `${parsed.parts.length} parts, ${parsed.articles.length} articles, ${parsed.articles.reduce((n, a) => n + a.indicators.length, 0)} indicators`,
    '',
    renderTable(
      ['No', 'Label', 'Part', 'Title', 'Leads', 'Participants', 'Due', 'Ind.'],
      parsed.articles.map((a) => [
        String(a.no),
        a.label,
        partTitle.get(a.part) ?? '',
        a.title,
        a.clause === null ? '(no clause)' : responsibleList(a.leads),
        a.clause === null ? '' : responsibleList(a.participants),
        dueText(a.due),
        String(a.indicators.length),
      ]),
      { maxWidth: 36 },
    ),
  ];
  if (parsed.warnings.length > 0) {
    lines.push('Warnings:');
    for (const w of parsed.warnings) {
      lines.push(`  ${w.article === undefined ? '' : `article ${w.article}: `}${w.message}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** `duban parse FILE [--json]`: the parser's output, as JSON or as a table. */
export const registerParseCommand: RegisterCommand = (program, context) => {
  program
    .command('parse')
    .description('parse a decision text and show its articles, responsible agencies and indicators')
    .argument('<file>', 'the decision: .txt (UTF-8 or GB18030) or .docx')
    .option('--json', 'print the parse result as JSON')
    .addOption(agenciesOption())
    .action(async (file: string, options: { json?: boolean; agencies?: string }) => {
      const { text } = await readDecisionInput(file, context.cwd);
      const parsed = parseDecision({ text, registry: loadRegistry(options.agencies, context.cwd) });
      context.print(options.json ? `${JSON.stringify(parsed, null, 2)}\n` : renderParsed(parsed));
    });
};
