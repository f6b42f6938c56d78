/**
 * Officials answering in words: a free-text reply in a prompt card's thread (or one that @-mentions the
 * bot in the agency's group) is read, echoed back for confirmation and recorded only on [确认]; a
 * `/report` command is recorded directly (typing it is the confirmation); a file posted in the thread is
 * kept as evidence. Only the agency's officials and coordinators answer, and only in the agency's group.
 * Which task a reply is about: the article it names, else the agency's only open task, else ask.
 */
import { cycleOf } from '../core/cycles/cycle.js';
import type { AgencyRegistry } from '../core/policy/registry.js';
import type { TaskReport } from '../core/progress/report-form.js';
import type { CardJson } from '../core/render/card-json.js';
import { type Locale, t } from '../core/render/catalog.js';
import { echoLine, renderEchoCard, renderUnsureCard } from '../core/render/reply-cards.js';
import { type ReplyStatus, readReply } from '../core/replies/read-reply.js';
import { reportFromReading, reportFromStatus } from '../core/replies/to-report.js';
import {
  isClosedTask,
  isOpenTask,
  OUTBOX_KIND,
  type OutboxKind,
  type PersonRole,
} from '../core/vocabulary.js';
import type { InboundAttachment } from '../ports/chat.js';
import type { EvidenceInput } from '../store/evidence-repository.js';
import type { ChatBinding } from './bind-chat.js';
import type { ProgressUseCases, ReportOutcome } from './report-progress.js';

/** The messages a prompt is made of: a reply under any of them answers the prompt's agency. */
const PROMPT_KINDS: readonly OutboxKind[] = [
  OUTBOX_KIND.prompt,
  OUTBOX_KIND.promptPage,
  OUTBOX_KIND.followUp,
];

export interface ReplyTask {
  id: number;
  agencyId: number | null;
  articleNo: number;
  articleTitle: string;
  status: string;
  percent: number;
  removedAt: string | null;
}

export interface ReplyDeps {
  tasks: { listTasks(filter: { agencyId: number }): ReadonlyArray<ReplyTask> };
  outbox: {
    findSentMessage(input: {
      messageId: string;
      kinds: readonly OutboxKind[];
    }): { agencyId: number | null } | undefined;
  };
  evidence: { attachEvidence(input: EvidenceInput & { channel: string }): boolean };
  directory: {
    bindingOf(chatId: string): ChatBinding | null;
    rolesOf(openId: string): PersonRole[];
    agenciesOf(openId: string): number[];
  };
  progress: Pick<ProgressUseCases, 'recordReport'>;
  registry: AgencyRegistry;
  locale?: Locale | undefined;
}

/** A task as a reply lists it: `第3条 加强组织领导`. */
export interface TaskChoice {
  articleNo: number;
  articleTitle: string;
}

/** Why a message was not taken as an answer, or which answer it got. */
export type Refusal =
  | { kind: 'not_agency_chat' }
  | { kind: 'forbidden' }
  | { kind: 'nothing_open' }
  | { kind: 'which_task'; tasks: TaskChoice[] }
  | { kind: 'no_such_article'; article: number; tasks: TaskChoice[] };

export type ReadTextOutcome =
  /** Not a reply to the bot: the next middleware decides. */
  | { kind: 'ignored' }
  | { kind: 'unreadable' }
  | { kind: 'echo'; taskId: number; card: CardJson }
  | { kind: 'unsure'; taskId: number; card: CardJson }
  | Refusal;

export type CommandOutcome =
  | Exclude<ReportOutcome, { kind: 'recorded' }>
  | (Extract<ReportOutcome, { kind: 'recorded' }> & { report: TaskReport })
  | Refusal;

export type EvidenceOutcome =
  | { kind: 'ignored' }
  | { kind: 'attached'; articleNo: number; name: string }
  | { kind: 'already_attached'; articleNo: number; name: string }
  | Refusal;

export interface ThreadMessage {
  chatId: string;
  messageId: string;
  senderOpenId: string;
  /** The thread the message is in (root_id, parent_id), when it is in one. */
  threadIds: readonly string[];
  mentionsBot: boolean;
  now: Date;
}

