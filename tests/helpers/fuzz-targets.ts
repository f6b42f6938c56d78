/**
 * The fuzz targets of issue 14's "Hostile input", each a `fuzz()` run: the decision parser, the reply
 * reader, the command parser (with every command's argument reader), the card-action values, the event
 * normalizer, and card actions and messages through the real bot on a real SQLite database. The tests run
 * a few hundred cases of each; tests/bench/fuzz.ts runs 100,000.
 *
 * Properties: no throw escapes (a refusal is a typed result, a `DubanError`, or a zod issue); through the
 * bot, no handler fails (no internal-error answer, no error log) and a refused card action writes nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { cardActions } from '../../src/bot/actions/index.js';
import { createCommands } from '../../src/bot/commands/index.js';
import { parseCommand } from '../../src/bot/commands/parse.js';
import { normalizeEvent } from '../../src/chat/intake/normalize.js';
import { cycleOf } from '../../src/core/cycles/cycle.js';
import { isDubanError } from '../../src/core/errors.js';
import { parseDecision } from '../../src/core/policy/parse.js';
import type { AgencyRegistry } from '../../src/core/policy/registry.js';
import { t } from '../../src/core/render/catalog.js';
import { promptFieldNames } from '../../src/core/render/prompt-card.js';
import { describeReading } from '../../src/core/replies/describe.js';
import { REPLY_DOUBTS, REPLY_STATUSES, readReply } from '../../src/core/replies/read-reply.js';
import type { InboundEvent } from '../../src/ports/chat.js';
import { closeDatabase } from '../../src/store/database.js';
import { projectRoot } from '../../src/store/paths.js';
import { applyImport } from '../../src/usecases/import-decision.js';
import { createRepositories } from '../../src/usecases/repositories.js';
import { loadRegistry, memoryDb, smallDecision } from '../integration/store/ledger-fixtures.js';
import { createFakeChat } from './fake-chat.js';
import { type FuzzResult, fuzz, mutateJson, mutateText, type Rng, randomText } from './fuzz.js';
import { createRealBot } from './real-bot.js';
import { caseNow, loadReplyTable } from './replies.js';

export const FUZZ_TARGETS = ['policy', 'replies', 'commands', 'values', 'normalize', 'bot'] as const;
export type FuzzTarget = (typeof FUZZ_TARGETS)[number];

const fail = (message: string): never => {
  throw new Error(message);
};

let registryCache: AgencyRegistry | undefined;
const registry = () => {
  registryCache ??= loadRegistry();
  return registryCache;
};

// --- the decision parser ----------------------------------------------------------------------------

function decisionCorpus(): string[] {
  const dir = join(projectRoot, 'tests', 'fixtures', 'decisions');
  const files = [
    ...readdirSync(dir)
      .filter((f) => f.endsWith('.txt'))
      .map((f) => join(dir, f)),
    ...readdirSync(join(dir, 'real')).map((f) => join(dir, 'real', f)),
  ];
  return [smallDecision, ...files.map((f) => readFileSync(f, 'utf8'))];
}

function policyTarget(seed: number, cases: number) {
  const corpus = decisionCorpus();
  const reg = registry();
  return fuzz({
    target: 'policy',
    seed,
    cases,
    generate: (r) => mutateText(r, r.pick(corpus), corpus, 60_000),
    check(text) {
      try {
        const parsed = parseDecision({ text, registry: reg });
        if (!Array.isArray(parsed.articles)) fail('parseDecision returned no article list');
        for (const a of parsed.articles)
          if (!Number.isSafeInteger(a.no)) fail(`article number ${String(a.no)} is not an integer`);
      } catch (error) {
        // A refusal is a coded DubanError with a message for the person; anything else escaped.
        if (!isDubanError(error) || !error.code.startsWith('policy.')) throw error;
      }
    },
  });
}

// --- the reply reader -------------------------------------------------------------------------------

function repliesTarget(seed: number, cases: number) {
  const table = loadReplyTable();
  const corpus = table.map((c) => c.text);
  const reg = registry();
  return fuzz({
    target: 'replies',
    seed,
    cases,
    generate: (r) => ({
      text: r.chance(0.1) ? randomText(r, 200) : mutateText(r, r.pick(corpus), corpus, 50_000),
      now: caseNow(r.pick(table).now),
    }),
    check({ text, now }) {
      const reading = readReply({ text, now, registry: reg, agency: '市科技局' });
      if (reading.status !== null && !REPLY_STATUSES.includes(reading.status))
        fail(`status ${reading.status}`);
      if (
        reading.percent !== null &&
        !(Number.isInteger(reading.percent) && reading.percent >= 0 && reading.percent <= 100)
      )
        fail(`percent ${reading.percent}`);
      if (reading.percent !== null && Object.is(reading.percent, -0)) fail('percent -0');
      if (reading.article !== null && !(Number.isInteger(reading.article) && reading.article >= 1))
        fail(`article ${reading.article}`);
      if (reading.eta !== null && !/^\d{4}-\d{2}-\d{2}$/u.test(reading.eta)) fail(`eta ${reading.eta}`);
      for (const d of reading.doubts) if (!REPLY_DOUBTS.includes(d)) fail(`doubt ${d}`);
      if ((reading.confidence === 'high') !== (reading.doubts.length === 0))
        fail('confidence and doubts disagree');
      // Every reading can be told to a person through the catalog.
      if (describeReading(reading).length === 0) fail('empty description');
    },
  });
}

// --- the command parser and every command's argument reader -------------------------------------------

export const COMMAND_CORPUS = [
  '/help',
  '/report 1 进行中 70 已完成招标',
  '/report 第三条 done',
  '/report 1 受阻 资金未到位',
  '/extend 1 2027-01-31 需要更多时间',
  '/history 1',
  '/tasks',
  '/tasks 市科技局',
  '/article 3',
  '/due 1 2026-12-31',
  '/assign 1 市财政局 参与',
  '/unassign 1 市财政局',
  '/bind 市科技局',
  '/unbind',
  '/remind all',
  '/remind 市科技局',
  '/pause 市科技局 2026-12-31 培训',
  '/resume 市科技局',
  '/digest',
  '/score',
  '/score 2026-Q4',
  '/export',
  '／帮助',
  '/周报',
];

function commandsTarget(seed: number, cases: number) {
  const commands = createCommands();
  const byName = new Map(commands.map((c) => [c.name, c]));
  return fuzz({
    target: 'commands',
    seed,
    cases,
    generate: (r) =>
      r.chance(0.05) ? randomText(r, 80) : mutateText(r, r.pick(COMMAND_CORPUS), COMMAND_CORPUS, 20_000),
    check(text) {
      const parsed = parseCommand(text);
      if (parsed === undefined) return;
      if (parsed.name === '' || /[\s\u3000]/u.test(parsed.name))
        fail(`command name ${JSON.stringify(parsed.name)}`);
      // Every argument reader answers a value or an issue for any tokens, whichever command was named.
      const named = byName.get(parsed.name);
      for (const command of named === undefined ? commands : [named]) {
        const args = command.args.safeParse(parsed);
        if (!args.success && (args.error.issues[0]?.message ?? '') === '')
          fail(`/${command.name}: an issue without a message`);
      }
    },
  });
}

// --- the card-action values -------------------------------------------------------------------------

const NOW = new Date('2026-11-26T02:00:00Z');
const CYCLE = cycleOf(NOW);

/** Button values as the real cards carry them (ids of the fuzz world below). */
export function baseCardValues(ids: { agency: number; task: number }): Record<string, unknown>[] {
  const origin = { cycle: CYCLE, issued: NOW.getTime() - 60_000 };
  return [
    { action: 'open_report', agency_id: ids.agency, task_id: ids.task, ...origin },
    { action: 'open_report', agency_id: ids.agency, page: 1, ...origin },
    { action: 'no_change', agency_id: ids.agency, ...origin },
    { action: 'report', task_id: ids.task, ...origin },
    { action: 'request_extension', task_id: ids.task, ...origin },
    { action: 'open_extension', agency_id: ids.agency, task_id: ids.task, ...origin },
    {
      action: 'reply_confirm',
      task_id: ids.task,
      status: 'in_progress',
      percent: 70,
      blocked: false,
      note: '已完成招标',
      source: 'om_reply',
    },
    { action: 'verify_task', task_id: ids.task },
    { action: 'return_task', task_id: ids.task },
    { action: 'decide_extension', request_id: 1, approve: true },
    { action: 'decide_instruction', instruction_id: 1, confirm: true },
    { action: 'bind_agency' },
    { action: 'bind_special', role: 'coordinators' },
    { action: 'bind_confirm', target: 'agency:1', expect: '市科技局' },
    { action: 'bind_cancel' },
    { action: 'import_confirm', message_id: 'om_file', hash: 'a'.repeat(64) },
    { action: 'import_cancel' },
  ];
}

