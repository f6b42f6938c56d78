import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAgencyRegistryFile } from '../../../src/config/agencies.js';
import { defaultScheduleSettings } from '../../../src/config/schedule.js';
import { createFixedClock } from '../../../src/core/clock.js';
import { createWorkingCalendar } from '../../../src/core/cycles/china-calendar.js';
import { cycleOf } from '../../../src/core/cycles/cycle.js';
import type { JobContext } from '../../../src/core/cycles/jobs.js';
import type { ScheduleSettings } from '../../../src/core/cycles/schedule-settings.js';
import { parseClockTime, shanghaiDate, shanghaiInstant } from '../../../src/core/cycles/time.js';
import { createAgencyRegistry } from '../../../src/core/policy/registry.js';
import type { OutboxKind } from '../../../src/core/vocabulary.js';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../../src/delivery/outbox-dispatcher.js';
import { silentLogger } from '../../../src/logger.js';
import type { OutgoingMessage } from '../../../src/ports/chat.js';
import { type AgencyRepository, createAgencyRepository } from '../../../src/store/agency-repository.js';
import { type DubanDatabase, openDatabase } from '../../../src/store/database.js';
import { createOutboxRepository, type OutboxRepository } from '../../../src/store/outbox-repository.js';
import { projectRoot } from '../../../src/store/paths.js';
import {
  createSchedulerRepository,
  type SchedulerRepository,
} from '../../../src/store/scheduler-repository.js';
import { createTaskRepository, type TaskRepository } from '../../../src/store/task-repository.js';
import { createPromptJobHandlers, type PromptJobHandlers } from '../../../src/usecases/cycle-jobs.js';
import { applyImport } from '../../../src/usecases/import-decision.js';
import { createFailureNotifier } from '../../../src/usecases/prompt-cycle.js';
import { createFakeChat } from '../../helpers/fake-chat.js';

/** `at('2026-11-23 09:30')`: that wall-clock time in Shanghai, as an instant. */
export function at(local: string): Date {
  const [date, time = '00:00'] = local.split(' ');
  return shanghaiInstant(date as string, parseClockTime(time));
}

export const COORDINATORS_CHAT = 'oc_coordinators';
export const chatOf = (agencyId: number): string => `oc_agency_${agencyId}`;

const defaultDecision = readFileSync(join(projectRoot, 'config', 'default-decision.txt'), 'utf8');

/** The default decision imported from config, every agency bound to its group, the coordinators' group bound. */
export function seedLedger(db: DubanDatabase, importedAt: Date): void {
  const registry = createAgencyRegistry(loadAgencyRegistryFile(join(projectRoot, 'config', 'agencies.json')));
  applyImport({
    db,
    text: defaultDecision,
    sourceName: 'default-decision.txt',
    registry,
    now: importedAt,
    actor: 'test',
    channel: 'cli',
  });
  const agencies = createAgencyRepository({ db });
  const ctx = { at: importedAt.toISOString(), actor: 'test', channel: 'cli' };
  for (const agency of agencies.listAgencies({ bindableOnly: true })) {
    agencies.bindAgencyChat({ agencyId: agency.id, chatId: chatOf(agency.id), ...ctx });
  }
  agencies.bindSpecialChat({ role: 'coordinators', chatId: COORDINATORS_CHAT, ...ctx });
}

export interface World {
  db: DubanDatabase;
  clock: ReturnType<typeof createFixedClock>;
  chat: ReturnType<typeof createFakeChat>;
  agencies: AgencyRepository;
  tasks: TaskRepository;
  outbox: OutboxRepository;
  scheduler: SchedulerRepository;
  dispatcher: OutboxDispatcher;
  handlers: PromptJobHandlers;
  /** Runs a handler as the scheduler would at the Shanghai wall-clock time given. */
  run(job: keyof PromptJobHandlers, local: string): Promise<void>;
  /** The agencies with open tasks (the ones a prompt goes to), by id. */
  promptedAgencyIds(): number[];
  /** Sets `last_report_at` on one task of the agency (a reply landed). */
  reply(agencyId: number, local: string): void;
  setDue(taskId: number, date: string): void;
  /** What the fake chat got in a chat, in order. */
  sentTo(chatId: string): OutgoingMessage[];
  ctx(local: string): { at: string; actor: string; channel: string };
}

export function createWorld(
  options: { db?: DubanDatabase; start?: string; settings?: Partial<ScheduleSettings>; seed?: boolean } = {},
): World {
  const db = options.db ?? openDatabase({ path: ':memory:' });
  const clock = createFixedClock(at(options.start ?? '2026-11-20 09:00'));
  if (options.seed ?? true) seedLedger(db, at('2026-11-02 09:00'));
  const chat = createFakeChat();
  const outbox = createOutboxRepository({ db });
  const dispatcher = createOutboxDispatcher({
    outbox,
    chat,
    clock,
    logger: silentLogger,
    onFailed: createFailureNotifier({ db, clock }),
  });
  const settings = { ...defaultScheduleSettings(), ...options.settings };
  const handlers = createPromptJobHandlers({
    db,
    dispatcher,
    calendar: createWorkingCalendar(),
    settings,
    logger: silentLogger,
    clock,
  });
  const tasks = createTaskRepository({ db });
  return {
    db,
    clock,
    chat,
    agencies: createAgencyRepository({ db }),
    tasks,
    outbox,
    scheduler: createSchedulerRepository({ db }),
    dispatcher,
    handlers,
    async run(job, local) {
      const now = at(local);
      clock.set(now);
      const context: JobContext = { now, scheduledFor: now };
      await handlers[job](context);
    },
    promptedAgencyIds() {
      const ids = new Set<number>();
      for (const task of tasks.listTasks()) {
        if (task.agencyId !== null && ['not_started', 'in_progress', 'returned'].includes(task.status))
          ids.add(task.agencyId);
      }
      return [...ids].sort((a, b) => a - b);
    },
    reply(agencyId, local) {
      const taskId = db.$client
        .prepare('SELECT id FROM tasks WHERE agency_id = ? AND removed_at IS NULL ORDER BY id LIMIT 1')
        .pluck()
        .get(agencyId) as number;
      db.$client
        .prepare('UPDATE tasks SET last_report_at = ?, status = ? WHERE id = ?')
        .run(at(local).toISOString(), 'in_progress', taskId);
    },
    setDue(taskId, date) {
      db.$client.prepare('UPDATE tasks SET due_date = ? WHERE id = ?').run(date, taskId);
    },
    sentTo(chatId) {
      return chat.sent.filter((s) => s.chatId === chatId).map((s) => s.message);
    },
    ctx(local) {
      return { at: at(local).toISOString(), actor: 'test', channel: 'cli' };
    },
  };
}

/** The Shanghai dates on which rows of a kind were written for an agency. */
export function rowDates(outbox: OutboxRepository, kind: OutboxKind, agencyId: number): string[] {
  return outbox
    .list({ kind })
    .filter((row) => row.agencyId === agencyId)
    .map((row) => shanghaiDate(new Date(row.createdAt)));
}

export function cardText(message: OutgoingMessage | undefined): string {
  if (message === undefined) return '';
  return message.kind === 'text' ? message.text : JSON.stringify(message);
}

export { cycleOf };
