import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBotDirectory } from '../../../src/app.js';
import { createAgencyRepository } from '../../../src/store/agency-repository.js';
import { closeDatabase, type DubanDatabase } from '../../../src/store/database.js';
import { createPeopleRepository } from '../../../src/store/people-repository.js';
import { syncAgencyRegistry } from '../../../src/usecases/ledger-queries.js';
import { loadRegistry, memoryDb } from '../store/ledger-fixtures.js';

const at = new Date('2026-03-02T01:30:00Z');
let db: DubanDatabase;
beforeEach(() => {
  db = memoryDb();
  syncAgencyRegistry({ db, registry: loadRegistry(), now: at, actor: 'system', channel: 'system' });
});
afterEach(() => closeDatabase(db));

function directory() {
  return createBotDirectory({
    agencies: createAgencyRepository({ db }),
    people: createPeopleRepository({ db }),
    registry: loadRegistry(),
  });
}

describe('the bot directory', () => {
  it('offers only agencies a group can serve (no collectives)', () => {
    const offered = directory().listAgencies();
    expect(offered.length).toBeGreaterThan(10);
    expect(offered.some((a) => a.kind === 'collective')).toBe(false);
  });

  it('moves a group from one agency to another when the bot binds it, as /bind always did', () => {
    const dir = directory();
    const science = dir.findAgency('市科技局')!;
    const finance = dir.findAgency('市财政局')!;
    dir.bindAgency({ agencyId: science.id, chatId: 'oc_1', actor: 'ou_c', at });
    dir.bindAgency({ agencyId: finance.id, chatId: 'oc_1', actor: 'ou_c', at });
    expect(dir.agencyByChat('oc_1')?.name).toBe('市财政局');
    expect(dir.findAgency('市科技局')?.chatId).toBeNull();
    // The agency's previous group is released too: one group per agency.
    dir.bindAgency({ agencyId: finance.id, chatId: 'oc_2', actor: 'ou_c', at });
    expect(dir.agencyByChat('oc_1')).toBeUndefined();
  });

  it("turns an agency's group into a special group, and a special group into the other one", () => {
    const dir = directory();
    const science = dir.findAgency('市科技局')!;
    dir.bindAgency({ agencyId: science.id, chatId: 'oc_1', actor: 'ou_c', at });
    dir.bindSpecial({ role: 'coordinators', chatId: 'oc_1', actor: 'ou_c', at });
    expect(dir.specialChatRole('oc_1')).toBe('coordinators');
    expect(dir.agencyByChat('oc_1')).toBeUndefined();
    dir.bindSpecial({ role: 'leaders', chatId: 'oc_1', actor: 'ou_c', at });
    expect(dir.specialChatRole('oc_1')).toBe('leaders');
    expect(createAgencyRepository({ db }).chatOfSpecial('coordinators')).toBeNull();
  });

  it('reads roles and agencies of a person from the people repository', () => {
    const people = createPeopleRepository({ db });
    const ctx = { at: at.toISOString(), actor: 'config', channel: 'system' as const };
    people.upsertPerson({ openId: 'ou_o', role: 'official', agency: '市科技局', ...ctx });
    people.upsertPerson({ openId: 'ou_o', role: 'coordinator', ...ctx });
    const dir = directory();
    expect(dir.rolesOf('ou_o')).toEqual(['official', 'coordinator']);
    expect(dir.agenciesOf('ou_o')).toEqual([dir.findAgency('市科技局')?.id]);
  });
});