function baseForm(taskId: number): Record<string, unknown> {
  const names = promptFieldNames(taskId);
  return {
    [names.status]: 'in_progress',
    [names.percent]: '50',
    [names.note]: '本周推进顺利',
    [names.evidence]: 'https://example.gov.cn/a.pdf',
    [names.extendDate]: '2027-01-31',
    [names.extendReason]: '资金未到位',
  };
}

function valuesTarget(seed: number, cases: number) {
  const bases = baseCardValues({ agency: 1, task: 1 });
  const byName = new Map(cardActions.map((a) => [a.name, a]));
  return fuzz({
    target: 'values',
    seed,
    cases,
    generate: (r) => mutateJson(r, r.pick(bases)),
    check(value) {
      const name =
        typeof value === 'object' && value !== null ? (value as { action?: unknown }).action : undefined;
      const action = typeof name === 'string' ? byName.get(name) : undefined;
      for (const a of action === undefined ? cardActions : [action]) {
        const parsed = a.value.safeParse(value);
        if (!parsed.success) continue;
        // What passes is what a handler may trust: ids are positive integers, never -0, NaN or strings.
        for (const [key, v] of Object.entries(parsed.data as Record<string, unknown>)) {
          if (
            ['task_id', 'agency_id', 'request_id', 'instruction_id'].includes(key) &&
            v !== undefined &&
            !(Number.isSafeInteger(v) && (v as number) > 0)
          )
            fail(`${a.name}.${key} passed as ${String(v)}`);
        }
      }
    },
  });
}

