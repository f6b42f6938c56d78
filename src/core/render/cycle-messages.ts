/**
 * The scheduled jobs' messages besides the weekly prompt: the follow-up, the escalation rungs, the
 * due-date reminder (small JSON 2.0 cards) and the coordinators' notices (texts). Pure functions of
 * their inputs; the wording lives in the catalog.
 */
import type { EscalationStep, EscalationTrigger } from '../cycles/escalation.js';
import { daysBetween, type LocalDate } from '../cycles/time.js';
import type { CoordinatorNotice } from '../cycles/types.js';
import { type Locale, type MessageKey, t, translate } from './catalog.js';

type Card = Record<string, unknown>;

/** A task as the messages name it. */
export interface MessageTask {
  id: number;
  articleNo: number;
  articleTitle: string;
  role: 'lead' | 'participant';
  dueDate: string | null;
}

/**
 * Lines listed per card: far under Lark's 30 KB / 200 elements (the list is one markdown element),
 * and a reminder that lists dozens of tasks is read by nobody anyway.
 */
export const MAX_LISTED_TASKS = 40;

const md = (content: string) => ({ tag: 'markdown', content });

function card(input: {
  title: string;
  template: 'orange' | 'red' | 'blue' | 'yellow';
  paragraphs: string[];
}): Card {
  return {
    schema: '2.0',
    config: { update_multi: true, width_mode: 'fill', summary: { content: input.title } },
    header: { title: { tag: 'plain_text', content: input.title }, template: input.template },
    body: { direction: 'vertical', elements: input.paragraphs.filter((p) => p !== '').map(md) },
  };
}

function listed<T>(items: readonly T[], line: (item: T) => string, locale: Locale | undefined): string {
  const shown = items.slice(0, MAX_LISTED_TASKS).map(line);
  const rest = items.length - shown.length;
  if (rest > 0) shown.push(t('cycleJobs.task.more', { count: rest }, locale));
  return shown.join('\n');
}

function roleName(role: MessageTask['role'], locale: Locale | undefined): string {
  return t(role === 'lead' ? 'common.lead' : 'common.participant', undefined, locale);
}

function byArticle<T extends MessageTask>(tasks: readonly T[]): T[] {
  return [...tasks].sort((a, b) => a.articleNo - b.articleNo || a.id - b.id);
}

/** `<at id=ou_…></at> 请关注：`, or nothing when the agency has no contact. */
function mentionLine(openId: string | undefined, locale: Locale | undefined): string {
  return openId ? t('cycleJobs.mention', { openId }, locale) : '';
}

export function renderFollowUpCard(input: {
  agency: string;
  cycle: string;
  tasks: readonly MessageTask[];
  mentionOpenId?: string | undefined;
  locale?: Locale | undefined;
}): Card {
  const { locale } = input;
  const lines = listed(
    byArticle(input.tasks),
    (task) =>
      t(
        'cycleJobs.task.line',
        {
          article: task.articleNo,
          title: task.articleTitle,
          role: roleName(task.role, locale),
          due: task.dueDate ?? t('cycleJobs.task.noDue', undefined, locale),
        },
        locale,
      ),
    locale,
  );
  return card({
    title: t('cycleJobs.followUp.title', { agency: input.agency }, locale),
    template: 'orange',
    paragraphs: [
      `${mentionLine(input.mentionOpenId, locale)}${t('cycleJobs.followUp.body', { cycle: input.cycle, count: input.tasks.length }, locale)}`,
      lines,
    ],
  });
}

export interface EscalatedTask extends MessageTask {
  triggers: readonly EscalationTrigger[];
}

function reasons(task: EscalatedTask, today: LocalDate, locale: Locale | undefined): string {
  const parts = task.triggers.map((trigger) =>
    trigger === 'overdue' && task.dueDate
      ? t('cycleJobs.trigger.overdue', { days: Math.max(1, daysBetween(task.dueDate, today)) }, locale)
      : t('cycleJobs.trigger.silent', undefined, locale),
  );
  return parts.join(t('prompts.reason.separator', undefined, locale));
}

/**
 * One escalation message. `group` and `contact` go to the agency's own group (the latter
 * @-mentioning its contact); `lead_agency` to the group of the agency that leads the article;
 * `coordinators` to the coordinators' group. The `digest` rung has no message.
 */
