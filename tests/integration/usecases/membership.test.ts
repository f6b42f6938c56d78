import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/logger.js';
import { createAuditRepository } from '../../../src/store/audit-repository.js';
import { closeDatabase, type DubanDatabase } from '../../../src/store/database.js';
import { createBindChat } from '../../../src/usecases/bind-chat.js';
import { syncAgencyRegistry } from '../../../src/usecases/ledger-queries.js';
import { createMembership, syncConfiguredRoles } from '../../../src/usecases/membership.js';
import { createRepositories, type Repositories } from '../../../src/usecases/repositories.js';
import { createFakeChat } from '../../helpers/fake-chat.js';
import { loadRegistry, memoryDb } from '../store/ledger-fixtures.js';

const now = new Date('2026-11-26T02:00:00Z');
const audit = { actor: 'test', channel: 'system' as const, at: now.toISOString() };
let db: DubanDatabase;
let repos: Repositories;
let chat: ReturnType<typeof createFakeChat>;
let membership: ReturnType<typeof createMembership>;

beforeEach(() => {
  db = memoryDb();
  syncAgencyRegistry({ db, registry: loadRegistry(), now, actor: 'system', channel: 'system' });
  repos = createRepositories(db);
  chat = createFakeChat();
  membership = createMembership({
    people: repos.people,
    agencies: repos.agencies,
    chat,
    clock: createFixedClock(now),
    logger: silentLogger,
  });
});
afterEach(() => closeDatabase(db));

const idOf = (name: string) => repos.agencies.requireAgency(name).id;
const bindAgency = (name: string, chatId: string) =>
  repos.agencies.bindAgencyChat({ agencyId: idOf(name), chatId, ...audit });