// --- the event normalizer ---------------------------------------------------------------------------

function recordedEvents(): { eventType: string; event: unknown }[] {
  const message = (content: string, type = 'text', extra: Record<string, unknown> = {}) => ({
    eventType: 'im.message.receive_v1',
    event: {
      sender: { sender_id: { open_id: 'ou_alice', union_id: 'on_u1' }, sender_type: 'user', tenant_key: 't' },
      message: {
        message_id: 'om_1',
        root_id: 'om_root',
        parent_id: 'om_root',
        create_time: '1717200000123',
        chat_id: 'oc_agency_1',
        chat_type: 'group',
        message_type: type,
        content,
        mentions: [{ key: '@_user_1', id: { open_id: 'ou_bot' }, name: 'Duban', mentioned_type: 'bot' }],
        ...extra,
      },
    },
  });
  return [
    message(JSON.stringify({ text: '@_user_1 /report 1 进行中 70' })),
    message(JSON.stringify({ text: '第3条已完成80%，预计12月底完成' })),
    message(
      JSON.stringify({
        title: '周报',
        content: [
          [
            { tag: 'text', text: '第1条 进行中 ' },
            { tag: 'at', user_id: '@_user_1' },
          ],
        ],
      }),
      'post',
    ),
    message(JSON.stringify({ zh_cn: { title: 't', content: [[{ tag: 'text', text: 'x' }]] } }), 'post'),
    message(JSON.stringify({ file_key: 'file_v3_1', file_name: '第1条 佐证.pdf' }), 'file'),
    message(JSON.stringify({ image_key: 'img_v3_1' }), 'image'),
    {
      eventType: 'card.action.trigger',
      event: {
        operator: { open_id: 'ou_alice', user_id: 'u', union_id: 'on' },
        token: 'c-1234',
        action: {
          value: { action: 'report', task_id: 1, cycle: '2026-W48', issued: 1 },
          tag: 'button',
          form_value: { st1: 'in_progress', pc1: '50' },
        },
        context: { open_message_id: 'om_card', open_chat_id: 'oc_agency_1' },
      },
    },
    {
      eventType: 'card.action.trigger',
      event: {
        operator: { open_id: 'ou_alice' },
        action: { value: '{"action":"no_change","agency_id":1}', tag: 'button' },
        context: { open_message_id: 'om_card', open_chat_id: 'oc_agency_1' },
      },
    },
    {
      eventType: 'im.chat.member.bot.added_v1',
      event: { chat_id: 'oc_new', operator_id: { open_id: 'ou_alice' }, name: '市发改委督办群' },
    },
    {
      eventType: 'im.chat.member.user.added_v1',
      event: { chat_id: 'oc_agency_1', users: [{ name: '张三', user_id: { open_id: 'ou_zhang' } }] },
    },
    {
      eventType: 'im.chat.member.user.deleted_v1',
      event: {
        chat_id: 'oc_agency_1',
        operator_id: { open_id: 'ou_a' },
        users: [{ user_id: { open_id: 'ou_b' } }],
      },
    },
  ];
}

