/**
 * A year in fast-forward: the real app (tenant mode, webhook transport, against the Lark emulator),
 * its real scheduled jobs and outbox, under a virtual clock that jumps from one moment that matters to
 * the next. Officials, coordinators and leaders act through the emulator as people do; the emulator
 * injects 429s, 5xx, dropped connections and duplicate pushes; the bot is killed and started again at
 * random moments. Every action the driver takes that the bot should record is logged with the Lark id
 * the audit trail keeps, for the invariants (invariants.ts) to check.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type App, createApp, type StartedApp } from '../../src/app.js';
import { loadAgencyRegistryFile } from '../../src/config/agencies.js';
import { loadConfig } from '../../src/config/index.js';
import { createFixedClock } from '../../src/core/clock.js';
import { cycleOf } from '../../src/core/cycles/cycle.js';
import { createAgencyRegistry } from '../../src/core/policy/registry.js';
import { promptFieldNames } from '../../src/core/render/prompt-card.js';
import { createLarkEmulator } from '../../src/emulator/index.js';
import type { MessageView } from '../../src/emulator/views.js';
import { createLogger, silentLogger } from '../../src/logger.js';
import { applyImport } from '../../src/usecases/import-decision.js';
import { writeCity } from './city.js';
import { checkInvariants, type Figures, type InvariantResult } from './invariants.js';
import { createPrng, pick, pickStyle, type Style, styleThisWeek } from './personas.js';

export interface SimulationOptions {
  days: number;
  agencies: number;
  seed?: number;
  /** First simulated day (Shanghai), default 2026-01-01. */
  start?: string;
  /** Kill and restart the bot at random moments (default true). */
  restarts?: boolean;
  /** Emulator faults and duplicate pushes (default true). */
  faults?: boolean;
  /** Keep the temporary folder (database) for inspection. */
  keep?: boolean;
  onDay?: (day: number, date: string) => void;
}

export interface SimulationResult {
  figures: Figures;
  invariants: InvariantResult[];
  dir: string;
}

/** One thing the driver did that the bot should record (or refuse), with the id the audit trail keeps. */
export interface DriverAction {
  kind: string;
  /** A card tap is found by its event id; a message (reply, command) by its message id. */
  via: 'event' | 'message';
  id: string;
  taskId?: number;
  agencyId?: number;
  /** The audit actions that count as this action's record. */
  actions: string[];
  /**
   * What the person was told: 'recorded' (a success toast or answer: must be in the trail exactly
   * once), 'refused' (must not be in the trail), 'unknown' (a tap whose answer was lost: at most
   * once), 'unanswered' (a message the bot never answered: lost).
   */
  told: 'recorded' | 'refused' | 'unknown' | 'unanswered';
  /** For actions that touch several tasks (no change, a due date for an article): once per task. */
  many?: boolean;
}

const STEPS = ['08:40', '09:05', '09:35', '10:05', '11:00', '14:30', '16:30', '17:05', '17:40'] as const;
type Step = (typeof STEPS)[number];

const DAY_MS = 24 * 3600_000;
/** How long a person waits for the bot's answer before deciding it never came. */
const SETTLE_WAIT_MS = 5 * 60_000;
const at = (date: string, time: string) => new Date(`${date}T${time}:00+08:00`);
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
/** 1 = Monday … 7 = Sunday. */
const weekday = (date: string) => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

const textOf = (m: MessageView): string =>
  typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? '');

/** Every callback value on a card (buttons and forms), in order. */
function buttonValues(content: unknown): Record<string, unknown>[] {
  return [...JSON.stringify(content).matchAll(/"value":(\{[^}]*\})/g)].map(
    (m) => JSON.parse(m[1] as string) as Record<string, unknown>,
  );
}

interface SimAgency {
  name: string;
  id: number;
  chatId: string;
  official: { open_id: string };
  usual: Style;
  prompts: Map<string, MessageView>;
}

