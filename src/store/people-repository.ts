import { and, asc, eq, isNotNull } from 'drizzle-orm';
import { agencyNotFound } from './agency-repository.js';
import { type AuditContext, createAuditRepository } from './audit-repository.js';
import type { DubanDatabase } from './database.js';
import { agencies, type PersonRow, people } from './schema/index.js';

export type PersonRole = PersonRow['role'];

export interface PersonView {
  openId: string;
  name: string | null;
  role: PersonRole;
  agencyId: number | null;
  /** Canonical name of the agency an official reports for. */
  agency: string | null;
}

/** People and their roles: coordinators, leaders, and the officials who report for an agency. */
export function createPeopleRepository({ db }: { db: DubanDatabase }) {
  const audit = createAuditRepository({ db });

  return {
    /**
     * Adds a person in a role (idempotent), or moves an official to another agency. An agency name the
     * ledger does not hold is `store.agency_not_found`.
     */
    upsertPerson(
      input: {
        openId: string;
        role: PersonRole;
        name?: string | null;
        agency?: string | null;
      } & AuditContext,
    ): void {
      const { openId, role, name, agency, ...ctx } = input;
      db.$client.transaction(() => {
        let agencyId: number | null = null;
        if (agency != null) {
          const found = db.select({ id: agencies.id }).from(agencies).where(eq(agencies.name, agency)).get();
          if (found === undefined) throw agencyNotFound(agency);
          agencyId = found.id;
        }
        const before = db
          .select()
          .from(people)
          .where(and(eq(people.openId, openId), eq(people.role, role)))
          .get();
        if (
          before !== undefined &&
          before.agencyId === agencyId &&
          (name === undefined || before.name === name)
        )
          return;
        db.insert(people)
          .values({ openId, role, name: name ?? null, agencyId, createdAt: ctx.at })
          .onConflictDoUpdate({
            target: [people.openId, people.role],
            set: { agencyId, ...(name === undefined ? {} : { name }) },
          })
          .run();
        audit.append({
          ...ctx,
          entity: 'person',
          entityId: openId,
          action: before ? 'updated' : 'created',
          before: before ? { role: before.role, agencyId: before.agencyId, name: before.name } : null,
          after: { role, agencyId, name: name ?? before?.name ?? null },
        });
      })();
    },

    listPeople(filter: { role?: PersonRole } = {}): PersonView[] {
      return db
        .select({
          openId: people.openId,
          name: people.name,
          role: people.role,
          agencyId: people.agencyId,
          agency: agencies.name,
        })
        .from(people)
        .leftJoin(agencies, eq(agencies.id, people.agencyId))
        .where(filter.role === undefined ? undefined : eq(people.role, filter.role))
        .orderBy(asc(people.id))
        .all();
    },

    /** The roles a person holds, in the order they were given. */
    rolesOf(openId: string): PersonRole[] {
      return db
        .select({ role: people.role })
        .from(people)
        .where(eq(people.openId, openId))
        .orderBy(asc(people.id))
        .all()
        .map((row) => row.role);
    },

    /** Ids of the agencies the person reports for as an official. */
    agenciesOf(openId: string): number[] {
      return db
        .select({ agencyId: people.agencyId })
        .from(people)
        .where(and(eq(people.openId, openId), eq(people.role, 'official'), isNotNull(people.agencyId)))
        .orderBy(asc(people.id))
        .all()
        .map((row) => row.agencyId as number);
    },
  };
}

export type PeopleRepository = ReturnType<typeof createPeopleRepository>;