function normalizeTarget(seed: number, cases: number) {
  const events = recordedEvents();
  const eventTypes = [
    ...new Set(events.map((e) => e.eventType)),
    'im.message.reaction.created_v1',
    '',
    '__proto__',
  ];
  const logger = pino({ level: 'silent' });
  return fuzz({
    target: 'normalize',
    seed,
    cases,
    generate: (r) => {
      const base = r.pick(events);
      let event = mutateJson(r, base.event);
      // The message content is a JSON string inside JSON: mutate its text as well.
      if (r.chance(0.3) && base.eventType === 'im.message.receive_v1') {
        const content = (base.event as { message: { content: string } }).message.content;
        event = structuredClone(base.event);
        (event as { message: { content: string } }).message.content = mutateText(r, content, [], 20_000);
      }
      return {
        eventType: r.chance(0.05) ? r.pick(eventTypes) : base.eventType,
        eventId: r.chance(0.03) ? r.pick([undefined, '']) : `ev_${r.int(1e9)}`,
        event,
      };
    },
    check(raw) {
      const normalized = normalizeEvent(raw, { logger, botOpenId: 'ou_bot' });
      if (normalized !== null) checkInbound(normalized);
    },
  });
}

/** What the bot may rely on in a normalized event: typed fields, whatever the payload held. */
function checkInbound(event: InboundEvent): void {
  const strings = (...values: unknown[]) => {
    for (const v of values)
      if (typeof v !== 'string' || v === '') fail(`expected a non-empty string, got ${String(v)}`);
  };
  switch (event.type) {
    case 'message':
      strings(event.eventId, event.messageId, event.chatId, event.senderOpenId);
      if (typeof event.text !== 'string') fail('message text is not a string');
      if (Number.isNaN(event.createdAt.getTime())) fail('createdAt is not a date');
      if (event.attachment !== undefined) strings(event.attachment.key);
      return;
    case 'card_action':
      strings(event.eventId, event.messageId, event.chatId, event.operatorOpenId);
      if (typeof event.value !== 'object' || event.value === null || Array.isArray(event.value))
        fail('card value is not an object');
      return;
    case 'bot_added':
      strings(event.eventId, event.chatId);
      return;
    case 'members_changed':
      strings(event.eventId, event.chatId);
      for (const u of event.users) strings(u.openId);
      return;
  }
}

// --- card actions and messages through the real bot on a real database ----------------------------------

/**
 * 市科技局's group oc_kjj with a prompt card om_prompt in it, an official, another agency's official and
 * a coordinator; the bot logs to a buffer the fuzzer reads, and its inbound log notes the database's
 * change count after recording each event, so a refused tap can be shown to have written nothing else.
 */
