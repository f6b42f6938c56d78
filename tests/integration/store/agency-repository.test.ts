import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DubanError, isDubanError } from '../../../src/core/errors.js';
import type { AgencyDefinition } from '../../../src/core/policy/types.js';
import { type AgencyRepository, createAgencyRepository } from '../../../src/store/agency-repository.js';
import { createAuditRepository } from '../../../src/store/audit-repository.js';
import { closeDatabase, type DubanDatabase } from '../../../src/store/database.js';
import { memoryDb } from './ledger-fixtures.js';

const ctx = { at: '2026-03-02T01:30:00.000Z', actor: 'ou_coordinator', channel: 'chat' as const };

const definitions: AgencyDefinition[] = [
  { name: '市科技局', aliases: ['广州市科学技术局', '市科技局'], kind: 'department' },
  { name: '市财政局', aliases: [], kind: 'department' },
  { name: '天河区', aliases: ['天河区政府'], kind: 'district' },
  { name: '各有关单位', aliases: [], kind: 'collective', expandsTo: 'all' },
];

let db: DubanDatabase;
let repo: AgencyRepository;
beforeEach(() => {
  db = memoryDb();
  repo = createAgencyRepository({ db });
  repo.syncAgencies({ definitions, ...ctx });
});
afterEach(() => closeDatabase(db));

const idOf = (name: string): number => repo.requireAgency(name).id;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isDubanError(error) ? error.code : `not a DubanError: ${String(error)}`;
  }
  return undefined;
}

describe('agencies', () => {
  it('syncs the registry with aliases (not repeating the canonical name) and finds an agency by either', () => {
    expect(repo.listAgencies().map((a) => a.name)).toEqual(['市科技局', '市财政局', '天河区', '各有关单位']);
    expect(repo.findAgency('广州市科学技术局')?.name).toBe('市科技局');
    expect(repo.findAgency(' 天河区政府 ')?.name).toBe('天河区');
    expect(repo.findAgency('市科技局')?.aliases).toEqual(['广州市科学技术局']);
    expect(repo.findAgency('市未知局')).toBeNull();
  });

  it('starts every agency unpaused, with no end date', () => {
    expect(repo.requireAgency('市科技局')).toMatchObject({ paused: false, pausedUntil: null, active: true });
  });

  it('leaves out collectives and inactive agencies when asked for the bindable ones only', () => {
    repo.syncAgencies({ definitions: definitions.filter((d) => d.name !== '市财政局'), ...ctx });
    expect(repo.listAgencies({ bindableOnly: true }).map((a) => a.name)).toEqual(['市科技局', '天河区']);
    expect(repo.listAgencies({ includeInactive: true, bindableOnly: true }).map((a) => a.name)).toEqual([
      '市科技局',
      '天河区',
    ]);
    expect(repo.listAgencies({ includeInactive: true }).map((a) => a.name)).toContain('市财政局');
  });

  it('refuses an unknown agency with store.agency_not_found, naming it and pointing at the registry', () => {
    let error: unknown;
    try {
      repo.setAgencyContact({ agency: '市未知局', contactOpenId: 'ou_x', ...ctx });
    } catch (e) {
      error = e;
    }
    expect(isDubanError(error, 'store.agency_not_found')).toBe(true);
    expect((error as Error).message).toContain('市未知局');
    expect(isDubanError(error) && error.hint).toMatch(/config\/agencies\.json.*duban agencies/);
    expect(codeOf(() => repo.requireAgency(999))).toBe('store.agency_not_found');
    expect(codeOf(() => repo.bindAgencyChat({ agencyId: 999, chatId: 'oc_a', ...ctx }))).toBe(
      'store.agency_not_found',
    );
  });

  it('pauses an agency until a day and resumes it, auditing before and after, and reports no change twice', () => {
    const id = idOf('市科技局');
    const first = repo.setAgencyPause({ agencyId: id, paused: true, pausedUntil: '2026-10-08', ...ctx });
    expect(first).toEqual({
      before: { paused: false, pausedUntil: null },
      after: { paused: true, pausedUntil: '2026-10-08' },
    });
    expect(repo.setAgencyPause({ agencyId: id, paused: true, pausedUntil: '2026-10-08', ...ctx })).toBeNull();
    expect(repo.getAgency(id)).toMatchObject({ paused: true, pausedUntil: '2026-10-08' });
    repo.setAgencyPause({ agencyId: id, paused: false, ...ctx });
    expect(repo.getAgency(id)).toMatchObject({ paused: false, pausedUntil: null });
    const events = createAuditRepository({ db }).list({ entity: 'agency', entityId: id });
    expect(events.filter((e) => e.action === 'paused' || e.action === 'resumed')).toMatchObject([
      { action: 'paused', before: { paused: false, pausedUntil: null }, after: { paused: true } },
      { action: 'resumed', after: { paused: false, pausedUntil: null } },
    ]);
  });
});