export function renderEscalationCard(input: {
  step: Exclude<EscalationStep, 'digest'>;
  /** The agency whose tasks are escalated. */
  agency: string;
  /** The lead agency addressed by the `lead_agency` rung. */
  lead?: string | undefined;
  tasks: readonly EscalatedTask[];
  mentionOpenId?: string | undefined;
  /** Today in Shanghai, to count the days overdue. */
  today: LocalDate;
  locale?: Locale | undefined;
}): Card {
  const { locale, agency } = input;
  const count = input.tasks.length;
  const lines = listed(
    byArticle(input.tasks),
    (task) =>
      t(
        'cycleJobs.escalation.line',
        {
          article: task.articleNo,
          title: task.articleTitle,
          role: roleName(task.role, locale),
          reasons: reasons(task, input.today, locale),
        },
        locale,
      ),
    locale,
  );
  switch (input.step) {
    case 'group':
    case 'contact':
      return card({
        title: t('cycleJobs.escalation.groupTitle', { agency }, locale),
        template: input.step === 'group' ? 'orange' : 'red',
        paragraphs: [
          `${input.step === 'contact' ? mentionLine(input.mentionOpenId, locale) : ''}${t('cycleJobs.escalation.groupBody', { count }, locale)}`,
          lines,
        ],
      });
    case 'lead_agency':
      return card({
        title: t('cycleJobs.escalation.leadTitle', { agency }, locale),
        template: 'red',
        paragraphs: [t('cycleJobs.escalation.leadBody', { agency, lead: input.lead ?? '' }, locale), lines],
      });
    case 'coordinators':
      return card({
        title: t('cycleJobs.escalation.coordinatorsTitle', { agency }, locale),
        template: 'red',
        paragraphs: [t('cycleJobs.escalation.coordinatorsBody', { agency, count }, locale), lines],
      });
  }
}

export interface DueReminderTask extends MessageTask {
  dueDate: string;
  workingDaysLeft: number;
}

export function renderDueReminderCard(input: {
  agency: string;
  tasks: readonly DueReminderTask[];
  locale?: Locale | undefined;
}): Card {
  const { locale } = input;
  const tasks = [...input.tasks].sort(
    (a, b) => a.dueDate.localeCompare(b.dueDate) || a.articleNo - b.articleNo || a.id - b.id,
  );
  return card({
    title: t('cycleJobs.due.title', { agency: input.agency }, locale),
    template: 'yellow',
    paragraphs: [
      t('cycleJobs.due.body', { count: tasks.length }, locale),
      listed(
        tasks,
        (task) =>
          t(
            'cycleJobs.due.line',
            {
              article: task.articleNo,
              title: task.articleTitle,
              due: task.dueDate,
              days: task.workingDaysLeft,
            },
            locale,
          ),
        locale,
      ),
    ],
  });
}

/** A planner's notice to the coordinators (budget spent, no bound group), as text. */
export function renderCoordinatorNotice(input: {
  notice: CoordinatorNotice;
  agency: string;
  locale?: Locale | undefined;
}): string {
  const { notice, agency, locale } = input;
  if (notice.kind === 'no_chat') return t('prompts.outbox.noChat', { agency }, locale);
  const deferred = translate(`prompts.kind.${notice.deferred}` as MessageKey, undefined, locale);
  return t('prompts.notice.budget', { agency, cycle: notice.cycle, deferred }, locale);
}

/** The one warning about a year the holiday data does not cover. */
export function renderCalendarNotice(input: { year: number; locale?: Locale | undefined }): string {
  return t('cycleJobs.notice.calendar', { year: input.year }, input.locale);
}

/** The lead agency's flag: the articles it leads whose participants have been silent for two cycles. */
export function renderSilentParticipantsCard(input: {
  lead: string;
  articles: ReadonlyArray<{ articleNo: number; articleTitle: string; agencies: readonly string[] }>;
  locale?: Locale | undefined;
}): Card {
  const { locale } = input;
  const lines = listed(
    input.articles,
    (article) =>
      t(
        'silent.line',
        {
          article: article.articleNo,
          title: article.articleTitle,
          agencies: article.agencies.join(t('silent.separator', undefined, locale)),
        },
        locale,
      ),
    locale,
  );
  return card({
    title: t('silent.title', { agency: input.lead }, locale),
    template: 'yellow',
    paragraphs: [t('silent.body', { count: input.articles.length }, locale), lines],
  });
}