export function createFuzzWorld() {
  const db = memoryDb();
  const reg = registry();
  applyImport({
    db,
    text: smallDecision,
    sourceName: 'small.txt',
    registry: reg,
    now: NOW,
    actor: 'system',
    channel: 'system',
  });
  const repos = createRepositories(db);
  const audit = { at: NOW.toISOString(), actor: 'test', channel: 'system' as const };
  repos.people.upsertPerson({ openId: 'ou_coord', role: 'coordinator', ...audit });
  repos.people.upsertPerson({ openId: 'ou_official', role: 'official', agency: '市科技局', ...audit });
  repos.people.upsertPerson({ openId: 'ou_fgw', role: 'official', agency: '市发改委', ...audit });
  const kjj = repos.agencies.requireAgency('市科技局').id;
  const fgw = repos.agencies.requireAgency('市发改委').id;
  repos.agencies.bindAgencyChat({ agencyId: kjj, chatId: 'oc_kjj', ...audit });
  repos.agencies.bindAgencyChat({ agencyId: fgw, chatId: 'oc_fgw', ...audit });
  repos.outbox.enqueue({
    items: [
      {
        key: 'prompt:kjj',
        kind: 'prompt',
        chatId: 'oc_kjj',
        agencyId: kjj,
        cycle: CYCLE,
        message: { kind: 'text', text: 'prompt' },
      },
    ],
    now: NOW,
  });
  const [row] = repos.outbox.claimDue({ now: NOW, limit: 1, leaseMs: 60_000, owner: 'fuzz#1' });
  repos.outbox.markSent({ id: row!.id, owner: 'fuzz#1', messageId: 'om_prompt', now: NOW });

  const errors: string[] = [];
  const logger = pino(
    { level: 'error' },
    new Writable({
      write(chunk, _encoding, done) {
        errors.push(String(chunk));
        done();
      },
    }),
  );
  const totalChanges = (): number => db.$client.prepare('SELECT total_changes()').pluck().get() as number;
  // Marking an event processed and noting the answer to a message are the intake's bookkeeping, not
  // changes the input made: left out.
  let bookkeeping = 0;
  const changes = (): number => totalChanges() - bookkeeping;
  let afterInbound = 0;
  const chat = createFakeChat();
  const bot = createRealBot({
    db,
    repos,
    registry: reg,
    chat,
    now: NOW,
    logger,
    inboundLog: (real) => ({
      record(items, at, processed) {
        const first = real.record(items, at, processed);
        afterInbound = changes();
        return first;
      },
      markProcessed(eventIds) {
        const before = totalChanges();
        real.markProcessed(eventIds);
        bookkeeping += totalChanges() - before;
      },
      unprocessed: (limit) => real.unprocessed(limit),
      answerOf: (messageId) => real.answerOf(messageId),
      recordAnswer(messageId, answerMessageId) {
        const before = totalChanges();
        real.recordAnswer(messageId, answerMessageId);
        bookkeeping += totalChanges() - before;
      },
    }),
  });
  const tasks = repos.tasks.listTasks({ agency: '市科技局' }).map((task) => task.id);
  return {
    db,
    repos,
    chat,
    bot,
    kjj,
    tasks,
    errors,
    changes,
    afterInbound: () => afterInbound,
    close: () => closeDatabase(db),
  };
}

export type FuzzWorld = ReturnType<typeof createFuzzWorld>;

const OPERATORS = ['ou_official', 'ou_coord', 'ou_fgw', 'ou_stranger', ''];
const CHATS = ['oc_kjj', 'oc_kjj', 'oc_kjj', 'oc_fgw', 'oc_left_long_ago'];

