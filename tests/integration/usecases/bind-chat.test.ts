import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DubanDatabase } from '../../../src/store/database.js';
import { closeDatabase } from '../../../src/store/database.js';
import { type BindChat, type BindTarget, createBindChat } from '../../../src/usecases/bind-chat.js';
import { syncAgencyRegistry } from '../../../src/usecases/ledger-queries.js';
import { createRepositories, type Repositories } from '../../../src/usecases/repositories.js';
import { createFakeChat, textOf } from '../../helpers/fake-chat.js';
import { loadRegistry, memoryDb } from '../store/ledger-fixtures.js';

const now = new Date('2026-11-26T02:00:00Z');
let db: DubanDatabase;
let repos: Repositories;
let chat: ReturnType<typeof createFakeChat>;
let bindChat: BindChat;

beforeEach(() => {
  db = memoryDb();
  syncAgencyRegistry({ db, registry: loadRegistry(), now, actor: 'system', channel: 'system' });
  repos = createRepositories(db);
  chat = createFakeChat();
  bindChat = createBindChat({ store: repos.agencies, chat, registry: loadRegistry() });
});
afterEach(() => closeDatabase(db));

const bind = (chatId: string, target: BindTarget, confirmed?: string) =>
  bindChat({
    chatId,
    target,
    actor: 'ou_coord',
    channel: 'command',
    now,
    ...(confirmed ? { confirmed } : {}),
  });
const agency = (name: string): BindTarget => ({ kind: 'agency', name });

/** Every group's bindings, from the tables themselves: a group must never appear twice. */
function bindingsByChat(): Map<string, string[]> {
  const rows = db.$client
    .prepare(
      `SELECT chat_id AS chatId, name AS what FROM agencies WHERE chat_id IS NOT NULL
       UNION ALL SELECT chat_id, role FROM special_chats`,
    )
    .all() as { chatId: string; what: string }[];
  const map = new Map<string, string[]>();
  for (const row of rows) map.set(row.chatId, [...(map.get(row.chatId) ?? []), row.what]);
  return map;
}
const expectOneBindingPerGroup = () => {
  for (const [chatId, what] of bindingsByChat()) expect(what, chatId).toHaveLength(1);
};