describe('chat bindings', () => {
  it('binds an agency and a special role, and says what each group serves', () => {
    const agency = repo.bindAgencyChat({ agencyId: idOf('市科技局'), chatId: 'oc_science', ...ctx });
    repo.bindSpecialChat({ role: 'coordinators', chatId: 'oc_coord', ...ctx });
    expect(agency.chatId).toBe('oc_science');
    expect(repo.bindingOfChat('oc_science')).toMatchObject({ kind: 'agency', agency: { name: '市科技局' } });
    expect(repo.bindingOfChat('oc_coord')).toEqual({ kind: 'special', role: 'coordinators' });
    expect(repo.bindingOfChat('oc_nobody')).toBeNull();
    expect(repo.chatOfAgency(idOf('市科技局'))).toBe('oc_science');
    expect(repo.chatOfAgency(idOf('市财政局'))).toBeNull();
    expect(repo.chatOfSpecial('coordinators')).toBe('oc_coord');
    expect(repo.chatOfSpecial('leaders')).toBeNull();
    expect(repo.findAgencyByChat('oc_science')?.name).toBe('市科技局');
  });

  it('changes nothing when the same pair is bound again', () => {
    repo.bindAgencyChat({ agencyId: idOf('市科技局'), chatId: 'oc_science', ...ctx });
    repo.bindSpecialChat({ role: 'leaders', chatId: 'oc_leaders', ...ctx });
    const events = createAuditRepository({ db }).count();
    repo.bindAgencyChat({ agencyId: idOf('市科技局'), chatId: 'oc_science', ...ctx });
    repo.bindSpecialChat({ role: 'leaders', chatId: 'oc_leaders', ...ctx });
    expect(createAuditRepository({ db }).count()).toBe(events);
  });

  it('refuses a group that already serves another agency, moving nothing', () => {
    repo.bindAgencyChat({ agencyId: idOf('市科技局'), chatId: 'oc_shared', ...ctx });
    expect(
      codeOf(() => repo.bindAgencyChat({ agencyId: idOf('市财政局'), chatId: 'oc_shared', ...ctx })),
    ).toBe('store.chat_already_bound');
    expect(repo.findAgencyByChat('oc_shared')?.name).toBe('市科技局');
    expect(repo.chatOfAgency(idOf('市财政局'))).toBeNull();
  });

  it('refuses a second group for an agency that already has one', () => {
    repo.bindAgencyChat({ agencyId: idOf('市科技局'), chatId: 'oc_science', ...ctx });
    expect(
      codeOf(() => repo.bindAgencyChat({ agencyId: idOf('市科技局'), chatId: 'oc_other', ...ctx })),
    ).toBe('store.agency_already_bound');
    expect(repo.chatOfAgency(idOf('市科技局'))).toBe('oc_science');
  });

  it("refuses a special role over an agency's group, and an agency over a special group", () => {
    repo.bindAgencyChat({ agencyId: idOf('市科技局'), chatId: 'oc_science', ...ctx });
    repo.bindSpecialChat({ role: 'leaders', chatId: 'oc_leaders', ...ctx });
    expect(codeOf(() => repo.bindSpecialChat({ role: 'coordinators', chatId: 'oc_science', ...ctx }))).toBe(
      'store.chat_already_bound',
    );
    expect(
      codeOf(() => repo.bindAgencyChat({ agencyId: idOf('市财政局'), chatId: 'oc_leaders', ...ctx })),
    ).toBe('store.chat_already_bound');
    expect(repo.chatOfSpecial('coordinators')).toBeNull();
    expect(repo.chatOfAgency(idOf('市财政局'))).toBeNull();
  });

  it('refuses a second group for the same special role', () => {
    repo.bindSpecialChat({ role: 'coordinators', chatId: 'oc_coord', ...ctx });
    expect(codeOf(() => repo.bindSpecialChat({ role: 'coordinators', chatId: 'oc_coord2', ...ctx }))).toBe(
      'store.special_already_bound',
    );
    expect(repo.chatOfSpecial('coordinators')).toBe('oc_coord');
  });

  it('refuses the other special role on a special group, with a coded error rather than a SQL one', () => {
    repo.bindSpecialChat({ role: 'coordinators', chatId: 'oc_coord', ...ctx });
    expect(codeOf(() => repo.bindSpecialChat({ role: 'leaders', chatId: 'oc_coord', ...ctx }))).toBe(
      'store.chat_already_bound',
    );
    expect(repo.chatOfSpecial('leaders')).toBeNull();
  });

  it('refuses to give a collective a group of its own', () => {
    expect(
      codeOf(() => repo.bindAgencyChat({ agencyId: idOf('各有关单位'), chatId: 'oc_all', ...ctx })),
    ).toBe('store.agency_not_bindable');
  });

  it('unbinds whatever a group serves, audited, and does nothing for an unbound group', () => {
    repo.bindAgencyChat({ agencyId: idOf('市科技局'), chatId: 'oc_science', ...ctx });
    repo.bindSpecialChat({ role: 'leaders', chatId: 'oc_leaders', ...ctx });
    const audit = createAuditRepository({ db });
    const before = audit.count();

    expect(repo.unbindChat({ chatId: 'oc_science', ...ctx })).toMatchObject({
      kind: 'agency',
      agency: { name: '市科技局' },
    });
    expect(repo.unbindChat({ chatId: 'oc_leaders', ...ctx })).toEqual({ kind: 'special', role: 'leaders' });
    expect(repo.unbindChat({ chatId: 'oc_nobody', ...ctx })).toBeNull();

    expect(repo.bindingOfChat('oc_science')).toBeNull();
    expect(repo.chatOfSpecial('leaders')).toBeNull();
    expect(audit.count()).toBe(before + 2);
    expect(audit.list({ action: 'chat_unbound' })).toMatchObject([
      { entity: 'agency', before: { chatId: 'oc_science' }, after: { chatId: null } },
    ]);
    expect(audit.list({ entity: 'special_chat', action: 'unbound' })).toMatchObject([
      { entityId: 'leaders', before: { chatId: 'oc_leaders' } },
    ]);
    // Unbound first, the group can then serve something else.
    repo.bindSpecialChat({ role: 'coordinators', chatId: 'oc_science', ...ctx });
    expect(repo.bindingOfChat('oc_science')).toEqual({ kind: 'special', role: 'coordinators' });
  });

  it('refuses a registry chat id that a special group already holds', () => {
    repo.bindSpecialChat({ role: 'coordinators', chatId: 'oc_coord', ...ctx });
    const withChat = definitions.map((d) => (d.name === '市财政局' ? { ...d, chatId: 'oc_coord' } : d));
    expect(codeOf(() => repo.syncAgencies({ definitions: withChat, ...ctx }))).toBe(
      'store.chat_already_bound',
    );
    expect(repo.chatOfAgency(idOf('市财政局'))).toBeNull();
    // The refusal names the registry entry (numbered from 1) and the fix, like every registry problem.
    const entry = withChat.findIndex((d) => d.name === '市财政局') + 1;
    let error: DubanError | undefined;
    try {
      repo.syncAgencies({ definitions: withChat, ...ctx });
    } catch (e) {
      error = e as DubanError;
    }
    expect(error?.message).toBe(
      `agency registry entry ${entry} (市财政局): chatId "oc_coord" already serves the coordinators' group in the ledger.`,
    );
    expect(error?.hint).toMatch(/^To fix: correct the chatId in the registry/);
  });
});

