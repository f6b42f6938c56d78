/**
 * Leaders' instructions (批示). A leader's reply in the weekly digest's thread (or one that @-mentions the
 * bot in the leaders' group) is read for the agencies, article and due date it names and recorded; the
 * coordinators get a card to confirm or reject it. On 确认立项 it becomes tracked tasks — under the named
 * article, else under a new article of the year's "领导批示" document — the first agency named leading,
 * the others taking part, so the prompt cycle asks about them like any other task. The leader's thread
 * is told either way.
 */
import { shanghaiDate } from '../core/cycles/time.js';
import type { AgencyRegistry } from '../core/policy/registry.js';
import type { CardJson } from '../core/render/card-json.js';
import { type Locale, t } from '../core/render/catalog.js';
import { INSTRUCTION_REASON_MAX, renderInstructionCard } from '../core/render/instruction-cards.js';
import { renderSettledCard } from '../core/render/review-cards.js';
import { readReply } from '../core/replies/read-reply.js';
import { OUTBOX_KIND } from '../core/vocabulary.js';
import type { Logger } from '../logger.js';
import type { ChatPort } from '../ports/chat.js';
import type { AuditChannel, AuditSource } from '../store/audit-repository.js';
import type { Instruction } from '../store/instruction-repository.js';
import type { Repositories } from './repositories.js';

/** A title short enough for a card line and the ledger's article list. */
const TITLE_MAX = 40;

export interface InstructionDeps {
  repos: Pick<Repositories, 'instructions' | 'tasks' | 'agencies' | 'outbox' | 'people'>;
  registry: AgencyRegistry;
  chat: Pick<ChatPort, 'reply'>;
  logger: Logger;
  locale?: Locale | undefined;
}

export interface LeaderMessage {
  chatId: string;
  messageId: string;
  senderOpenId: string;
  /** The thread the message is in (root_id, parent_id), when it is in one. */
  threadIds: readonly string[];
  mentionsBot: boolean;
  text: string;
  now: Date;
  source?: AuditSource | undefined;
}

export type LeaderReplyOutcome =
  /** Not an answer to the digest: the next middleware decides. */
  | { kind: 'ignored' }
  | { kind: 'forbidden' }
  | { kind: 'which_agency' }
  | { kind: 'recorded' | 'already_recorded'; instructionId: number; agencies: string[] };

export type InstructionDecisionOutcome =
  | { kind: 'confirmed'; card: CardJson; taskIds: number[] }
  | { kind: 'rejected'; card: CardJson }
  | { kind: 'not_found' }
  | { kind: 'forbidden' }
  | { kind: 'needs_reason' }
  | { kind: 'already_decided'; card: CardJson };

