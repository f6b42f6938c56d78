import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDubanError } from '../../../src/core/errors.js';
import { createAgencyRepository } from '../../../src/store/agency-repository.js';
import { createAuditRepository } from '../../../src/store/audit-repository.js';
import { closeDatabase, type DubanDatabase } from '../../../src/store/database.js';
import { createPeopleRepository, type PeopleRepository } from '../../../src/store/people-repository.js';
import { memoryDb } from './ledger-fixtures.js';

const ctx = { at: '2026-03-02T01:30:00.000Z', actor: 'config', channel: 'system' as const };

let db: DubanDatabase;
let people: PeopleRepository;
beforeEach(() => {
  db = memoryDb();
  createAgencyRepository({ db }).syncAgencies({
    definitions: [
      { name: '市科技局', aliases: [], kind: 'department' },
      { name: '市财政局', aliases: [], kind: 'department' },
    ],
    ...ctx,
  });
  people = createPeopleRepository({ db });
});
afterEach(() => closeDatabase(db));

const agencyId = (name: string) => createAgencyRepository({ db }).requireAgency(name).id;

describe('people', () => {
  it('adds a person once per role, and records who and when in the audit log', () => {
    people.upsertPerson({ openId: 'ou_a', role: 'coordinator', name: '张三', ...ctx });
    people.upsertPerson({ openId: 'ou_a', role: 'coordinator', name: '张三', ...ctx });
    people.upsertPerson({ openId: 'ou_a', role: 'coordinator', ...ctx });
    expect(people.listPeople()).toEqual([
      { openId: 'ou_a', name: '张三', role: 'coordinator', agencyId: null, agency: null },
    ]);
    expect(createAuditRepository({ db }).list({ entity: 'person' })).toMatchObject([
      { entityId: 'ou_a', action: 'created', actor: 'config', after: { role: 'coordinator', name: '张三' } },
    ]);
  });

  it('moves an official to another agency, keeping the name', () => {
    people.upsertPerson({ openId: 'ou_b', role: 'official', name: '李四', agency: '市科技局', ...ctx });
    people.upsertPerson({ openId: 'ou_b', role: 'official', agency: '市财政局', ...ctx });
    expect(people.listPeople({ role: 'official' })).toEqual([
      { openId: 'ou_b', name: '李四', role: 'official', agencyId: agencyId('市财政局'), agency: '市财政局' },
    ]);
    expect(createAuditRepository({ db }).list({ entity: 'person', action: 'updated' })).toHaveLength(1);
  });

  it('refuses an official for an agency the ledger does not hold', () => {
    let error: unknown;
    try {
      people.upsertPerson({ openId: 'ou_c', role: 'official', agency: '市未知局', ...ctx });
    } catch (e) {
      error = e;
    }
    expect(isDubanError(error, 'store.agency_not_found')).toBe(true);
    expect(people.listPeople()).toEqual([]);
  });

  it('tells the roles a person holds and the agencies they report for', () => {
    people.upsertPerson({ openId: 'ou_d', role: 'official', agency: '市科技局', ...ctx });
    people.upsertPerson({ openId: 'ou_d', role: 'coordinator', ...ctx });
    people.upsertPerson({ openId: 'ou_e', role: 'official', agency: '市财政局', ...ctx });
    people.upsertPerson({ openId: 'ou_f', role: 'leader', ...ctx });
    expect(people.rolesOf('ou_d')).toEqual(['official', 'coordinator']);
    expect(people.rolesOf('ou_f')).toEqual(['leader']);
    expect(people.rolesOf('ou_stranger')).toEqual([]);
    expect(people.agenciesOf('ou_d')).toEqual([agencyId('市科技局')]);
    expect(people.agenciesOf('ou_f')).toEqual([]);
    expect(people.listPeople({ role: 'official' }).map((p) => p.openId)).toEqual(['ou_d', 'ou_e']);
  });
});