describe('membership', () => {
  it('makes the members of an agency’s group its officials, named from the contact API, and audits each grant', async () => {
    bindAgency('市科技局', 'oc_tech');
    chat.members.set('oc_tech', [
      { openId: 'ou_a', name: '群里的名字' },
      { openId: 'ou_b', name: '李四' },
    ]);
    chat.names.set('ou_a', '张三');
    const result = await membership.syncChatMembers({ chatId: 'oc_tech' });
    expect(result).toEqual({ chatId: 'oc_tech', granted: ['ou_a', 'ou_b'], revoked: [] });
    expect(repos.people.agenciesOf('ou_a')).toEqual([idOf('市科技局')]);
    expect(repos.people.nameOf('ou_a')).toBe('张三');
    // No contact name: the name Lark gave with the membership.
    expect(repos.people.nameOf('ou_b')).toBe('李四');
    expect(createAuditRepository({ db }).list({ entity: 'person', action: 'granted' })).toMatchObject([
      {
        entityId: 'ou_a',
        channel: 'system',
        after: { role: 'official', agency: '市科技局', source: 'chat', name: '张三' },
      },
      { entityId: 'ou_b', after: { name: '李四' } },
    ]);
  });

  it('revokes a member who left, on the event and on the next sync, but keeps the role the configuration grants', async () => {
    bindAgency('市科技局', 'oc_tech');
    chat.members.set('oc_tech', [
      { openId: 'ou_a', name: '' },
      { openId: 'ou_b', name: '' },
    ]);
    await membership.syncChatMembers({ chatId: 'oc_tech' });
    repos.people.grant({
      openId: 'ou_b',
      role: 'official',
      agencyId: idOf('市科技局'),
      source: 'config',
      ...audit,
    });

    expect(
      membership.memberLeft({ chatId: 'oc_tech', users: [{ openId: 'ou_a' }], operatorOpenId: 'ou_boss' }),
    ).toEqual(['ou_a']);
    expect(repos.people.rolesOf('ou_a')).toEqual([]);
    expect(createAuditRepository({ db }).list({ entity: 'person', action: 'revoked' })).toMatchObject([
      {
        entityId: 'ou_a',
        actor: 'ou_boss',
        channel: 'chat',
        before: { role: 'official', source: 'chat' },
        after: null,
      },
    ]);

    chat.members.set('oc_tech', []);
    await membership.syncChatMembers({ chatId: 'oc_tech' });
    expect(repos.people.agenciesOf('ou_b')).toEqual([idOf('市科技局')]);
  });

  it('grants a joining member at once, and ignores groups bound to nothing', async () => {
    bindAgency('市科技局', 'oc_tech');
    expect(
      await membership.memberJoined({ chatId: 'oc_tech', users: [{ openId: 'ou_new', name: '王五' }] }),
    ).toEqual(['ou_new']);
    expect(repos.people.agenciesOf('ou_new')).toEqual([idOf('市科技局')]);
    expect(await membership.memberJoined({ chatId: 'oc_nothing', users: [{ openId: 'ou_x' }] })).toEqual([]);
    expect(repos.people.rolesOf('ou_x')).toEqual([]);
  });

  it('makes the coordinators’ group members coordinators, and reads every bound group at start-up even when one fails', async () => {
    repos.agencies.bindSpecialChat({ role: 'coordinators', chatId: 'oc_office', ...audit });
    bindAgency('市科技局', 'oc_tech');
    bindAgency('市财政局', 'oc_gone');
    chat.members.set('oc_office', [{ openId: 'ou_c', name: '' }]);
    chat.members.set('oc_tech', [{ openId: 'ou_a', name: '' }]);
    const result = await membership.syncAllBoundChats();
    expect(result.failed).toEqual(['oc_gone']);
    expect(repos.people.rolesOf('ou_c')).toEqual(['coordinator']);
    expect(repos.people.agenciesOf('ou_a')).toEqual([idOf('市科技局')]);
  });

  it('binding a group reads its members, and rebinding it ends the role it gave before', async () => {
    const bindChat = createBindChat({
      store: repos.agencies,
      chat,
      registry: loadRegistry(),
      members: membership,
    });
    chat.members.set('oc_g', [{ openId: 'ou_a', name: '' }]);
    await bindChat({
      chatId: 'oc_g',
      target: { kind: 'agency', name: '市科技局' },
      actor: 'ou_c',
      channel: 'command',
      now,
    });
    expect(repos.people.agenciesOf('ou_a')).toEqual([idOf('市科技局')]);
    const ask = await bindChat({
      chatId: 'oc_g',
      target: { kind: 'agency', name: '市财政局' },
      actor: 'ou_c',
      channel: 'command',
      now,
    });
    expect(ask.kind).toBe('confirm');
    const confirmedKey = ask.kind === 'confirm' ? ask.expect : '';
    await bindChat({
      chatId: 'oc_g',
      target: { kind: 'agency', name: '市财政局' },
      actor: 'ou_c',
      channel: 'command',
      now,
      confirmed: confirmedKey,
    });
    expect(repos.people.agenciesOf('ou_a')).toEqual([idOf('市财政局')]);
  });

  it('makes the configured roles exact: an open_id removed from the settings or the registry loses that role', () => {
    const definitions = loadRegistry()
      .all()
      .map((d) =>
        d.name === '市科技局' ? { ...d, contactOpenId: 'ou_contact', officials: ['ou_listed'] } : d,
      );
    syncConfiguredRoles({
      people: repos.people,
      agencies: repos.agencies,
      definitions,
      coordinators: ['ou_c1', 'ou_c2'],
      leaders: [],
      now,
    });
    expect(repos.people.agenciesOf('ou_contact')).toEqual([idOf('市科技局')]);
    expect(repos.people.agenciesOf('ou_listed')).toEqual([idOf('市科技局')]);
    expect(repos.people.rolesOf('ou_c2')).toEqual(['coordinator']);

    const without = definitions.map((d) => (d.name === '市科技局' ? { ...d, officials: [] } : d));
    syncConfiguredRoles({
      people: repos.people,
      agencies: repos.agencies,
      definitions: without,
      coordinators: ['ou_c1'],
      leaders: [],
      now,
    });
    expect(repos.people.agenciesOf('ou_listed')).toEqual([]);
    expect(repos.people.agenciesOf('ou_contact')).toEqual([idOf('市科技局')]);
    expect(repos.people.rolesOf('ou_c2')).toEqual([]);
    expect(repos.people.rolesOf('ou_c1')).toEqual(['coordinator']);
  });
});
