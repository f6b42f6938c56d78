/**
 * The bot with every real use case over one database, as src/app.ts wires it, for bot tests that talk to
 * it the way Lark would (events in, the fake chat's record out).
 */
import { cardActions } from '../../src/bot/actions/index.js';
import { createBot } from '../../src/bot/bot.js';
import { createCommands } from '../../src/bot/commands/index.js';
import type { Command } from '../../src/bot/commands/types.js';
import { leaderInstructions } from '../../src/bot/instructions.js';
import type { InboundLog } from '../../src/bot/ports.js';
import { threadReplies } from '../../src/bot/replies.js';
import { createFixedClock } from '../../src/core/clock.js';
import { createWorkingCalendar } from '../../src/core/cycles/china-calendar.js';
import type { AgencyRegistry } from '../../src/core/policy/registry.js';
import type { Locale } from '../../src/core/render/catalog.js';
import { defaultScoringRules, type ScoringRules } from '../../src/core/scoring/rules.js';
import { type Logger, silentLogger } from '../../src/logger.js';
import type { DubanDatabase } from '../../src/store/database.js';
import { createBindChat } from '../../src/usecases/bind-chat.js';
import { createChatDirectory } from '../../src/usecases/chat-directory.js';
import { createChatImport } from '../../src/usecases/chat-import.js';
import { createCoordination } from '../../src/usecases/coordination.js';
import { createDigestPreview } from '../../src/usecases/digest.js';
import { createExports } from '../../src/usecases/export.js';
import { createHistory } from '../../src/usecases/history.js';
import { createInstructions } from '../../src/usecases/instructions.js';
import { createMembership } from '../../src/usecases/membership.js';
import { createReplyUseCases } from '../../src/usecases/read-replies.js';
import { createProgressUseCases } from '../../src/usecases/report-progress.js';
import type { Repositories } from '../../src/usecases/repositories.js';
import { createReview } from '../../src/usecases/review.js';
import { createScoreCard, createScores } from '../../src/usecases/scores.js';
import type { createFakeChat } from './fake-chat.js';

export function createRealBot(input: {
  db: DubanDatabase;
  repos: Repositories;
  registry: AgencyRegistry;
  chat: ReturnType<typeof createFakeChat>;
  now: Date;
  extraCommands?: Command[];
  /** Article 34's rules; the defaults (config/scoring.json as shipped) when omitted. */
  scoringRules?: ScoringRules;
  /** The configured language (DUBAN_LOCALE) for the use cases that take it; zh-CN when omitted. */
  locale?: Locale;
  /** A logger a test reads (the fuzz tests count error lines); silent when omitted. */
  logger?: Logger;
  /** Wraps the real inbound log (the fuzz tests note the database's change count after it). */
  inboundLog?: (real: InboundLog) => InboundLog;
}) {
  const { repos, registry, chat } = input;
  const logger = input.logger ?? silentLogger;
  const realInboundLog: InboundLog = repos.inbound.inbox;
  const clock = createFixedClock(input.now.toISOString());
  const commands = [...createCommands(), ...(input.extraCommands ?? [])];
  const directory = createChatDirectory({ people: repos.people, agencies: repos.agencies });
  const review = createReview({
    review: repos.review,
    outbox: repos.outbox,
    chats: repos.agencies,
    people: repos.people,
  });
  const progress = createProgressUseCases({
    progress: repos.progress,
    ladder: repos.scheduler,
    card: { tasks: repos.tasks, agencies: repos.agencies, people: repos.people },
    onReportedDone: review.reportedDone,
  });
  const membership = createMembership({
    people: repos.people,
    agencies: repos.agencies,
    chat,
    clock,
    logger,
  });
  return createBot({
    deps: {
      chat,
      clock,
      logger,
      directory,
      usecases: {
        bindChat: createBindChat({ store: repos.agencies, chat, registry }),
        progress,
        replies: createReplyUseCases({
          tasks: repos.tasks,
          outbox: repos.outbox,
          evidence: repos.evidence,
          directory,
          progress,
          registry,
        }),
        review,
        membership,
        history: createHistory({ repos, registry }),
        digest: createDigestPreview({ repos, calendar: createWorkingCalendar() }),
        scoreCard: createScoreCard({
          scores: createScores({ repos, rules: input.scoringRules ?? defaultScoringRules() }),
          locale: input.locale,
        }),
        exports: createExports({ repos, rules: input.scoringRules ?? defaultScoringRules(), chat }),
        instructions: createInstructions({ repos, registry, chat, logger }),
        chatImport: createChatImport({ db: input.db, registry, chat }),
        coordination: createCoordination({
          db: input.db,
          repos,
          registry,
          settings: { weeklyBudget: 3 },
          calendar: createWorkingCalendar(),
          members: membership,
        }),
      },
    },
    inboundLog: input.inboundLog === undefined ? realInboundLog : input.inboundLog(realInboundLog),
    commands,
    cardActions,
    onText: [leaderInstructions, threadReplies],
  });
}
