import { and, asc, eq, isNotNull, isNull, type SQL } from 'drizzle-orm';
import type { GrantSource } from '../core/vocabulary.js';
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

/** A set of grants one source manages as a whole: e.g. the officials of agency 3 from its Lark group. */
export interface GrantScope {
  role: PersonRole;
  /** The agency of an official; null for coordinators and leaders. */
  agencyId: number | null;
  source: GrantSource;
}

export interface GrantHolder {
  openId: string;
  name: string | null;
}

/** People and their roles: coordinators, leaders, and the officials who report for an agency. */
export function createPeopleRepository({ db }: { db: DubanDatabase }) {
  const audit = createAuditRepository({ db });

  const agencyName = (agencyId: number | null): string | null =>
    agencyId === null
      ? null
      : (db.select({ name: agencies.name }).from(agencies).where(eq(agencies.id, agencyId)).get()?.name ??
        null);

  const inScope = (scope: GrantScope): SQL =>
    and(
      eq(people.role, scope.role),
      eq(people.source, scope.source),
      scope.agencyId === null ? isNull(people.agencyId) : eq(people.agencyId, scope.agencyId),
    ) as SQL;

  const describeGrant = (row: {
    role: PersonRole;
    agencyId: number | null;
    source: GrantSource;
    name: string | null;
  }) => ({
    role: row.role,
    agencyId: row.agencyId,
    agency: agencyName(row.agencyId),
    source: row.source,
    name: row.name,
  });

  /** Names belong to the person, not to one grant: every row of theirs learns it. */
  const rename = (openId: string, name: string): void => {
    db.update(people).set({ name }).where(eq(people.openId, openId)).run();
  };

  const knownName = (openId: string): string | null =>
    db
      .select({ name: people.name })
      .from(people)
      .where(and(eq(people.openId, openId), isNotNull(people.name)))
      .get()?.name ?? null;

  const grantInTx = (
    input: GrantScope & { openId: string; name?: string | null | undefined } & AuditContext,
  ): boolean => {
    const { openId, role, agencyId, source, name, ...ctx } = input;
    if (name != null && name !== '') rename(openId, name);
    const existing = db
      .select({ id: people.id })
      .from(people)
      .where(and(eq(people.openId, openId), inScope({ role, agencyId, source })))
      .get();
    if (existing !== undefined) return false;
    const shownName = name != null && name !== '' ? name : knownName(openId);
    db.insert(people).values({ openId, role, agencyId, source, name: shownName, createdAt: ctx.at }).run();
    audit.append({
      ...ctx,
      agencyId,
      entity: 'person',
      entityId: openId,
      action: 'granted',
      before: null,
      after: describeGrant({ role, agencyId, source, name: shownName }),
    });
    return true;
  };

  const revokeInTx = (input: GrantScope & { openId: string } & AuditContext): boolean => {
    const { openId, role, agencyId, source, ...ctx } = input;
    const row = db
      .select()
      .from(people)
      .where(and(eq(people.openId, openId), inScope({ role, agencyId, source })))
      .get();
    if (row === undefined) return false;
    db.delete(people).where(eq(people.id, row.id)).run();
    audit.append({
      ...ctx,
      agencyId: row.agencyId,
      entity: 'person',
      entityId: openId,
      action: 'revoked',
      before: describeGrant(row),
      after: null,
    });
    return true;
  };

  return {
    /**
     * Adds a person in a role (idempotent), or moves an official to another agency, as one source
     * (default 'config') sees it. An agency name the ledger does not hold is `store.agency_not_found`.
     */
    upsertPerson(
      input: {
        openId: string;
        role: PersonRole;
        name?: string | null;
        agency?: string | null;
        source?: GrantSource;
      } & AuditContext,
    ): void {
      const { openId, role, name, agency, source = 'config', ...ctx } = input;
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
          .where(and(eq(people.openId, openId), eq(people.role, role), eq(people.source, source)))
          .orderBy(asc(people.id))
          .get();
        if (
          before !== undefined &&
          before.agencyId === agencyId &&
          (name === undefined || before.name === name)
        )
          return;
        if (before === undefined) {
          db.insert(people)
            .values({ openId, role, source, name: name ?? null, agencyId, createdAt: ctx.at })
            .run();
        } else {
          db.update(people)
            .set({ agencyId, ...(name === undefined ? {} : { name }) })
            .where(eq(people.id, before.id))
            .run();
        }
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

    /** Grants a role from one source; false when that source already granted it. Audited as 'granted'. */
    grant(input: GrantScope & { openId: string; name?: string | null | undefined } & AuditContext): boolean {
      return db.$client.transaction(() => grantInTx(input))();
    },

    /** Ends one source's grant; another source's grant of the same role stays. Audited as 'revoked'. */
    revoke(input: GrantScope & { openId: string } & AuditContext): boolean {
      return db.$client.transaction(() => revokeInTx(input))();
    },

    /**
     * Makes the scope's grants exactly `holders` (a group's members, a configured list): grants the new,
     * revokes the rest, in one transaction.
     */
    replaceGrants(
      input: GrantScope & {
        holders: readonly { openId: string; name?: string | null | undefined }[];
      } & AuditContext,
    ): { granted: string[]; revoked: string[] } {
      const { holders, role, agencyId, source, ...ctx } = input;
      return db.$client.transaction(() => {
        const scope = { role, agencyId, source };
        const wanted = new Map(holders.map((h) => [h.openId, h.name]));
        const granted: string[] = [];
        const revoked: string[] = [];
        for (const row of db.select({ openId: people.openId }).from(people).where(inScope(scope)).all()) {
          if (!wanted.has(row.openId) && revokeInTx({ ...scope, openId: row.openId, ...ctx }))
            revoked.push(row.openId);
        }
        for (const [openId, name] of wanted) {
          if (grantInTx({ ...scope, openId, name, ...ctx })) granted.push(openId);
        }
        return { granted, revoked };
      })();
    },

    /** Who holds the scope's grants, in the order they were given. */
    holdersOf(scope: GrantScope): GrantHolder[] {
      return db
        .select({ openId: people.openId, name: people.name })
        .from(people)
        .where(inScope(scope))
        .orderBy(asc(people.id))
        .all();
    },

    /** The (role, agency) pairs a source holds grants in, e.g. to clear groups no longer bound. */
    scopesOf(source: GrantSource): GrantScope[] {
      return db
        .selectDistinct({ role: people.role, agencyId: people.agencyId })
        .from(people)
        .where(eq(people.source, source))
        .all()
        .map((row) => ({ ...row, source }));
    },

    /** The person's display name as last learned from Lark, or null. */
    nameOf(openId: string): string | null {
      return knownName(openId);
    },

    /**
     * Every grant, one row per (person, role, agency, source): someone both in a group and in the
     * configuration appears twice.
     */
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

    /** The roles a person holds, in the order they were first given, whatever their source. */
    rolesOf(openId: string): PersonRole[] {
      const roles = db
        .select({ role: people.role })
        .from(people)
        .where(eq(people.openId, openId))
        .orderBy(asc(people.id))
        .all()
        .map((row) => row.role);
      return [...new Set(roles)];
    },

    /** Ids of the agencies the person reports for as an official, whatever the source. */
    agenciesOf(openId: string): number[] {
      const ids = db
        .select({ agencyId: people.agencyId })
        .from(people)
        .where(and(eq(people.openId, openId), eq(people.role, 'official'), isNotNull(people.agencyId)))
        .orderBy(asc(people.id))
        .all()
        .map((row) => row.agencyId as number);
      return [...new Set(ids)];
    },
  };
}

export type PeopleRepository = ReturnType<typeof createPeopleRepository>;
