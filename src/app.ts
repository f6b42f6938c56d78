/**
 * The composition root: the only module that knows every concrete adapter.
 * It wires the store, the chat adapter, the bot and (in the sandbox) the Lark emulator, and
 * returns { start, stop }. Nothing is opened before start().
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
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
  createWebhookServer,
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
import { DubanError } from './core/errors.js';
import { createAgencyRegistry } from './core/policy/registry.js';
import {
  createOutboxDispatcher,
  type DrainResult,
  type OutboxDispatcher,
} from './delivery/outbox-dispatcher.js';
import type { LarkEmulator, LarkEmulatorOptions } from './emulator/index.js';
import { createHealth, type Health } from './health/health.js';
import { type Logger, withLogContext } from './logger.js';
import type { InboundHandler } from './ports/chat.js';
import { type Sandbox, sandboxChatIds, startSandbox } from './sandbox.js';
import { type CronScheduler, createCronScheduler } from './scheduler/cron.js';
import type { JobRunOutcome } from './scheduler/jobs.js';
import { closeDatabase, type DubanDatabase, openDatabase } from './store/database.js';
import { claimDatabaseMode, sandboxEncryptKey } from './store/database-mode.js';
import { pingDatabase } from './store/health.js';
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
import { createScoreCard, createScores, digestScoresFrom } from './usecases/scores.js';
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
  /**
   * The wall clock (ms) the webhook's replay window reads: Lark stamps requests with real time, not
   * `clock`. Default the sandbox emulator's clock, else Date.now; a simulation whose emulator stamps
   * virtual time passes the same function.
   */
  requestNow?: () => number;
  /** How long stop() lets work in flight (handlers, sends) finish before it closes anyway. Default 10 s. */
  stopGraceMs?: number;
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
  /** `GET /healthz` on its own server (long connection, sandbox), when one was started. */
  healthUrl?: string;
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
   * handle closes under whatever is running; nothing is drained or finished, and no retry of a send in
   * progress goes out afterwards.
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
  let healthServer: Server | undefined;
  let stopping = false;
  const stopGraceMs = options.stopGraceMs ?? 10_000;

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
      try {
        claimDatabase(db, config, registry.all(), clock.now());
      } catch (error) {
        closeDatabase(db); // refused before anything was written
        db = undefined;
        throw error;
      }
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
      const inboundLog: InboundLog = repos.inbound.inbox;

      let emulator: LarkEmulator | undefined;
      let lark = config.lark;
      let pageUrl: string | undefined;
      if (config.mode === 'sandbox') {
        sandbox = await startSandbox({
          config,
          logger: logger.child({ component: 'sandbox' }),
          agencies: repos.agencies,
          now: clock.now(),
          encryptKey: sandboxEncryptKey(db),
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
            scoreCard: createScoreCard({ scores, locale: config.locale }),
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
        workContext: (event, run) => withLogContext({ event_id: event.eventId }, run),
      });

      const database = db;
      const health: Health = createHealth({
        pingDatabase: () => pingDatabase(database),
        larkLastSuccess: () => larkChat.lastSuccessAt(),
        probeLark: () => larkChat.botInfo(),
        stopping: () => stopping,
      });
      // Every log line written while an event is handled names it (see withLogContext).
      const handled = bot;
      const onEvent: InboundHandler = (event) =>
        withLogContext({ event_id: event.eventId }, () => handled.handle(event));

      let webhookUrl: string | undefined;
      const botOpenId = emulator?.botOpenId ?? (await identifyBot(chat, logger));
      if (lark.transport === 'webhook') {
        const handler = createWebhookHandler({
          encryptKey: lark.encryptKey,
          verificationToken: lark.verificationToken ?? '',
          onEvent,
          logger: logger.child({ component: 'webhook' }),
          path: config.webhook.path,
          botOpenId,
          now: options.requestNow ?? options.emulator?.now ?? Date.now,
        });
        webhookServer = createWebhookServer((req, res) =>
          withLogContext({ request_id: requestId(req) }, () => {
            if (!health.handle(req, res)) handler(req, res);
          }),
        );
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
          onEvent,
          logger: logger.child({ component: 'ws' }),
          botOpenId,
        });
        // The sandbox's emulator pushes events as soon as it seeds: the bot must be listening by then.
        if (sandbox) await longConnection.ready;
      }

      // Long connection and sandbox have no HTTP server of their own: /healthz gets a small one. With
      // the webhook transport it is on the webhook server, and on its own only when a port is set.
      let healthUrl: string | undefined;
      const webhookServes = config.mode === 'lark' && lark.transport === 'webhook';
      if (!webhookServes || config.health.port !== undefined) {
        const server = createServer((req, res) =>
          withLogContext({ request_id: requestId(req) }, () => {
            if (!health.handle(req, res)) res.writeHead(404).end();
          }),
        );
        healthServer = server;
        const port = await listen(
          server,
          config.health.port ?? (config.mode === 'sandbox' ? 0 : 3002),
          config.health.host,
        );
        healthUrl = `http://${config.health.host === '0.0.0.0' ? '127.0.0.1' : config.health.host}:${port}/healthz`;
        logger.info({ url: healthUrl }, 'health check listening');
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
        // One bot per database: what an earlier bot left leased is this bot's to resend.
        role: 'bot',
        recoverEarlierRuns: true,
      });
      dispatcher.start();
      // Events recorded and acknowledged before a crash or stop, but not yet worked, are worked now.
      bot.resume();
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
          logger, // the scheduler names its own component
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
              ...(healthUrl ? [`  Health: ${healthUrl}`] : []),
              '  Ctrl-C stops the bot and the emulator.',
              '',
            ]
          : [
              `  督办 Duban is connected to ${lark.domain} (${lark.transport}).`,
              ...(healthUrl ? [`  Health: ${healthUrl}`] : []),
            ];
      return {
        banner,
        db,
        bot,
        chat,
        ...(emulator ? { emulator } : {}),
        ...(pageUrl ? { pageUrl } : {}),
        ...(webhookUrl ? { webhookUrl } : {}),
        ...(healthUrl ? { healthUrl } : {}),
        ...(jobs ? { jobs } : {}),
      };
    },

    halt() {
      webhookServer?.close();
      webhookServer?.closeAllConnections();
      healthServer?.close();
      healthServer?.closeAllConnections();
      void longConnection?.stop().catch(() => undefined);
      void scheduler?.stop().catch(() => undefined);
      void dispatcher?.stop().catch(() => undefined);
      // A dead process sends nothing more: no retry of a send in progress comes out of it later.
      void chat?.close().catch(() => undefined);
      if (db) closeDatabase(db);
    },

    /**
     * Graceful: stop taking events first (the long connection closes, the webhook server accepts no
     * new request and Lark resends what it gets no answer to), let work in flight finish for up to
     * `stopGraceMs`, leave in the outbox what was not sent (the dispatcher gives back rows it had not
     * handed to Lark; a send still in flight stays leased and the next start resends it under the
     * same uuid), then close the chat adapter and the database (which folds the WAL back in).
     */
    async stop() {
      stopping = true;
      await longConnection
        ?.stop()
        .catch((error: unknown) => logger.warn({ err: error }, 'long connection stop failed'));
      longConnection = undefined;
      if (webhookServer) {
        const server = webhookServer;
        webhookServer = undefined;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        if (!(await settles(closed, stopGraceMs))) server.closeAllConnections();
        await closed;
      }
      // The scheduler waits for a job in progress (a start-up catch-up may be a whole fan-out): the
      // grace bounds it, and what the job did not send stays in the outbox for the next start.
      if (scheduler && !(await settles(scheduler.stop(), stopGraceMs))) {
        logger.warn('stopped with a scheduled job still running; the next start catches up');
      }
      await dispatcher?.stop({ graceMs: stopGraceMs });
      scheduler = undefined;
      dispatcher = undefined;
      if (bot && !(await settles(bot.idle(), stopGraceMs))) {
        logger.warn('stopped with event handlers still running; Lark resends what was not acknowledged');
      }
      await chat?.close();
      await sandbox?.stop();
      sandbox = undefined;
      if (db) closeDatabase(db);
      db = undefined;
      if (healthServer) {
        const server = healthServer;
        healthServer = undefined;
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      logger.info('stopped');
    },
  };
}

