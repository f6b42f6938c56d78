/**
 * The composition root: the only module that knows every concrete adapter.
 * It wires the store, the chat adapter, the bot and (in the sandbox) the Lark emulator, and
 * returns { start, stop }. Nothing is opened before start().
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Bot, createBot } from './bot/bot.js';
import { onboardingActions, progressActions } from './bot/card-actions.js';
import { bindCommand } from './bot/commands/bind.js';
import { createHelpCommand } from './bot/commands/help.js';
import type { Command } from './bot/commands/types.js';
import type { BotDirectory, InboundLog, ProgressPort } from './bot/ports.js';
import {
  createLarkChat,
  createWebhookHandler,
  LarkApiError,
  type LarkChat,
  type LongConnection,
  startLongConnection,
} from './chat/index.js';
import { loadAgencyRegistryFile } from './config/agencies.js';
import type { Config } from './config/index.js';
import { loadScheduleSettings } from './config/schedule.js';
import { type Clock, systemClock } from './core/clock.js';
import { type AgencyRegistry, createAgencyRegistry } from './core/policy/registry.js';
import { isClosedTask } from './core/vocabulary.js';
import { createOutboxDispatcher, type OutboxDispatcher } from './delivery/outbox-dispatcher.js';
import type { LarkEmulator, LarkEmulatorOptions } from './emulator/index.js';
import type { Logger } from './logger.js';
import { type Sandbox, startSandbox } from './sandbox.js';
import { type CronScheduler, createCronScheduler } from './scheduler/cron.js';
import {
  type AgencyRepository,
  createAgencyRepository,
  type SpecialRole,
} from './store/agency-repository.js';
import type { AuditContext } from './store/audit-repository.js';
import { closeDatabase, type DubanDatabase, openDatabase } from './store/database.js';
import { createDocumentRepository } from './store/document-repository.js';
import { createInboundRepository } from './store/inbound-repository.js';
import { createOutboxRepository } from './store/outbox-repository.js';
import { createPeopleRepository, type PeopleRepository } from './store/people-repository.js';
import { createProgressRepository } from './store/progress-repository.js';
import { createSchedulerRepository } from './store/scheduler-repository.js';
import { createTaskRepository } from './store/task-repository.js';
import { createCycleJobs } from './usecases/cycle-jobs.js';
import { applyImport } from './usecases/import-decision.js';
import { suggestAgency, syncAgencyRegistry } from './usecases/ledger-queries.js';
import { createFailureNotifier } from './usecases/prompt-cycle.js';

export interface AppOptions {
  config: Config;
  logger: Logger;
  clock?: Clock;
  /** Test hooks for the sandbox's emulator (rate limits, retry schedule). */
  emulator?: Partial<LarkEmulatorOptions>;
  /** False keeps the prompt schedule off (tests that drive jobs themselves). Default true. */
  schedule?: boolean;
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
}

export interface App {
  start(): Promise<StartedApp>;
  stop(): Promise<void>;
}

