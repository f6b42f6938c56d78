/**
 * The composition root: the only module that knows every concrete adapter.
 * It wires the store, the chat adapter, the bot and (in the sandbox) the Lark emulator, and
 * returns { start, stop }. Nothing is opened before start().
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cardActions } from './bot/actions/index.js';
import { type Bot, createBot } from './bot/bot.js';
import { createCommands } from './bot/commands/index.js';
import { leaderInstructions } from './bot/instructions.js';
import type { InboundLog } from './bot/ports.js';
import { threadReplies } from './bot/replies.js';
import {
  createLarkChat,
  createWebhookHandler,
  LarkApiError,
  type LarkChat,
  type LarkChatOptions,
  type LongConnection,
  startLongConnection,
} from './chat/index.js';
import { loadAgencyRegistryFile } from './config/agencies.js';
import type { Config } from './config/index.js';
import { loadScheduleSettings } from './config/schedule.js';
import { loadScoringRules } from './config/scoring.js';
import { type Clock, systemClock } from './core/clock.js';
import { createWorkingCalendar } from './core/cycles/china-calendar.js';
import { createAgencyRegistry } from './core/policy/registry.js';
import {
  createOutboxDispatcher,
  type DrainResult,
  type OutboxDispatcher,
} from './delivery/outbox-dispatcher.js';
import type { LarkEmulator, LarkEmulatorOptions } from './emulator/index.js';
import type { Logger } from './logger.js';
import { type Sandbox, startSandbox } from './sandbox.js';
import { type CronScheduler, createCronScheduler } from './scheduler/cron.js';
import type { JobRunOutcome } from './scheduler/jobs.js';
import { closeDatabase, type DubanDatabase, openDatabase } from './store/database.js';
import { createBindChat } from './usecases/bind-chat.js';
import { createChatDirectory } from './usecases/chat-directory.js';
import { createChatImport } from './usecases/chat-import.js';
import { createCoordination } from './usecases/coordination.js';
import { createCycleJobs } from './usecases/cycle-jobs.js';
import { createDigestPreview } from './usecases/digest.js';
import { createExports } from './usecases/export.js';
import { createHistory } from './usecases/history.js';
import { createInstructions } from './usecases/instructions.js';
import { createMembership } from './usecases/membership.js';
import { createFailureNotifier } from './usecases/prompt-cycle.js';
import { createReplyUseCases } from './usecases/read-replies.js';
import { createProgressUseCases } from './usecases/report-progress.js';
import { createRepositories } from './usecases/repositories.js';
import { createReview } from './usecases/review.js';
import { createScores, digestScoresFrom } from './usecases/scores.js';
import { importDefaultDecisionIfEmpty, prepareLedger } from './usecases/start-up.js';

export interface AppOptions {
  config: Config;
  logger: Logger;
  clock?: Clock;
  /** Test hooks for the sandbox's emulator (rate limits, retry schedule). */
  emulator?: Partial<LarkEmulatorOptions>;
  /**
   * False keeps the prompt schedule off (tests that drive jobs themselves). 'manual' builds the jobs
   * without timers and hands them back as `StartedApp.jobs`, for a simulation that moves a virtual clock
   * and asks for the runs due at each step. Default true.
   */
  schedule?: boolean | 'manual';
  /**
   * Test hook for the Lark adapter's client-side limits and retries: a simulation that fast-forwards a
   * year cannot wait Lark's real seconds (the virtual clock jumps hours between steps).
   */
  chat?: Pick<LarkChatOptions, 'limits' | 'retry'>;
}

/** The scheduled jobs and the outbox, driven by the caller (schedule: 'manual'). */
export interface ManualJobs {
  /** The runs due at clock.now(), as the per-minute timer would ask. */
  runDue(): Promise<JobRunOutcome[]>;
  /** Sends every outbox row due at clock.now(). */
  drainOutbox(): Promise<DrainResult>;
}

export interface StartedApp {
  /** Lines for the person who ran `npm start`. */
  banner: string[];
  db: DubanDatabase;
  bot: Bot;
  chat: LarkChat;
  /** Where Lark should push events, when the webhook transport is in use. */
  webhookUrl?: string;
  /** Sandbox only. */
  emulator?: LarkEmulator;
  pageUrl?: string;
  /** Only with schedule: 'manual'. */
  jobs?: ManualJobs;
}

export interface App {
  start(): Promise<StartedApp>;
  stop(): Promise<void>;
  /**
   * For the simulation's hard restarts: stops as a killed process would, at once and without waiting
   * for anything. Connections are dropped unanswered (Lark retries them), timers stop, the database
   * handle closes under whatever is running; nothing is drained or finished.
   */
  halt(): void;
}