describe('the database itself', () => {
  const run =
    (sql: string, ...params: unknown[]) =>
    () =>
      db.$client.prepare(sql).run(...params);

  it("refuses a direct write of a special group's chat into agencies", () => {
    repo.bindSpecialChat({ role: 'coordinators', chatId: 'oc_coord', ...ctx });
    expect(run('UPDATE agencies SET chat_id = ? WHERE id = ?', 'oc_coord', idOf('市科技局'))).toThrow(
      /special role/,
    );
    expect(
      run("INSERT INTO agencies (name, kind, chat_id) VALUES ('市新局', 'department', ?)", 'oc_coord'),
    ).toThrow(/special role/);
  });

  it("refuses a direct write of an agency's chat into special_chats", () => {
    repo.bindAgencyChat({ agencyId: idOf('市科技局'), chatId: 'oc_science', ...ctx });
    expect(
      run("INSERT INTO special_chats (role, chat_id, bound_at) VALUES ('leaders', ?, 'x')", 'oc_science'),
    ).toThrow(/agency/);
    repo.bindSpecialChat({ role: 'coordinators', chatId: 'oc_coord', ...ctx });
    expect(run("UPDATE special_chats SET chat_id = ? WHERE role = 'coordinators'", 'oc_science')).toThrow(
      /agency/,
    );
  });

  it('refuses one chat for two agencies and for both special roles', () => {
    repo.bindAgencyChat({ agencyId: idOf('市科技局'), chatId: 'oc_science', ...ctx });
    expect(run('UPDATE agencies SET chat_id = ? WHERE id = ?', 'oc_science', idOf('市财政局'))).toThrow(
      /UNIQUE/,
    );
    repo.bindSpecialChat({ role: 'coordinators', chatId: 'oc_coord', ...ctx });
    expect(
      run("INSERT INTO special_chats (role, chat_id, bound_at) VALUES ('leaders', ?, 'x')", 'oc_coord'),
    ).toThrow(/UNIQUE/);
  });

  it('still lets a group be unbound from an agency and bound elsewhere directly', () => {
    repo.bindAgencyChat({ agencyId: idOf('市科技局'), chatId: 'oc_science', ...ctx });
    run('UPDATE agencies SET chat_id = NULL WHERE id = ?', idOf('市科技局'))();
    run("INSERT INTO special_chats (role, chat_id, bound_at) VALUES ('leaders', ?, 'x')", 'oc_science')();
    expect(repo.bindingOfChat('oc_science')).toEqual({ kind: 'special', role: 'leaders' });
  });
});