export function createInstructions(deps: InstructionDeps) {
  const { repos, locale } = deps;
  const log = deps.logger.child({ component: 'instructions' });
  const nameOf = (openId: string) => repos.people.nameOf(openId) ?? openId;
  const yearOf = (now: Date) => Number(shanghaiDate(now).slice(0, 4));
  const documentTitle = (year: number) => t('instruction.documentTitle', { year }, locale);

  const inDigestThread = (threadIds: readonly string[]) =>
    threadIds.some(
      (messageId) => repos.outbox.findSentMessage({ messageId, kinds: [OUTBOX_KIND.digest] }) !== undefined,
    );

  /** The named agencies the ledger knows, as (id, canonical name), in the order named. */
  const agenciesOf = (instruction: Instruction) =>
    instruction.agencies.flatMap((name) => {
      const agency = repos.agencies.findAgency(name);
      return agency === null || agency.kind === 'collective' ? [] : [{ id: agency.id, name: agency.name }];
    });

  const settledTitle = (instruction: Instruction) =>
    t('instruction.card.title', { leader: nameOf(instruction.leaderOpenId) }, locale);

  const settledCard = (instruction: Instruction): CardJson => {
    if (instruction.status === 'confirmed') {
      const article = repos.tasks.listTasks().find((task) => task.articleId === instruction.articleId);
      return renderSettledCard({
        title: settledTitle(instruction),
        text: t(
          'instruction.confirmed',
          {
            by: nameOf(instruction.decidedBy ?? ''),
            article: article?.articleNo ?? instruction.articleNo ?? 0,
            document:
              instruction.articleNo === null ? documentTitle(yearOf(new Date(instruction.createdAt))) : '',
            agencies: instruction.agencies.join('、'),
          },
          locale,
        ),
        ok: true,
      });
    }
    return renderSettledCard({
      title: settledTitle(instruction),
      text: t(
        'instruction.rejected',
        { by: nameOf(instruction.decidedBy ?? ''), reason: instruction.decisionNote ?? '' },
        locale,
      ),
      ok: false,
    });
  };

  /** Tells the leader's thread what became of the instruction; a failed send is logged, never thrown. */
  const tellLeader = async (instruction: Instruction, text: string) => {
    try {
      await deps.chat.reply({
        messageId: instruction.messageId,
        chatId: instruction.chatId,
        message: { kind: 'text', text },
        inThread: true,
        idempotencyKey: `instruction-decided:${instruction.id}`,
      });
    } catch (error) {
      log.warn({ err: error, instructionId: instruction.id }, 'could not tell the leader the decision');
    }
  };

  return {
    /**
     * A text in the leaders' group: recorded as an instruction when it answers the digest (in its thread,
     * or @-mentioning the bot), comes from a leader and names an agency; the coordinators' card goes out
     * through the outbox in the same transaction.
     */
    readLeaderReply(input: LeaderMessage): LeaderReplyOutcome {
      if (repos.agencies.chatOfSpecial('leaders') !== input.chatId) return { kind: 'ignored' };
      if (input.text.trim() === '') return { kind: 'ignored' };
      if (!input.mentionsBot && !inDigestThread(input.threadIds)) return { kind: 'ignored' };
      if (!repos.people.rolesOf(input.senderOpenId).includes('leader')) return { kind: 'forbidden' };
      const reading = readReply({ text: input.text, now: input.now, registry: deps.registry });
      const text = input.text.trim();
      const agencies = reading.agencies.filter((name) => {
        const agency = repos.agencies.findAgency(name);
        return agency !== null && agency.kind !== 'collective';
      });
      if (agencies.length === 0) return { kind: 'which_agency' };
      const article = reading.article === null ? null : repos.tasks.findArticle(reading.article);
      return repos.instructions.transaction((): LeaderReplyOutcome => {
        const { instruction, created } = repos.instructions.recordInstruction({
          text,
          chatId: input.chatId,
          agencies,
          articleNo: article?.ordinal ?? null,
          dueDate: reading.eta,
          actor: input.senderOpenId,
          actorName: repos.people.nameOf(input.senderOpenId),
          channel: 'thread',
          at: input.now.toISOString(),
          messageId: input.messageId,
          eventId: input.source?.eventId,
        });
        if (!created) {
          return { kind: 'already_recorded', instructionId: instruction.id, agencies: instruction.agencies };
        }
        const coordinators = repos.agencies.chatOfSpecial('coordinators');
        if (coordinators === null)
          log.warn({ instructionId: instruction.id }, "no coordinators' group is bound");
        else {
          repos.outbox.enqueue({
            items: [
              {
                key: `instruction:${instruction.id}`,
                kind: OUTBOX_KIND.instruction,
                chatId: coordinators,
                message: {
                  kind: 'card',
                  card: renderInstructionCard({
                    instructionId: instruction.id,
                    leader: nameOf(input.senderOpenId),
                    text,
                    agencies,
                    article: article === null ? null : { no: article.ordinal, title: article.title },
                    document: documentTitle(yearOf(input.now)),
                    dueDate: reading.eta,
                    locale,
                  }),
                },
              },
            ],
            now: input.now,
          });
        }
        return { kind: 'recorded', instructionId: instruction.id, agencies };
      });
    },

    /**
     * A coordinator's 确认立项 or 驳回 (with a reason), once. Confirming creates a task per named agency
     * (the first leads) under the named article or a new article of the year's 领导批示, with the due date
     * read from the reply; the leader's thread is told either way.
     */
    async decide(input: {
      instructionId: number;
      confirm: boolean;
      reason?: string | undefined;
      actor: string;
      channel: AuditChannel;
      now: Date;
      source?: AuditSource | undefined;
    }): Promise<InstructionDecisionOutcome> {
      if (!repos.people.rolesOf(input.actor).includes('coordinator')) return { kind: 'forbidden' };
      const reason = input.reason?.trim().slice(0, INSTRUCTION_REASON_MAX) ?? '';
      if (!input.confirm && reason === '') return { kind: 'needs_reason' };
      const at = input.now.toISOString();
      const ctx = {
        actor: input.actor,
        actorName: repos.people.nameOf(input.actor),
        channel: input.channel,
        at,
        messageId: input.source?.messageId,
        eventId: input.source?.eventId,
      };
      const outcome = repos.instructions.transaction(
        ():
          | {
              kind: 'decided';
              instruction: Instruction;
              taskIds: number[];
              articleNo: number;
              document: string;
            }
          | Exclude<InstructionDecisionOutcome, { kind: 'confirmed' | 'rejected' }> => {
          const instruction = repos.instructions.getInstruction(input.instructionId);
          if (instruction === null) return { kind: 'not_found' };
          if (instruction.status !== 'pending')
            return { kind: 'already_decided', card: settledCard(instruction) };
          if (!input.confirm) {
            repos.instructions.decideInstruction({
              id: instruction.id,
              status: 'rejected',
              note: reason,
              ...ctx,
            });
            return { kind: 'decided', instruction, taskIds: [], articleNo: 0, document: '' };
          }
          const named =
            instruction.articleNo === null ? null : repos.tasks.findArticle(instruction.articleNo);
          const year = yearOf(input.now);
          const title =
            instruction.text.length > TITLE_MAX
              ? `${instruction.text.slice(0, TITLE_MAX)}…`
              : instruction.text;
          const article =
            named === null
              ? {
                  ...repos.instructions.addInstructionArticle({
                    year,
                    documentTitle: documentTitle(year),
                    title,
                    body: instruction.text,
                    at,
                  }),
                  document: documentTitle(year),
                }
              : { articleId: named.id, ordinal: named.ordinal, document: '' };
          const taskIds = agenciesOf(instruction).map(
            (agency, index) =>
              repos.tasks.assignTask({
                articleId: article.articleId,
                agencyId: agency.id,
                agencyName: agency.name,
                role: index === 0 ? 'lead' : 'participant',
                ...ctx,
              }).taskId,
          );
          if (instruction.dueDate !== null)
            repos.tasks.setDueDate({ taskIds, dueDate: instruction.dueDate, ...ctx });
          repos.instructions.decideInstruction({
            id: instruction.id,
            status: 'confirmed',
            articleId: article.articleId,
            taskIds,
            ...ctx,
          });
          return {
            kind: 'decided',
            instruction,
            taskIds,
            articleNo: article.ordinal,
            document: article.document,
          };
        },
      );
      if (outcome.kind !== 'decided') return outcome;
      const decided = repos.instructions.getInstruction(outcome.instruction.id) ?? outcome.instruction;
      const agencies = decided.agencies.join('、');
      if (!input.confirm) {
        await tellLeader(decided, t('instruction.notice.rejected', { reason }, locale));
        return { kind: 'rejected', card: settledCard(decided) };
      }
      await tellLeader(
        decided,
        t(
          'instruction.notice.confirmed',
          { agencies, article: outcome.articleNo, document: outcome.document },
          locale,
        ),
      );
      const card = renderSettledCard({
        title: settledTitle(decided),
        text: t(
          'instruction.confirmed',
          { by: nameOf(input.actor), article: outcome.articleNo, document: outcome.document, agencies },
          locale,
        ),
        ok: true,
      });
      return { kind: 'confirmed', card, taskIds: outcome.taskIds };
    },
  };
}

export type Instructions = ReturnType<typeof createInstructions>;