/** Whether `promise` settles within `ms`; it keeps running either way. */
async function settles(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const done = await Promise.race([
    promise.then(
      () => true,
      () => true,
    ),
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]);
  clearTimeout(timer);
  return done;
}

/** The caller's request id when it sent one (a proxy's X-Request-Id), else a new one. */
function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  const value = Array.isArray(given) ? given[0] : given;
  return value !== undefined && /^[\w.:-]{1,100}$/.test(value) ? value : randomUUID();
}

/**
 * Refuses a database made by the other mode before anything is written to it: the sandbox would bind
 * every agency to made-up groups and record this week's prompts as sent; a tenant would send to them.
 */
function claimDatabase(db: DubanDatabase, config: Config, agencies: { name: string }[], now: Date): void {
  const mode = config.mode === 'sandbox' ? 'sandbox' : 'tenant';
  const claim = claimDatabaseMode(db, {
    mode,
    madeBy: mode,
    at: now.toISOString(),
    sandboxChatIds: sandboxChatIds(agencies.map((a) => a.name)),
  });
  if (claim.ok) return;
  const madeBy =
    claim.found.madeBy === 'inferred'
      ? `an earlier ${claim.found.mode === 'sandbox' ? 'sandbox' : 'tenant'} run`
      : claim.found.madeBy === 'duban import'
        ? '`duban import`'
        : `the ${claim.found.madeBy}`;
  if (mode === 'sandbox') {
    throw new DubanError(
      'store.database_mode_mismatch',
      `The database ${config.dbPath} holds a real ledger (made by ${madeBy}); the sandbox will not seed made-up people and groups into it.`,
      {
        hint: config.dbPathFromEnv
          ? 'Give the sandbox its own file: unset DUBAN_DB_PATH (the sandbox then uses db/sandbox.sqlite) or set DUBAN_DB_PATH=db/sandbox.sqlite. To run on the real tenant, set LARK_APP_ID and LARK_APP_SECRET.'
          : 'Give the sandbox its own file, e.g. DUBAN_DB_PATH=db/sandbox.sqlite npm start. To run on the real tenant, set LARK_APP_ID and LARK_APP_SECRET.',
        details: { path: config.dbPath, found: claim.found, wanted: mode },
      },
    );
  }
  throw new DubanError(
    'store.database_mode_mismatch',
    `The database ${config.dbPath} is a sandbox's (made by ${madeBy}): its groups, people and bindings are made up, so Duban will not run a real tenant on it.`,
    {
      hint: config.dbPathFromEnv
        ? 'Point DUBAN_DB_PATH at the tenant’s own file (default db/duban.sqlite), or start from a new one with `duban import FILE --db PATH`.'
        : 'Point DUBAN_DB_PATH at the tenant’s own file, or start from a new one with `duban import FILE --db PATH`.',
      details: { path: config.dbPath, found: claim.found, wanted: mode },
    },
  );
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