export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const started0 = performance.now();
  const seed = options.seed ?? 20260101;
  const random = createPrng(seed);
  const faultsOn = options.faults ?? true;
  const restartsOn = options.restarts ?? true;
  const startDate = options.start ?? '2026-01-01';
  const root = resolve(import.meta.dirname, '../..');
  const dir = mkdtempSync(join(tmpdir(), 'duban-sim-'));
  const city = writeCity({
    agencies: options.agencies,
    defaultsFile: join(root, 'config/agencies.json'),
    into: join(dir, 'agencies.json'),
  });
  const dbPath = join(dir, 'duban.sqlite');
  const clock = createFixedClock(at(startDate, '08:00'));

  const emulator = createLarkEmulator({
    encryptKey: 'sim-encrypt-key',
    verificationToken: 'sim-token',
    now: () => clock.now().getTime(),
    // Lark's limits are per real second; the virtual clock stands still within a step, so the
    // emulator's windows would never open. 429s are injected as faults instead.
    rateLimits: false,
    // Lark retries for hours (15 s, 5 min, 1 h, 6 h); real milliseconds here, still longer than a restart.
    retrySchedule: [100, 500, 2000, 8000],
    random: createPrng(seed + 1),
    ...(faultsOn ? { repushWithNewEventId: 0.03 } : {}),
  });
  await emulator.start();
  const coordinator = emulator.addUser({ name: '赵督查' });
  const leader = emulator.addUser({ name: '钱市长' });
  const config = loadConfig({
    env: {
      DUBAN_DB_PATH: dbPath,
      DUBAN_AGENCIES_FILE: city.file,
      LARK_APP_ID: emulator.appId,
      LARK_APP_SECRET: emulator.appSecret,
      LARK_DOMAIN: emulator.url,
      LARK_TRANSPORT: 'webhook',
      LARK_ENCRYPT_KEY: 'sim-encrypt-key',
      LARK_VERIFICATION_TOKEN: emulator.verificationToken,
      DUBAN_WEBHOOK_HOST: '127.0.0.1',
      DUBAN_WEBHOOK_PORT: '0',
      DUBAN_COORDINATORS: coordinator.open_id,
    },
  });

  // --- the bot process ---------------------------------------------------------------------------
  let app: App | undefined;
  let started: StartedApp | undefined;
  const dead: App[] = [];
  let restarts = 0;
  const boot = async () => {
    app = createApp({
      config,
      logger: process.env.SIM_LOG
        ? createLogger({ level: process.env.SIM_LOG, pretty: false })
        : silentLogger,
      clock,
      // The emulator stamps and signs its pushes with the virtual clock; the replay window must read
      // the same clock, or every push is refused as stale.
      requestNow: () => clock.now().getTime(),
      schedule: 'manual',
      chat: {
        limits: { appPerSecond: 1e6, appPerMinute: 1e8, chatPerSecond: 1e6, cardUpdatePerSecond: 1e6 },
        retry: { baseDelayMs: 1, maxDelayMs: 5, maxRateLimitWaitMs: 5 },
      },
    });
    started = await app.start();
    emulator.setWebhookUrl(started.webhookUrl);
  };
  /**
   * A hard stop: the process is gone. Lark's pushes find nobody (a closed port, so Lark retries), the
   * connections in flight are dropped unanswered, the database handle is closed under whatever was
   * running, nothing is drained. The abandoned instance is only cleaned up at the end, with its
   * database already closed, so it can write nothing more.
   */
  const kill = () => {
    if (!app || !started) return;
    emulator.setWebhookUrl('http://127.0.0.1:9/webhook/event');
    app.halt();
    dead.push(app);
    app = undefined;
    started = undefined;
    restarts += 1;
  };
  const live = (): StartedApp => {
    if (!started) throw new Error('the bot is not running');
    return started;
  };
  const sql = () => live().db.$client;

  await boot();
  const registry = createAgencyRegistry(loadAgencyRegistryFile(city.file));
  applyImport({
    db: live().db,
    text: readFileSync(config.decisionFile, 'utf8'),
    sourceName: 'default-decision.txt',
    registry,
    now: clock.now(),
    actor: 'simulation',
    channel: 'cli',
  });

  // Every message the emulator stores, as it is stored.
  const arrived: MessageView[] = [];
  emulator.subscribe((change) => {
    if (change.type === 'message') arrived.push(change.message);
  });
  const log: DriverAction[] = [];
  const pauses: Array<{ agencyId: number; from: string; until: string }> = [];

  // Where the wall time goes, by phase (SIM_PROFILE=1 prints it).
  const spent = new Map<string, number>();
  const timed = async <T>(phase: string, work: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await work();
    } finally {
      spent.set(phase, (spent.get(phase) ?? 0) + performance.now() - t);
    }
  };

  const settleNow = async () => {
    for (let round = 0; round < 20; round++) {
      await emulator.idle();
      await live().bot.idle();
      const drained = await live().jobs!.drainOutbox();
      await emulator.idle();
      await live().bot.idle();
      if (drained.sent === 0 && drained.failed === 0) return;
    }
  };
  /**
   * Everything the bot does about what just happened, as a person waiting a few minutes sees it. The
   * virtual clock stands still within a step, so a send that failed (Lark's 5xx and 429s, injected
   * faults piling up over a quiet weekend) and was put back for a retry seconds later would never come
   * due: the clock moves on to each retry within the wait, as it would for a person.
   */
  const settle = async () => {
    const waitUntil = clock.now().getTime() + SETTLE_WAIT_MS;
    await settleNow();
    for (let round = 0; round < 20; round++) {
      const next = sql()
        .prepare("select min(next_attempt_at) from outbox where status = 'pending'")
        .pluck()
        .get() as string | null;
      if (next === null || Date.parse(next) > waitUntil) return;
      if (Date.parse(next) > clock.now().getTime()) {
        if (process.env.SIM_DEBUG)
          console.error(`waiting for a retry: ${clock.now().toISOString()} -> ${next}`);
        clock.set(new Date(next));
      }
      await settleNow();
    }
  };

  // --- the city's groups, made the way Lark makes them and bound by the coordinator ----------------
  const coordinatorsChat = emulator.createChat({ name: '督查室工作群', members: [coordinator.open_id] });
  const leadersChat = emulator.createChat({
    name: '市领导群',
    members: [coordinator.open_id, leader.open_id],
  });
  emulator.postAsUser({
    chat_id: coordinatorsChat.chat_id,
    open_id: coordinator.open_id,
    text: '/bind 督查室',
  });
  emulator.postAsUser({ chat_id: leadersChat.chat_id, open_id: coordinator.open_id, text: '/bind 领导' });
  const agencies: SimAgency[] = [];
  for (const [i, name] of city.agencies.entries()) {
    const official = emulator.addUser({ name: `${name}联络员` });
    const chat = emulator.createChat({
      name: `${name}工作群`,
      members: [coordinator.open_id, official.open_id],
    });
    emulator.postAsUser({ chat_id: chat.chat_id, open_id: coordinator.open_id, text: `/bind ${name}` });
    agencies.push({
      name,
      id: 0,
      chatId: chat.chat_id,
      official,
      usual: pickStyle(random),
      prompts: new Map(),
    });
    if (i % 50 === 49) await settle();
  }
  await settle();
  const byChat = new Map<string, SimAgency>();
  for (const agency of agencies) {
    const row = sql().prepare('select id from agencies where chat_id = ?').get(agency.chatId) as
      | { id: number }
      | undefined;
    if (!row) throw new Error(`${agency.name} was not bound`);
    agency.id = row.id;
    byChat.set(agency.chatId, agency);
  }
  arrived.length = 0;

  // --- what people do ----------------------------------------------------------------------------
  const later: Array<{ due: number; run: () => Promise<void> }> = [];
  const schedule = (when: Date, run: () => Promise<void>) => later.push({ due: when.getTime(), run });

  const taskRow = (taskId: number) =>
    sql()
      .prepare(
        'select t.id, t.status, t.percent, t.agency_id as agencyId, a.ordinal as articleNo from tasks t join articles a on a.id = t.article_id where t.id = ?',
      )
      .get(taskId) as { id: number; status: string; percent: number; agencyId: number; articleNo: number };

  const OPEN = new Set(['not_started', 'in_progress', 'returned', 'blocked']);
  const nextProgress = (percent: number) => Math.min(100, percent + 10 + Math.floor(random() * 25));

  const click = async (input: Parameters<typeof emulator.clickCard>[0]) => {
    try {
      return await timed(`click:${String(input.value.action)}`, () => emulator.clickCard(input));
    } catch {
      return undefined;
    }
  };
  const toldOf = (result: { toast: { type: string } | null } | undefined): DriverAction['told'] =>
    result === undefined || result.toast === null
      ? 'unknown'
      : result.toast.type === 'success'
        ? 'recorded'
        : 'refused';

  const openTasksOn = (prompt: MessageView): number[] =>
    buttonValues(prompt.content)
      .filter((v) => v.action === 'open_report' && typeof v.task_id === 'number')
      .map((v) => v.task_id as number)
      .filter((id) => OPEN.has(taskRow(id)?.status ?? ''));

  const reportByCard = async (agency: SimAgency, prompt: MessageView, kind: string) => {
    const ids = openTasksOn(prompt);
    for (const taskId of ids.slice(0, 1 + Math.floor(random() * 2))) {
      const opened = await click({
        message_id: prompt.message_id,
        open_id: agency.official.open_id,
        value: buttonValues(prompt.content).find((v) => v.action === 'open_report' && v.task_id === taskId)!,
      });
      const report = opened?.card
        ? buttonValues(opened.card).find((v) => v.action === 'report' && v.task_id === taskId)
        : undefined;
      if (!report) continue;
      const percent = nextProgress(taskRow(taskId).percent);
      const names = promptFieldNames(taskId);
      const result = await click({
        message_id: prompt.message_id,
        open_id: agency.official.open_id,
        value: report,
        name: names.submit,
        form_value: {
          [names.status]: percent === 100 ? 'reported_done' : 'in_progress',
          [names.percent]: String(percent),
          [names.note]: '按计划推进',
        },
      });
      if (!result) continue;
      log.push({
        kind,
        via: 'event',
        id: result.event_id,
        taskId,
        agencyId: agency.id,
        actions: ['reported', 'report_corrected'],
        told: toldOf(result),
      });
    }
  };

  const noChange = async (agency: SimAgency, prompt: MessageView) => {
    const value = buttonValues(prompt.content).find((v) => v.action === 'no_change');
    if (!value) return;
    const result = await click({ message_id: prompt.message_id, open_id: agency.official.open_id, value });
    if (!result) return;
    log.push({
      kind: 'no_change',
      via: 'event',
      id: result.event_id,
      agencyId: agency.id,
      actions: ['no_change_confirmed'],
      told: toldOf(result),
      many: true,
    });
  };

  const freeText = async (agency: SimAgency, prompt: MessageView) => {
    const taskId = openTasksOn(prompt)[0];
    if (taskId === undefined) return;
    const task = taskRow(taskId);
    const percent = Math.min(95, nextProgress(task.percent));
    const month = 1 + Math.floor(random() * 12);
    const { message } = emulator.postAsUser({
      chat_id: agency.chatId,
      open_id: agency.official.open_id,
      text: `第${task.articleNo}条已完成${percent}%，预计${month}月底完成`,
      parent_id: prompt.message_id,
    });
    await settle();
    const answers = emulator.messages(agency.chatId).filter((m) => m.parent_id === message.message_id);
    const echo = answers.find((m) => textOf(m).includes('reply_confirm'));
    const value = echo ? buttonValues(echo.content).find((v) => v.action === 'reply_confirm') : undefined;
    if (!echo || !value) {
      log.push({
        kind: 'free_text',
        via: 'message',
        id: message.message_id,
        actions: ['reported'],
        told: answers.length === 0 ? 'unanswered' : 'refused',
      });
      return;
    }
    const result = await click({ message_id: echo.message_id, open_id: agency.official.open_id, value });
    log.push({
      kind: 'free_text',
      via: 'message',
      id: message.message_id,
      taskId: value.task_id as number,
      agencyId: agency.id,
      actions: ['reported', 'report_corrected'],
      told: toldOf(result),
    });
  };

  /** `/report`; `meanwhile` runs between the post and the bot's answer (a kill, in the driver). */
  const command = async (agency: SimAgency, prompt: MessageView, meanwhile?: () => Promise<void>) => {
    const taskId = openTasksOn(prompt)[0];
    if (taskId === undefined) return false;
    const task = taskRow(taskId);
    const percent = Math.min(95, nextProgress(task.percent));
    const { message } = emulator.postAsUser({
      chat_id: agency.chatId,
      open_id: agency.official.open_id,
      text: `/report ${task.articleNo} 进行中 ${percent} 正在推进`,
    });
    await meanwhile?.();
    await settle();
    const answer = emulator.messages(agency.chatId).find((m) => m.parent_id === message.message_id);
    log.push({
      kind: 'command',
      via: 'message',
      id: message.message_id,
      taskId,
      agencyId: agency.id,
      actions: ['reported', 'report_corrected'],
      told: answer === undefined ? 'unanswered' : textOf(answer).includes('已记录') ? 'recorded' : 'refused',
    });
    return true;
  };

  const staleTap = async (agency: SimAgency, cycle: string) => {
    const previous = [...agency.prompts.entries()].filter(([c]) => c < cycle).pop()?.[1];
    if (!previous) return;
    // The card as the person sees it now: opened at a form if they tapped it last week.
    const shown = emulator.message(previous.message_id) ?? previous;
    const report = buttonValues(shown.content).find((v) => v.action === 'report');
    const value = report ?? buttonValues(shown.content).find((v) => v.action === 'open_report');
    if (!value) return;
    const names = typeof value.task_id === 'number' ? promptFieldNames(value.task_id) : undefined;
    const result = await click({
      message_id: previous.message_id,
      open_id: agency.official.open_id,
      value,
      ...(report && names
        ? { name: names.submit, form_value: { [names.status]: 'in_progress', [names.percent]: '50' } }
        : {}),
    });
    if (!result) return;
    log.push({
      kind: 'stale_card',
      via: 'event',
      id: result.event_id,
      agencyId: agency.id,
      actions: ['reported', 'report_corrected', 'no_change_confirmed'],
      told: result.toast?.type === 'warning' ? 'refused' : 'unknown',
    });
  };

  const answerPrompt = (agency: SimAgency, prompt: MessageView, cycle: string, date: string) => {
    const style = styleThisWeek(agency.usual, random);
    const current = () => cycleOf(clock.now()) === cycle;
    const when = (day: string, time: Step) => at(day, time);
    const thursday = addDays(date, Math.max(0, 4 - weekday(date)));
    switch (style) {
      case 'card':
        return schedule(when(date, '11:00'), () => reportByCard(agency, prompt, 'card'));
      case 'no_change':
        return schedule(when(date, '11:00'), () => noChange(agency, prompt));
      case 'free_text':
        return schedule(when(date, '14:30'), () => freeText(agency, prompt));
      case 'command':
        return schedule(when(date, '16:30'), async () => {
          await command(agency, prompt);
        });
      case 'late':
        return schedule(when(thursday, '11:00'), async () => {
          if (current()) await reportByCard(agency, prompt, 'late');
        });
      case 'stale_card':
        schedule(when(date, '11:00'), () => staleTap(agency, cycle));
        return schedule(when(date, '14:30'), () => reportByCard(agency, prompt, 'card_after_stale'));
      case 'never':
        return;
    }
  };

  const review = async (card: MessageView) => {
    const values = buttonValues(card.content);
    const verify = values.find((v) => v.action === 'verify_task');
    const back = values.find((v) => v.action === 'return_task');
    if (!verify || typeof verify.task_id !== 'number') return;
    const verifier =
      card.chat_id === coordinatorsChat.chat_id ? coordinator : byChat.get(card.chat_id)?.official;
    if (!verifier) return;
    const returning = back !== undefined && random() < 0.25;
    const result = returning
      ? await click({
          message_id: card.message_id,
          open_id: verifier.open_id,
          name: 'return_submit',
          value: back,
          form_value: { reason: '佐证材料不全，请补充验收报告' },
        })
      : await click({ message_id: card.message_id, open_id: verifier.open_id, value: verify });
    if (!result) return;
    log.push({
      kind: returning ? 'return' : 'verify',
      via: 'event',
      id: result.event_id,
      taskId: verify.task_id,
      actions: [returning ? 'returned' : 'verified'],
      told: toldOf(result),
    });
  };

  const leaderReply = async (digest: MessageView) => {
    const agency = pick(random, agencies);
    const { message } = emulator.postAsUser({
      chat_id: leadersChat.chat_id,
      open_id: leader.open_id,
      text: `请${agency.name}加快推进，下周报进展`,
      parent_id: digest.message_id,
    });
    await settle();
    const answer = emulator.messages(leadersChat.chat_id).find((m) => m.parent_id === message.message_id);
    log.push({
      kind: 'leader_reply',
      via: 'message',
      id: message.message_id,
      actions: ['instruction_recorded'],
      told:
        answer === undefined ? 'unanswered' : textOf(answer).includes('批示已记录') ? 'recorded' : 'refused',
    });
  };

  const coordinatorSays = async (kind: string, text: string, actions: string[], success: RegExp) => {
    const { message } = emulator.postAsUser({
      chat_id: coordinatorsChat.chat_id,
      open_id: coordinator.open_id,
      text,
    });
    await settle();
    const answer = emulator
      .messages(coordinatorsChat.chat_id)
      .find((m) => m.parent_id === message.message_id);
    log.push({
      kind,
      via: 'message',
      id: message.message_id,
      actions,
      told: answer === undefined ? 'unanswered' : success.test(textOf(answer)) ? 'recorded' : 'refused',
      many: true,
    });
    return answer;
  };

  const setDue = async (date: string) => {
    const open = sql()
      .prepare(
        `select t.id, a.ordinal as articleNo, g.name as agency from tasks t join articles a on a.id = t.article_id
         join agencies g on g.id = t.agency_id where t.status in ('not_started','in_progress','returned') and t.removed_at is null`,
      )
      .all() as Array<{ id: number; articleNo: number; agency: string }>;
    if (open.length === 0) return;
    const task = pick(random, open);
    const due = addDays(date, 14 + Math.floor(random() * 60));
    await coordinatorSays('due', `/due ${task.articleNo} ${task.agency} ${due}`, ['due_set'], /已|设/u);
  };

  const pauseOne = async (date: string) => {
    const agency = pick(random, agencies);
    const until = addDays(date, 7 + Math.floor(random() * 7));
    const answer = await coordinatorSays(
      'pause',
      `/pause ${agency.name} until ${until}`,
      ['paused'],
      /暂停/u,
    );
    if (answer) pauses.push({ agencyId: agency.id, from: date, until });
  };

  /** The bot's new messages since the last look: prompts, review requests and digests get answers. */
  const look = (date: string) => {
    const batch = arrived.splice(0);
    for (const message of batch) {
      if (message.sender.type !== 'app') continue;
      const row = sql()
        .prepare('select kind, cycle from outbox where message_id = ?')
        .get(message.message_id) as { kind: string; cycle: string | null } | undefined;
      const agency = byChat.get(message.chat_id);
      if (row?.kind === 'prompt' && agency && row.cycle) {
        agency.prompts.set(row.cycle, message);
        answerPrompt(agency, message, row.cycle, date);
      } else if (textOf(message).includes('verify_task')) {
        schedule(at(addDays(date, 1), '10:05'), () => review(message));
      } else if (row?.kind === 'digest' && random() < 0.4) {
        schedule(at(date, '17:40'), () => leaderReply(message));
      }
    }
  };

  // --- faults ------------------------------------------------------------------------------------
  const injectFaults = () => {
    if (!faultsOn) return;
    const path = '^/open-apis/im/v1/messages';
    const roll = random();
    if (roll < 0.15)
      emulator.injectFault({ kind: 'rate_limit', method: 'POST', path, count: 2, resetSeconds: 1 });
    else if (roll < 0.3)
      emulator.injectFault({ kind: 'server_error', method: 'POST', path, count: 2, status: 503 });
    else if (roll < 0.4) emulator.injectFault({ kind: 'drop', method: 'POST', path, count: 1 });
    else if (roll < 0.5) emulator.injectFault({ kind: 'drop_after_store', method: 'POST', path, count: 1 });
    emulator.setDuplicatePushes(random() < 0.1 ? 2 : 1);
  };

  // --- the days ----------------------------------------------------------------------------------
  const runDue = async () => {
    try {
      await live().jobs!.runDue();
    } catch {
      // A job killed under the bot's feet; the next step's run catches up.
    }
  };
  for (let day = 0; day < options.days; day++) {
    const date = addDays(startDate, day);
    options.onDay?.(day, date);
    const killStep = restartsOn && random() < 0.12 ? Math.floor(random() * STEPS.length) : -1;
    for (const [stepNo, time] of STEPS.entries()) {
      clock.set(at(date, time));
      injectFaults();
      if (stepNo === killStep)
        await timed('restart', async () => {
          const mode = random();
          if (mode < 0.4) {
            // Mid job: the scheduled run is under way when the process dies.
            const running = runDue();
            await new Promise((r) => setTimeout(r, Math.floor(random() * 15)));
            kill();
            await running;
            await boot();
          } else if (mode < 0.7) {
            // Mid event: an official's /report is on its way in when the process dies.
            const agency = pick(random, agencies);
            const prompt = [...agency.prompts.values()].pop();
            const posted =
              prompt !== undefined &&
              (await command(agency, prompt, async () => {
                await new Promise((r) => setTimeout(r, Math.floor(random() * 10)));
                kill();
                await boot();
              }));
            if (!posted) {
              kill();
              await boot();
            }
          } else {
            kill();
            await boot();
          }
        });
      await timed('jobs', runDue);
      await timed('settle', settle);
      look(date);
      const now = clock.now().getTime();
      const dueNow = later.filter((l) => l.due <= now);
      for (const item of dueNow) later.splice(later.indexOf(item), 1);
      // People act at the same time, as they do: a few at once, each waiting for its own answers.
      await timed('people', async () => {
        const queue = [...dueNow];
        const worker = async () => {
          for (let item = queue.shift(); item !== undefined; item = queue.shift()) await item.run();
        };
        await Promise.all(Array.from({ length: 8 }, worker));
      });
      await timed('settle', settle);
      if (time === '14:30' && weekday(date) === 2 && random() < 0.8) await setDue(date);
      if (time === '16:30' && weekday(date) === 3 && random() < 0.25) await pauseOne(date);
      await settle();
      look(date);
    }
  }
  if (process.env.SIM_PROFILE)
    console.error(Object.fromEntries([...spent].map(([k, v]) => [k, Math.round(v)])));
  emulator.clearFaults();
  emulator.setDuplicatePushes(1);
  await settle();

  // --- the end -----------------------------------------------------------------------------------
  const db = live().db;
  const ms = Math.round(performance.now() - started0);
  const snapshot = emulator.snapshot();
  const dbSize = statSync(dbPath).size + (statSync(`${dbPath}-wal`, { throwIfNoEntry: false })?.size ?? 0);
  const result = checkInvariants({
    db,
    snapshot,
    log,
    pauses,
    agencies: agencies.map((a) => ({ id: a.id, chatId: a.chatId, name: a.name })),
    start: startDate,
    end: addDays(startDate, options.days - 1),
    coordinatorsChatId: coordinatorsChat.chat_id,
  });
  const figures: Figures = {
    days: options.days,
    agencies: options.agencies,
    seed,
    ...result.figures,
    restarts,
    ms,
    // CPU time of the whole process (bot, emulator and driver): less bent by other load than \`ms\`.
    cpu_ms: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
    rss_mb: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10,
    db_mb: Math.round((dbSize / 1024 / 1024) * 100) / 100,
  };
  await app?.stop();
  for (const gone of dead) await gone.stop().catch(() => undefined);
  await emulator.stop();
  if (!options.keep) rmSync(dir, { recursive: true, force: true });
  return { figures, invariants: result.invariants, dir };
}