function botTarget(seed: number, cases: number, worldEvery = 250) {
  const replies = loadReplyTable().map((c) => c.text);
  let world: FuzzWorld | undefined;
  let n = 0;
  const internal = t('bot.error.internal');
  return fuzz({
    target: 'bot',
    seed,
    cases,
    generate: (r: Rng): InboundEvent => {
      n += 1;
      if (world === undefined || n % worldEvery === 0) {
        world?.close();
        world = createFuzzWorld();
      }
      const task = r.pick(world.tasks);
      const eventId = r.chance(0.02) ? 'ev_repeat' : `ev_${n}`;
      if (r.chance(0.65)) {
        const base = r.pick(baseCardValues({ agency: world.kjj, task }));
        const value = r.chance(0.2) ? base : (mutateJson(r, base) as Record<string, unknown>);
        const form = baseForm(task);
        const formValue = r.chance(0.3) ? form : (mutateJson(r, form) as Record<string, unknown>);
        return {
          type: 'card_action',
          eventId,
          operatorOpenId: r.pick(OPERATORS),
          messageId: r.pick(['om_prompt', 'om_echo', '']),
          chatId: r.pick(CHATS),
          value: typeof value === 'object' && value !== null && !Array.isArray(value) ? value : { value },
          ...(r.chance(0.9) &&
          typeof formValue === 'object' &&
          formValue !== null &&
          !Array.isArray(formValue)
            ? { formValue }
            : {}),
        };
      }
      const text = r.chance(0.5)
        ? mutateText(r, r.pick(COMMAND_CORPUS), COMMAND_CORPUS, 20_000)
        : mutateText(r, r.pick(replies), replies, 20_000);
      const inThread = r.chance(0.7);
      return {
        type: 'message',
        eventId,
        messageId: `om_${n}`,
        chatId: r.pick(CHATS),
        chatType: r.chance(0.9) ? 'group' : 'p2p',
        senderOpenId: r.pick(OPERATORS.filter((o) => o !== '')),
        text,
        mentions: [],
        mentionsBot: r.chance(0.3),
        ...(inThread ? { rootId: 'om_prompt', parentId: 'om_prompt' } : {}),
        createdAt: NOW,
      };
    },
    async check(event) {
      const w = world as FuzzWorld;
      const errorsBefore = w.errors.length;
      const sentBefore = w.chat.sent.length;
      const answer = await w.bot.handle(event);
      await w.bot.idle();
      const after = w.changes();
      if (w.errors.length > errorsBefore) fail(`the bot logged an error: ${w.errors.at(-1)?.slice(0, 300)}`);
      for (const sent of w.chat.sent.slice(sentBefore))
        if (sent.message.kind === 'text' && sent.message.text === internal)
          fail('the bot answered with an internal error');
      if (event.type === 'card_action') {
        if (answer?.toast?.content === internal) fail('the tap was answered with an internal error');
        // A tap that was not recorded (a warning, an error, information or a re-rendered card) wrote nothing.
        if (answer?.toast?.type !== 'success' && after !== w.afterInbound())
          fail(
            `a refused tap (${JSON.stringify(answer?.toast ?? null)}) changed ${after - w.afterInbound()} rows`,
          );
      }
    },
  }).finally(() => world?.close());
}

/** Runs one target with `cases` cases from `seed`. */
export function runFuzzTarget(target: FuzzTarget, seed: number, cases: number): Promise<FuzzResult> {
  switch (target) {
    case 'policy':
      return policyTarget(seed, cases);
    case 'replies':
      return repliesTarget(seed, cases);
    case 'commands':
      return commandsTarget(seed, cases);
    case 'values':
      return valuesTarget(seed, cases);
    case 'normalize':
      return normalizeTarget(seed, cases);
    case 'bot':
      return botTarget(seed, cases);
  }
}

/** Case counts of the tests (fast) and the base seed; FUZZ_SEED and FUZZ_CASES override them. */
export const fuzzSeed = (): number => Number(process.env.FUZZ_SEED ?? 20261202);
export const fuzzCases = (fallback: number): number => Number(process.env.FUZZ_CASES ?? fallback);

/** Every row of every ledger table (the event dedupe tables aside): "nothing changed" means this is equal. */
export function ledgerSnapshot(w: FuzzWorld): Record<string, unknown[]> {
  const tables = w.db.$client
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
       AND name NOT LIKE '__drizzle%' AND name NOT IN ('inbound_events', 'inbound_messages') ORDER BY name`,
    )
    .pluck()
    .all() as string[];
  return Object.fromEntries(
    tables.map((name) => [name, w.db.$client.prepare(`SELECT * FROM "${name}"`).all()]),
  );
}