export function createReplyUseCases(deps: ReplyDeps) {
  const { locale } = deps;

  /** The agency whose group this is, and whether the message answers it (its prompt's thread, or an @). */
  const agencyOfChat = (chatId: string): { id: number; name: string } | undefined => {
    const binding = deps.directory.bindingOf(chatId);
    return binding?.kind === 'agency' ? { id: binding.agencyId, name: binding.agency } : undefined;
  };

  const inPromptThread = (agencyId: number, threadIds: readonly string[]): boolean =>
    threadIds.some(
      (messageId) => deps.outbox.findSentMessage({ messageId, kinds: PROMPT_KINDS })?.agencyId === agencyId,
    );

  const mayAnswer = (openId: string, agencyId: number): boolean =>
    deps.directory.agenciesOf(openId).includes(agencyId) ||
    deps.directory.rolesOf(openId).includes('coordinator');

  const tasksOf = (agencyId: number) =>
    deps.tasks.listTasks({ agencyId }).filter((task) => !isClosedTask(task));

  const choices = (tasks: readonly ReplyTask[]): TaskChoice[] =>
    tasks.map((task) => ({ articleNo: task.articleNo, articleTitle: task.articleTitle }));

  /** The task a reply means: the article it names (open or reported done), else the only open task. */
  const pickTask = (agencyId: number, article: number | null): ReplyTask | Refusal => {
    const tasks = tasksOf(agencyId);
    if (article !== null) {
      const named = tasks.find((task) => task.articleNo === article);
      return named ?? { kind: 'no_such_article', article, tasks: choices(tasks.filter(isOpenTask)) };
    }
    const open = tasks.filter(isOpenTask);
    if (open.length === 1 && open[0] !== undefined) return open[0];
    if (open.length === 0) return { kind: 'nothing_open' };
    return { kind: 'which_task', tasks: choices(open) };
  };

  return {
    /** A text message in a group: read it if it answers the agency's prompt, and echo what was read. */
    readText(input: ThreadMessage & { text: string }): ReadTextOutcome {
      const agency = agencyOfChat(input.chatId);
      if (agency === undefined) return { kind: 'ignored' };
      if (!input.mentionsBot && !inPromptThread(agency.id, input.threadIds)) return { kind: 'ignored' };
      if (input.text.trim() === '') return { kind: 'ignored' };
      if (!mayAnswer(input.senderOpenId, agency.id)) return { kind: 'forbidden' };
      const reading = readReply({
        text: input.text,
        now: input.now,
        registry: deps.registry,
        agency: agency.name,
      });
      if (reading.status === null && reading.percent === null && !reading.noChange)
        return { kind: 'unreadable' };
      const task = pickTask(agency.id, reading.article);
      if (!('id' in task)) return task;
      const report = reportFromReading({ reading, text: input.text, current: task });
      const line = echoLine({
        report,
        eta: reading.eta,
        agencies: reading.agencies,
        blockers: reading.blockers,
        locale,
      });
      const editValue = {
        action: 'open_report',
        agency_id: agency.id,
        task_id: task.id,
        cycle: cycleOf(input.now),
        issued: input.now.getTime(),
      };
      if (reading.confidence === 'low' || report === null) {
        const reasons = (reading.doubts.length > 0 ? reading.doubts : (['no_status'] as const))
          .map((doubt) => t(`replies.doubt.${doubt}`, undefined, locale))
          .join(t('replies.listSeparator', undefined, locale));
        return {
          kind: 'unsure',
          taskId: task.id,
          card: renderUnsureCard({ task, line, reasons, editValue, locale }),
        };
      }
      const confirmValue = {
        action: 'reply_confirm',
        task_id: task.id,
        status: report.status,
        percent: report.percent,
        blocked: report.blocked,
        note: report.note,
        source: input.messageId,
      };
      return {
        kind: 'echo',
        taskId: task.id,
        card: renderEchoCard({ task, line, confirmValue, editValue, locale }),
      };
    },

    /** [确认] on the echo card: record the reading (the router has checked the task is this group's). */
    confirmReading(input: {
      taskId: number;
      report: TaskReport;
      actor: string;
      messageId: string;
      now: Date;
    }): ReportOutcome {
      return deps.progress.recordReport({
        taskId: input.taskId,
        report: input.report,
        actor: input.actor,
        channel: 'thread',
        now: input.now,
        messageId: input.messageId,
      });
    },

    /** `/report ARTICLE STATUS [PERCENT] [note]`: recorded at once, for the article in this agency's group. */
    reportCommand(input: {
      chatId: string;
      messageId: string;
      senderOpenId: string;
      article: number;
      status: ReplyStatus;
      percent: number | null;
      note: string;
      now: Date;
    }): CommandOutcome {
      const agency = agencyOfChat(input.chatId);
      if (agency === undefined) return { kind: 'not_agency_chat' };
      if (!mayAnswer(input.senderOpenId, agency.id)) return { kind: 'forbidden' };
      const task = pickTask(agency.id, input.article);
      if (!('id' in task)) return task;
      const report = reportFromStatus({
        status: input.status,
        percent: input.percent,
        note: input.note,
        current: task,
      });
      const outcome = deps.progress.recordReport({
        taskId: task.id,
        report,
        actor: input.senderOpenId,
        channel: 'command',
        now: input.now,
        messageId: input.messageId,
      });
      return outcome.kind === 'recorded' ? { ...outcome, report } : outcome;
    },

    /**
     * A file or image posted in the prompt's thread: kept as evidence of the task its name points at
     * (第3条…), else of the agency's only open task; never demanded, acknowledged in one line.
     */
    attachFile(input: ThreadMessage & { attachment: InboundAttachment }): EvidenceOutcome {
      const agency = agencyOfChat(input.chatId);
      if (agency === undefined) return { kind: 'ignored' };
      if (!inPromptThread(agency.id, input.threadIds)) return { kind: 'ignored' };
      if (!mayAnswer(input.senderOpenId, agency.id)) return { kind: 'forbidden' };
      const named =
        input.attachment.name === ''
          ? null
          : readReply({ text: input.attachment.name, now: input.now, registry: deps.registry }).article;
      const task = pickTask(agency.id, named);
      if (!('id' in task)) return task;
      const name = input.attachment.name || t('chatReplies.evidence.image', undefined, locale);
      const attached = deps.evidence.attachEvidence({
        taskId: task.id,
        kind: input.attachment.kind,
        fileKey: input.attachment.key,
        fileName: input.attachment.name,
        messageId: input.messageId,
        actor: input.senderOpenId,
        at: input.now.toISOString(),
        channel: 'thread',
      });
      return { kind: attached ? 'attached' : 'already_attached', articleNo: task.articleNo, name };
    },
  };
}

export type ReplyUseCases = ReturnType<typeof createReplyUseCases>;
