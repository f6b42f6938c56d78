/**
 * Reading one task's form from a prompt card submit: pure, so every rule about what a report may say
 * lives here and is tested without Lark or a database.
 */
import type { MessageKey } from '../render/catalog.js';
import {
  NOTE_MAX,
  PROMPT_FORM_STATUSES,
  type PromptFormStatus,
  promptFieldNames,
  URL_MAX,
} from '../render/prompt-card.js';
import type { ReportableStatus } from '../vocabulary.js';
import { parsePercent } from './percent.js';

export interface TaskReport {
  status: ReportableStatus;
  percent: number;
  blocked: boolean;
  note: string;
  evidenceUrl: string | null;
}

export type ReadReportResult =
  | { ok: true; report: TaskReport }
  /** `params` fill the problem's catalog text (the percent as typed). */
  | { ok: false; problem: MessageKey; params?: { text: string } };

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

export function readPromptReport(input: {
  taskId: number;
  formValue: Record<string, unknown> | undefined;
  /** Status and percent the task has now: what an untouched field keeps. */
  current: { status: string; percent: number };
}): ReadReportResult {
  const names = promptFieldNames(input.taskId);
  const form = input.formValue ?? {};
  // Lark sends only the fields a person filled in: an untouched (prefilled) status keeps the current one.
  const chosen = text(form[names.status]) || input.current.status;
  if (!PROMPT_FORM_STATUSES.includes(chosen as PromptFormStatus))
    return { ok: false, problem: 'bot.report.pickStatus' };
  const status = chosen as PromptFormStatus;

  // Lark's input field sends a string; anything else in that field is not a percent a person typed.
  const rawPercent = form[names.percent];
  if (rawPercent !== undefined && typeof rawPercent !== 'string')
    return { ok: false, problem: 'bot.report.badPercent' };
  const percentText = text(rawPercent);
  let percent = input.current.percent;
  if (percentText !== '') {
    const read = parsePercent(percentText, { sign: true });
    if (!read.ok) return { ok: false, problem: read.reason, params: { text: percentText.slice(0, 20) } };
    percent = read.percent;
  }

  const note = text(form[names.note]);
  if (note.length > NOTE_MAX) return { ok: false, problem: 'bot.report.noteTooLong' };
  const evidence = text(form[names.evidence]);
  if (evidence !== '' && (evidence.length > URL_MAX || !/^https?:\/\/\S+$/iu.test(evidence))) {
    return { ok: false, problem: 'bot.report.badEvidence' };
  }
  // Blocked is a flag with a reason: the note is the reason.
  if (status === 'blocked' && note === '') return { ok: false, problem: 'bot.report.blockedNeedsReason' };

  const resulting =
    status === 'blocked'
      ? input.current.status === 'not_started' && percent === 0
        ? 'not_started'
        : 'in_progress'
      : status === 'not_started' && percent > 0
        ? 'in_progress'
        : status;
  return {
    ok: true,
    report: {
      status: resulting,
      // Done means all of it; a started task with 0% would read as not started.
      percent: resulting === 'reported_done' ? 100 : percent,
      blocked: status === 'blocked',
      note,
      evidenceUrl: evidence === '' ? null : evidence,
    },
  };
}