/** Adapts the agency and people repositories to what the bot needs. */
export function createBotDirectory({
  agencies,
  people,
  registry,
}: {
  agencies: AgencyRepository;
  people: PeopleRepository;
  registry: AgencyRegistry;
}): BotDirectory {
  const toRef = (a: { id: number; name: string; kind: string; chatId: string | null }) => ({
    id: a.id,
    name: a.name,
    kind: a.kind,
    chatId: a.chatId,
  });
  /**
   * The bot binds without asking yet: the group leaves whatever it served, and the target leaves its old
   * group, in one transaction with the new binding. (The store itself refuses to move anything silently.)
   */
  const rebind = (
    input: { chatId: string; previousChat: string | null; audit: AuditContext },
    bind: () => void,
  ) =>
    agencies.transaction(() => {
      const current = agencies.bindingOfChat(input.chatId);
      if (current !== null) agencies.unbindChat({ chatId: input.chatId, ...input.audit });
      if (input.previousChat !== null && input.previousChat !== input.chatId)
        agencies.unbindChat({ chatId: input.previousChat, ...input.audit });
      bind();
    });
  return {
    findAgency(nameOrAlias) {
      const found =
        agencies.findAgency(nameOrAlias) ?? agencies.findAgency(registry.resolve(nameOrAlias).name);
      return found ? toRef(found) : undefined;
    },
    listAgencies: () => agencies.listAgencies({ bindableOnly: true }).map(toRef),
    suggestAgencies(written) {
      const suggestion = suggestAgency(written.trim(), agencies.listAgencies({ bindableOnly: true }));
      return suggestion ? [suggestion] : [];
    },
    agencyByChat(chatId) {
      const found = agencies.findAgencyByChat(chatId);
      return found ? toRef(found) : undefined;
    },
    specialChatRole(chatId) {
      const binding = agencies.bindingOfChat(chatId);
      return binding?.kind === 'special' ? binding.role : undefined;
    },
    bindAgency({ agencyId, chatId, actor, at }) {
      const audit: AuditContext = { actor, channel: 'chat', at: at.toISOString() };
      const bound = agencies.bindingOfChat(chatId);
      if (bound?.kind === 'agency' && bound.agency.id === agencyId) return;
      rebind({ chatId, previousChat: agencies.chatOfAgency(agencyId), audit }, () =>
        agencies.bindAgencyChat({ agencyId, chatId, ...audit }),
      );
    },
    bindSpecial({ role, chatId, actor, at }) {
      const audit: AuditContext = { actor, channel: 'chat', at: at.toISOString() };
      if (agencies.chatOfSpecial(role) === chatId) return;
      rebind({ chatId, previousChat: agencies.chatOfSpecial(role), audit }, () =>
        agencies.bindSpecialChat({ role: role satisfies SpecialRole, chatId, ...audit }),
      );
    },
    agenciesOf: (openId) => people.agenciesOf(openId),
    rolesOf: (openId) => people.rolesOf(openId),
  };
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
      db = openDatabase({ path: config.dbPath });
      const agencies = createAgencyRepository({ db });
      const people = createPeopleRepository({ db });
      const documents = createDocumentRepository({ db });
      const synced = syncAgencyRegistry({
        db,
        registry,
        now: clock.now(),
        actor: 'system',
        channel: 'system',
      });
      logger.info({ added: synced.added.length, updated: synced.updated.length }, 'agency registry synced');

      for (const [role, ids] of [
        ['coordinator', config.people.coordinators],
        ['leader', config.people.leaders],
      ] as const) {
        for (const openId of ids)
          people.upsertPerson({
            openId,
            role,
            actor: 'config',
            channel: 'system',
            at: clock.now().toISOString(),
          });
      }

      const inbound = createInboundRepository({ db });
      const inboundLog: InboundLog = { firstSeen: (input) => inbound.recordInboundEvent(input) };
      const directory = createBotDirectory({ agencies, people, registry });

      let emulator: LarkEmulator | undefined;
      let lark = config.lark;
      let pageUrl: string | undefined;
      if (config.mode === 'sandbox') {
        sandbox = await startSandbox({
          config,
          logger: logger.child({ component: 'sandbox' }),
          agencies,
          people,
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
      });
      const commands: Command[] = [];
      commands.push(
        createHelpCommand(() => commands),
        bindCommand,
      );
      bot = createBot({
        deps: { chat, clock, logger: logger.child({ component: 'bot' }), directory },
        inboundLog,
        commands,
        cardActions: { ...onboardingActions, ...progressActions(createProgressPort(db)) },
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
        if (documents.listDocuments().length === 0)
          importDefaultDecision({ db, registry, config, logger, now: clock.now() });
      }

      dispatcher = createOutboxDispatcher({
        outbox: createOutboxRepository({ db }),
        chat,
        clock,
        logger: logger.child({ component: 'outbox' }),
        onFailed: createFailureNotifier({ db, clock, logger, locale: config.locale }),
      });
      dispatcher.start();
      if (options.schedule !== false) {
        const cycle = createCycleJobs({
          db,
          dispatcher,
          settings: scheduleSettings,
          logger: logger.child({ component: 'cycles' }),
          clock,
          locale: config.locale,
        });
        scheduler = createCronScheduler({
          jobs: cycle.jobs,
          runLog: cycle.runLog,
          calendar: cycle.calendar,
          quietHours: cycle.quietHours,
          clock,
          logger: logger.child({ component: 'scheduler' }),
        });
        // Catch-up of a missed run can take a while (a whole fan-out); start-up does not wait for it.
        const running = scheduler;
        void running
          .start()
          .catch((error: unknown) => logger.error({ err: error }, 'scheduler start failed'));
      }

      const imported = documents.listDocuments();
      const banner =
        config.mode === 'sandbox'
          ? [
              '',
              `  督办 Duban sandbox is running: ${pageUrl}`,
              `  Open it in a browser, pick a group on the left, and post "/help" as a user.`,
              `  Database: ${config.dbPath} (${imported.length} decision(s), ${createTaskRepository({ db }).listTasks().length} tasks)`,
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
      };
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

/** Progress from the chat: recorded in the ledger, and a reply stops the escalation climb. */
function createProgressPort(db: DubanDatabase): ProgressPort {
  const progress = createProgressRepository({ db });
  const scheduler = createSchedulerRepository({ db });
  return {
    confirmNoChange({ agencyId, actor, at }) {
      const tasks = progress.confirmNoChange({ agencyId, actor, channel: 'chat', at: at.toISOString() });
      if (tasks.length > 0) scheduler.clearLadder({ agencyId });
      return { confirmed: tasks.length };
    },
    findTask(taskId) {
      const task = progress.findTask(taskId);
      if (!task) return undefined;
      return {
        agencyId: task.agencyId,
        articleNo: task.articleNo,
        status: task.status,
        percent: task.percent,
        closed: isClosedTask(task),
      };
    },
    recordReport({ taskId, report, actor, at }) {
      progress.recordReport({ taskId, report, actor, channel: 'chat', at: at.toISOString() });
      scheduler.clearLadder({ taskIds: [taskId] });
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

function importDefaultDecision(input: {
  db: DubanDatabase;
  registry: AgencyRegistry;
  config: Config;
  logger: Logger;
  now: Date;
}): void {
  const text = readFileSync(input.config.decisionFile, 'utf8');
  const result = applyImport({
    db: input.db,
    text,
    sourceName: input.config.decisionFile.split('/').pop() ?? 'decision',
    registry: input.registry,
    now: input.now,
    actor: 'system',
    channel: 'system',
  });
  input.logger.info({ documentId: result.documentId, tasks: result.changes }, 'default decision imported');
}