describe('binding a group', () => {
  it('binds an unbound group to an agency named by an alias, without asking', async () => {
    const outcome = await bind('oc_1', agency('广州市科学技术局'));
    expect(outcome).toMatchObject({
      kind: 'bound',
      target: { kind: 'agency', agency: '市科技局' },
      changes: [],
    });
    expect(repos.agencies.findAgencyByChat('oc_1')?.name).toBe('市科技局');
    expect(repos.audit.list({ entity: 'agency', action: 'chat_bound' })).toHaveLength(1);
  });

  it('says so when the group already serves that agency, and changes nothing', async () => {
    await bind('oc_1', agency('市科技局'));
    const audited = repos.audit.count();
    expect((await bind('oc_1', agency('市科技局'))).kind).toBe('already_bound');
    expect(repos.audit.count()).toBe(audited);
  });

  it('asks before taking an agency away from its own group, then moves it and tells the old group', async () => {
    await bind('oc_old', agency('市金融办'));
    const asked = await bind('oc_new', agency('市金融办'));
    expect(asked).toMatchObject({
      kind: 'confirm',
      changes: [{ kind: 'target_moved', fromChatId: 'oc_old' }],
    });
    // Asking changed nothing.
    expect(repos.agencies.findAgencyByChat('oc_old')?.name).toBe('市金融办');
    expect(chat.sent).toHaveLength(0);

    if (asked.kind !== 'confirm') throw new Error('expected a confirmation');
    const done = await bind('oc_new', agency('市金融办'), asked.expect);
    expect(done.kind).toBe('bound');
    expect(repos.agencies.findAgencyByChat('oc_new')?.name).toBe('市金融办');
    expect(repos.agencies.findAgencyByChat('oc_old')).toBeNull();
    expect(chat.sent).toHaveLength(1);
    expect(chat.sent[0]!.chatId).toBe('oc_old');
    expect(textOf(chat.sent[0]!.message)).toContain('本群已不再是「市金融办」');
    expectOneBindingPerGroup();
  });

  it("asks before turning an agency's group into the coordinators' group, naming the agency left without one", async () => {
    await bind('oc_1', agency('市科技局'));
    const asked = await bind('oc_1', { kind: 'special', role: 'coordinators' });
    expect(asked).toMatchObject({
      kind: 'confirm',
      changes: [{ kind: 'chat_rebound', from: { kind: 'agency', agency: '市科技局' } }],
    });
    if (asked.kind !== 'confirm') throw new Error('expected a confirmation');
    await bind('oc_1', { kind: 'special', role: 'coordinators' }, asked.expect);
    expect(repos.agencies.chatOfSpecial('coordinators')).toBe('oc_1');
    expect(repos.agencies.findAgency('市科技局')?.chatId).toBeNull();
    expectOneBindingPerGroup();
  });

  it("turns the coordinators' group into the leaders' group only on confirmation, never into both", async () => {
    await bind('oc_c', { kind: 'special', role: 'coordinators' });
    const asked = await bind('oc_c', { kind: 'special', role: 'leaders' });
    expect(asked).toMatchObject({
      kind: 'confirm',
      changes: [{ kind: 'chat_rebound', from: { kind: 'special', role: 'coordinators' } }],
    });
    if (asked.kind !== 'confirm') throw new Error('expected a confirmation');
    expect((await bind('oc_c', { kind: 'special', role: 'leaders' }, asked.expect)).kind).toBe('bound');
    expect(repos.agencies.chatOfSpecial('leaders')).toBe('oc_c');
    expect(repos.agencies.chatOfSpecial('coordinators')).toBeNull();
    expectOneBindingPerGroup();
  });

  it("moves the leaders' group to a new group on confirmation and tells the old one", async () => {
    await bind('oc_l1', { kind: 'special', role: 'leaders' });
    const asked = await bind('oc_l2', { kind: 'special', role: 'leaders' });
    if (asked.kind !== 'confirm') throw new Error('expected a confirmation');
    await bind('oc_l2', { kind: 'special', role: 'leaders' }, asked.expect);
    expect(repos.agencies.chatOfSpecial('leaders')).toBe('oc_l2');
    expect(chat.sent.map((s) => s.chatId)).toEqual(['oc_l1']);
    expect(textOf(chat.sent[0]!.message)).toContain('领导群');
  });

  it('asks again when the bindings changed after the confirmation was shown', async () => {
    await bind('oc_old', agency('市金融办'));
    const asked = await bind('oc_new', agency('市金融办'));
    if (asked.kind !== 'confirm') throw new Error('expected a confirmation');
    // Someone else moves 市金融办 meanwhile.
    const other = await bind('oc_other', agency('市金融办'));
    if (other.kind !== 'confirm') throw new Error('expected a confirmation');
    await bind('oc_other', agency('市金融办'), other.expect);
    const stale = await bind('oc_new', agency('市金融办'), asked.expect);
    expect(stale).toMatchObject({
      kind: 'confirm',
      changes: [{ kind: 'target_moved', fromChatId: 'oc_other' }],
    });
    expect(repos.agencies.findAgencyByChat('oc_other')?.name).toBe('市金融办');
  });

  it('refuses an unknown agency with a suggestion, a collective, and binds nothing', async () => {
    const unknown = await bind('oc_1', agency('市科技委'));
    expect(unknown).toMatchObject({ kind: 'unknown_agency', name: '市科技委', suggestions: ['市科技局'] });
    expect(await bind('oc_1', agency('各有关单位'))).toMatchObject({ kind: 'collective' });
    expect(bindingsByChat().size).toBe(0);
  });

  it('refuses an agency the registry no longer lists', async () => {
    const registry = loadRegistry();
    const without = { all: () => registry.all().filter((a) => a.name !== '市金融办') };
    syncAgencyRegistry({
      db,
      registry: { ...registry, ...without },
      now,
      actor: 'system',
      channel: 'system',
    });
    expect(await bind('oc_1', agency('市金融办'))).toMatchObject({ kind: 'inactive', agency: '市金融办' });
  });
});