export function createApp(options: AppOptions): App {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  let db: DubanDatabase | undefined;
  let chat: LarkChat | undefined;
  let bot: Bot | undefined;
  let webhookServer: Server | undefined;
  let longConnection: LongConnection | undefined;
  let sandbox: Sandbox | undefined;
  let dispatcher: OutboxDispatcher | undefined;
  let scheduler: CronScheduler | undefined;

  const listen = (server: Server, port: number, host: string) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
    });

  return {
    async start() {
      // Both config files are read first, so a mistake in either stops start-up before anything opens.
      const registry = createAgencyRegistry(loadAgencyRegistryFile(config.agenciesFile));
      const scheduleSettings = loadScheduleSettings(config.scheduleFile);
      const scoringRules = loadScoringRules(config.scoringFile);
      db = openDatabase({ path: config.dbPath });
      const repos = createRepositories(db);
      const scores = createScores({ repos, rules: scoringRules });
      prepareLedger({
        db,
        repos,
        registry,
        logger,
        now: clock.now(),
        people: config.people,
      });
      const inboundLog: InboundLog = { firstSeen: (input) => repos.inbound.recordInboundEvent(input) };

      let emulator: LarkEmulator | undefined;
      let lark = config.lark;
      let pageUrl: string | undefined;
      if (config.mode === 'sandbox') {
        sandbox = await startSandbox({
          config,
          logger: logger.child({ component: 'sandbox' }),
          agencies: repos.agencies,
          now: clock.now(),
          ...(options.emulator ? { emulatorOptions: options.emulator } : {}),
        });
        emulator = sandbox.emulator;
        lark = sandbox.lark;
        pageUrl = sandbox.pageUrl;
      }
      if (!lark) throw new Error('no Lark settings: configuration should have refused this');

      chat = createLarkChat({
        appId: lark.appId,
        appSecret: lark.appSecret,
        domain: lark.domain,
        logger: logger.child({ component: 'chat' }),
        ...options.chat,
      });
      const commands = createCommands();
      const larkChat = chat;
      const membership = createMembership({
        people: repos.people,
        agencies: repos.agencies,
        chat: larkChat,
        clock,
        logger: logger.child({ component: 'membership' }),
      });
      const directory = createChatDirectory({ people: repos.people, agencies: repos.agencies });
      const review = createReview({
        review: repos.review,
        outbox: repos.outbox,
        chats: repos.agencies,
        people: repos.people,
        locale: config.locale,
      });
      const progress = createProgressUseCases({
        progress: repos.progress,
        ladder: repos.scheduler,
        card: { tasks: repos.tasks, agencies: repos.agencies, people: repos.people },
        onReportedDone: review.reportedDone,
        locale: config.locale,
      });
      bot = createBot({
        deps: {
          chat,
          clock,
          logger: logger.child({ component: 'bot' }),
          directory,
          usecases: {
            bindChat: createBindChat({
              store: repos.agencies,
              chat: larkChat,
              registry,
              locale: config.locale,
              members: membership,
              logger: logger.child({ component: 'bind' }),
            }),
            progress,
            membership,
            replies: createReplyUseCases({
              tasks: repos.tasks,
              outbox: repos.outbox,
              evidence: repos.evidence,
              directory,
              progress,
              registry,
              locale: config.locale,
            }),
            review,
            history: createHistory({ repos, registry }),
            digest: createDigestPreview({
              repos,
              scores: digestScoresFrom(scores),
              calendar: createWorkingCalendar({
                extraHolidays: scheduleSettings.calendar.extraHolidays,
                extraWorkdays: scheduleSettings.calendar.extraWorkdays,
              }),
              locale: config.locale,
            }),
            scores,
            exports: createExports({ repos, rules: scoringRules, locale: config.locale, chat: larkChat }),
            instructions: createInstructions({
              repos,
              registry,
              chat: larkChat,
              logger: logger.child({ component: 'instructions' }),
              locale: config.locale,
            }),
            chatImport: createChatImport({ db, registry, chat: larkChat }),
            coordination: createCoordination({
              db,
              repos,
              registry,
              settings: scheduleSettings,
              calendar: createWorkingCalendar({
                extraHolidays: scheduleSettings.calendar.extraHolidays,
                extraWorkdays: scheduleSettings.calendar.extraWorkdays,
              }),
              // Made below, after the bot: /remind writes the outbox and the running dispatcher sends.
              dispatcher: () => dispatcher,
              members: membership,
              logger: logger.child({ component: 'coordination' }),
              locale: config.locale,
            }),
          },
        },
        inboundLog,
        commands,
        cardActions,
        onText: [leaderInstructions, threadReplies],
      });

      let webhookUrl: string | undefined;
      const botOpenId = emulator?.botOpenId ?? (await identifyBot(chat, logger));
      if (config.mode === 'sandbox' || lark.transport === 'webhook') {
        const handler = createWebhookHandler({
          encryptKey: lark.encryptKey,
          verificationToken: lark.verificationToken ?? '',
          onEvent: bot.handle,
          logger: logger.child({ component: 'webhook' }),
          path: config.webhook.path,
          botOpenId,
        });
        webhookServer = createServer(handler);
        const host = config.mode === 'sandbox' ? '127.0.0.1' : config.webhook.host;
        const port = await listen(webhookServer, config.mode === 'sandbox' ? 0 : config.webhook.port, host);
        webhookUrl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}${config.webhook.path}`;
        emulator?.setWebhookUrl(webhookUrl);
        logger.info({ port, path: config.webhook.path }, 'webhook listening');
      } else {
        longConnection = startLongConnection({
          appId: lark.appId,
          appSecret: lark.appSecret,
          domain: lark.domain,
          onEvent: bot.handle,
          logger: logger.child({ component: 'ws' }),
          botOpenId,
        });
      }

      if (sandbox) {
        sandbox.seed();
        importDefaultDecisionIfEmpty({
          db,
          repos,
          registry,
          logger,
          now: clock.now(),
          sourceName: config.decisionFile.split('/').pop() ?? 'decision',
          readText: () => readFileSync(config.decisionFile, 'utf8'),
        });
      }
      // Who is an official, coordinator or leader is read from the bound groups themselves (in the
      // sandbox too, after seeding made its groups); a group that cannot be read does not stop start-up.
      const members = await membership.syncAllBoundChats();
      logger.info(
        { groups: members.synced.length, failed: members.failed.length },
        'bound groups’ members read',
      );

      dispatcher = createOutboxDispatcher({
        outbox: repos.outbox,
        chat,
        clock,
        logger: logger.child({ component: 'outbox' }),
        onFailed: createFailureNotifier({ db, clock, logger, locale: config.locale }),
      });
      dispatcher.start();
      let jobs: ManualJobs | undefined;
      if (options.schedule !== false) {
        const cycle = createCycleJobs({
          db,
          dispatcher,
          settings: scheduleSettings,
          logger: logger.child({ component: 'cycles' }),
          clock,
          locale: config.locale,
          digestScores: digestScoresFrom(scores),
        });
        scheduler = createCronScheduler({
          jobs: cycle.jobs,
          runLog: cycle.runLog,
          calendar: cycle.calendar,
          quietHours: cycle.quietHours,
          clock,
          logger: logger.child({ component: 'scheduler' }),
        });
        const running = scheduler;
        const sender = dispatcher;
        if (options.schedule === 'manual') {
          jobs = { runDue: () => running.runDue(), drainOutbox: () => sender.drain() };
        } else {
          // Catch-up of a missed run can take a while (a whole fan-out); start-up does not wait for it.
          void running
            .start()
            .catch((error: unknown) => logger.error({ err: error }, 'scheduler start failed'));
        }
      }

      const imported = repos.documents.listDocuments();
      const banner =
        config.mode === 'sandbox'
          ? [
              '',
              `  督办 Duban sandbox is running: ${pageUrl}`,
              `  Open it in a browser, pick a group on the left, and post "/help" as a user.`,
              `  Database: ${config.dbPath} (${imported.length} decision(s), ${repos.tasks.listTasks().length} tasks)`,
              '  Ctrl-C stops the bot and the emulator.',
              '',
            ]
          : [`  督办 Duban is connected to ${lark.domain} (${lark.transport}).`];
      return {
        banner,
        db,
        bot,
        chat,
        ...(emulator ? { emulator } : {}),
        ...(pageUrl ? { pageUrl } : {}),
        ...(webhookUrl ? { webhookUrl } : {}),
        ...(jobs ? { jobs } : {}),
      };
    },

    halt() {
      webhookServer?.close();
      webhookServer?.closeAllConnections();
      void longConnection?.stop().catch(() => undefined);
      void scheduler?.stop().catch(() => undefined);
      void dispatcher?.stop().catch(() => undefined);
      if (db) closeDatabase(db);
    },

    async stop() {
      await longConnection
        ?.stop()
        .catch((error: unknown) => logger.warn({ err: error }, 'long connection stop failed'));
      if (webhookServer) {
        const server = webhookServer;
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      await scheduler?.stop();
      await dispatcher?.stop();
      scheduler = undefined;
      dispatcher = undefined;
      await bot?.idle();
      await chat?.close();
      await sandbox?.stop();
      sandbox = undefined;
      if (db) closeDatabase(db);
      db = undefined;
    },
  };
}

/**
 * Asks Lark who the bot is: it proves the credentials at start-up (a wrong secret stops here with a
 * hint, not at the first reminder) and gives the open_id that recognises the bot's own @-mention.
 */
async function identifyBot(chat: LarkChat, logger: Logger): Promise<string | undefined> {
  try {
    return (await chat.botInfo()).openId;
  } catch (error) {
    if (error instanceof LarkApiError && error.duringTokenFetch) throw error;
    logger.warn({ err: error }, 'could not read the bot identity; @-mentions are recognised by type only');
    return undefined;
  }
}
