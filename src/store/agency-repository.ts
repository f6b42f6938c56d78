import { and, asc, eq, ne } from 'drizzle-orm';
import { DubanError } from '../core/errors.js';
import type { AgencyDefinition, AgencyKind, CollectiveScope } from '../core/policy/types.js';
import { type AuditContext, createAuditRepository } from './audit-repository.js';
import type { DubanDatabase } from './database.js';
import {
  type AgencyRow,
  agencies,
  agencyAliases,
  type SpecialChatRow,
  specialChats,
} from './schema/index.js';

/** The two groups that serve a role rather than an agency. */
export type SpecialRole = SpecialChatRow['role'];

export interface AgencyView {
  id: number;
  name: string;
  kind: AgencyKind;
  expandsTo: CollectiveScope | null;
  aliases: string[];
  chatId: string | null;
  contactOpenId: string | null;
  paused: boolean;
  /** Last paused day (`YYYY-MM-DD`, Asia/Shanghai, inclusive); null while paused = until resumed. */
  pausedUntil: string | null;
  /** False once config/agencies.json no longer lists it. */
  active: boolean;
}

/** What a Lark group serves: one agency, one special role, or (null) nothing yet. */
export type ChatBinding = { kind: 'agency'; agency: AgencyView } | { kind: 'special'; role: SpecialRole };

export interface PauseState {
  paused: boolean;
  pausedUntil: string | null;
}

export interface SyncAgenciesResult {
  added: string[];
  updated: string[];
  deactivated: string[];
}

export interface ListAgenciesOptions {
  includeInactive?: boolean;
  /** Only agencies a group can be bound to: active, and not a collective (各有关单位, 有关区 …). */
  bindableOnly?: boolean;
}

/** The one refusal for a name or id the agencies table does not hold. */
export function agencyNotFound(agency: string | number): DubanError {
  const named = typeof agency === 'number' ? `#${agency}` : `"${agency}"`;
  return new DubanError('store.agency_not_found', `No agency ${named} in the ledger.`, {
    hint: 'Check the name against config/agencies.json, or run `duban agencies` to list the known agencies.',
    details: { agency },
  });
}

function describeBinding(binding: ChatBinding): string {
  return binding.kind === 'agency' ? `the agency ${binding.agency.name}` : `the ${binding.role}' group`;
}

function agencyFields(row: AgencyRow) {
  return {
    name: row.name,
    kind: row.kind,
    expandsTo: row.expandsTo,
    chatId: row.chatId,
    contactOpenId: row.contactOpenId,
    paused: row.paused,
    pausedUntil: row.pausedUntil,
    active: row.active,
  };
}

/** Agencies and their aliases, contacts, pauses and chat bindings, plus the two special groups. */
export function createAgencyRepository({ db }: { db: DubanDatabase }) {
  const audit = createAuditRepository({ db });
  const inTransaction = <T>(fn: () => T): T => db.$client.transaction(fn)();

  function aliasesByAgency(): Map<number, string[]> {
    const map = new Map<number, string[]>();
    for (const row of db.select().from(agencyAliases).orderBy(asc(agencyAliases.id)).all()) {
      const list = map.get(row.agencyId) ?? [];
      list.push(row.alias);
      map.set(row.agencyId, list);
    }
    return map;
  }

  function aliasesOf(agencyId: number): string[] {
    return db
      .select({ alias: agencyAliases.alias })
      .from(agencyAliases)
      .where(eq(agencyAliases.agencyId, agencyId))
      .orderBy(asc(agencyAliases.id))
      .all()
      .map((row) => row.alias);
  }

  function toView(row: AgencyRow, aliases: string[]): AgencyView {
    return {
      id: row.id,
      name: row.name,
      kind: row.kind,
      expandsTo: row.expandsTo,
      aliases,
      chatId: row.chatId,
      contactOpenId: row.contactOpenId,
      paused: row.paused,
      pausedUntil: row.pausedUntil,
      active: row.active,
    };
  }

  const viewOf = (row: AgencyRow): AgencyView => toView(row, aliasesOf(row.id));

  /** By canonical name or id; throws `store.agency_not_found`. */
  function requireRow(agency: string | number): AgencyRow {
    const row =
      typeof agency === 'number'
        ? db.select().from(agencies).where(eq(agencies.id, agency)).get()
        : db.select().from(agencies).where(eq(agencies.name, agency.trim())).get();
    if (row === undefined) throw agencyNotFound(agency);
    return row;
  }

  function bindingOfChat(chatId: string): ChatBinding | null {
    const agency = db.select().from(agencies).where(eq(agencies.chatId, chatId)).get();
    if (agency !== undefined) return { kind: 'agency', agency: viewOf(agency) };
    const special = db.select().from(specialChats).where(eq(specialChats.chatId, chatId)).get();
    return special === undefined ? null : { kind: 'special', role: special.role };
  }

  function chatOfSpecial(role: SpecialRole): string | null {
    return db.select().from(specialChats).where(eq(specialChats.role, role)).get()?.chatId ?? null;
  }

  function refuseBoundChat(chatId: string, binding: ChatBinding): never {
    throw new DubanError(
      'store.chat_already_bound',
      `The group ${chatId} already serves ${describeBinding(binding)}.`,
      {
        hint: 'Unbind the group first; a group serves one agency or one special role at a time.',
        details: { chatId, binding: binding.kind === 'agency' ? { agency: binding.agency.name } : binding },
      },
    );
  }

  /**
   * A chat the registry names for an agency must not already serve something else. The refusal names
   * the registry entry (numbered from 1, in file order) like every other registry problem.
   */
  function assertChatFreeFor(chatId: string, agencyId: number | null, def: AgencyDefinition, entry: number) {
    const binding = bindingOfChat(chatId);
    if (binding === null) return;
    if (binding.kind === 'agency' && binding.agency.id === agencyId) return;
    throw new DubanError(
      'store.chat_already_bound',
      `agency registry entry ${entry} (${def.name}): chatId "${chatId}" already serves ${describeBinding(binding)} in the ledger.`,
      {
        hint: 'To fix: correct the chatId in the registry (config/agencies.json), or unbind the group first (/unbind, or duban unbind CHAT_ID).',
        details: {
          entry,
          agency: def.name,
          chatId,
          binding: binding.kind === 'agency' ? { agency: binding.agency.name } : binding,
        },
      },
    );
  }

  function syncAgencies(definitions: AgencyDefinition[], ctx: AuditContext): SyncAgenciesResult {
    const result: SyncAgenciesResult = { added: [], updated: [], deactivated: [] };
    const existing = new Map(
      db
        .select()
        .from(agencies)
        .all()
        .map((row) => [row.name, row]),
    );
    const aliases = aliasesByAgency();
    const seen = new Set<string>();
    for (const [index, def] of definitions.entries()) {
      seen.add(def.name);
      const row = existing.get(def.name);
      let id: number;
      if (row === undefined) {
        const chatId = def.chatId ?? null;
        if (chatId !== null) assertChatFreeFor(chatId, null, def, index + 1);
        const inserted = db
          .insert(agencies)
          .values({
            name: def.name,
            kind: def.kind,
            expandsTo: def.expandsTo ?? null,
            chatId,
            contactOpenId: def.contactOpenId ?? null,
          })
          .returning()
          .get();
        id = inserted.id;
        result.added.push(def.name);
        audit.append({
          ...ctx,
          entity: 'agency',
          entityId: id,
          action: 'created',
          after: agencyFields(inserted),
        });
      } else {
        id = row.id;
        // A binding made through /bind is kept; the config only fills a chat or contact not yet stored.
        const next = {
          kind: def.kind,
          expandsTo: def.expandsTo ?? null,
          chatId: row.chatId ?? def.chatId ?? null,
          contactOpenId: row.contactOpenId ?? def.contactOpenId ?? null,
          active: true,
        };
        const changed = (Object.keys(next) as (keyof typeof next)[]).some((k) => next[k] !== row[k]);
        if (changed) {
          if (next.chatId !== null && next.chatId !== row.chatId)
            assertChatFreeFor(next.chatId, id, def, index + 1);
          const updated = db.update(agencies).set(next).where(eq(agencies.id, id)).returning().get();
          result.updated.push(def.name);
          audit.append({
            ...ctx,
            entity: 'agency',
            entityId: id,
            action: 'updated',
            before: agencyFields(row),
            after: agencyFields(updated),
          });
        }
      }
      const stored = aliases.get(id) ?? [];
      const wanted = def.aliases.filter((a) => a !== def.name);
      if (stored.length !== wanted.length || stored.some((a, i) => a !== wanted[i])) {
        if (stored.length > 0) db.delete(agencyAliases).where(eq(agencyAliases.agencyId, id)).run();
        if (wanted.length > 0)
          db.insert(agencyAliases)
            .values(wanted.map((alias) => ({ agencyId: id, alias })))
            .run();
        if (row !== undefined) {
          if (!result.updated.includes(def.name)) result.updated.push(def.name);
          audit.append({
            ...ctx,
            entity: 'agency',
            entityId: id,
            action: 'aliases_changed',
            before: { aliases: stored },
            after: { aliases: wanted },
          });
        }
      }
    }
    for (const row of existing.values()) {
      if (seen.has(row.name) || !row.active) continue;
      db.update(agencies).set({ active: false }).where(eq(agencies.id, row.id)).run();
      result.deactivated.push(row.name);
      audit.append({
        ...ctx,
        entity: 'agency',
        entityId: row.id,
        action: 'deactivated',
        before: { active: true },
        after: { active: false },
      });
    }
    return result;
  }

  return {
    /** Runs `fn` in one transaction (a savepoint when already inside one); `fn` must be synchronous. */
    transaction: inTransaction,

    /**
     * Brings the agencies table in line with config/agencies.json: new entries added, kinds and aliases
     * updated, entries gone from the file deactivated (never deleted). Chat bindings already stored stay.
     */
    syncAgencies(input: { definitions: AgencyDefinition[] } & AuditContext): SyncAgenciesResult {
      const { definitions, ...ctx } = input;
      return inTransaction(() => syncAgencies(definitions, ctx));
    },

    listAgencies(options: ListAgenciesOptions = {}): AgencyView[] {
      const aliases = aliasesByAgency();
      const active = options.includeInactive && !options.bindableOnly ? undefined : eq(agencies.active, true);
      const bindable = options.bindableOnly ? ne(agencies.kind, 'collective') : undefined;
      return db
        .select()
        .from(agencies)
        .where(and(active, bindable))
        .orderBy(asc(agencies.id))
        .all()
        .map((row) => toView(row, aliases.get(row.id) ?? []));
    },

    getAgency(id: number): AgencyView | null {
      const row = db.select().from(agencies).where(eq(agencies.id, id)).get();
      return row === undefined ? null : viewOf(row);
    },

    /** By canonical name or stored alias, exactly. */
    findAgency(name: string): AgencyView | null {
      const trimmed = name.trim();
      const row =
        db.select().from(agencies).where(eq(agencies.name, trimmed)).get() ??
        db
          .select({ agency: agencies })
          .from(agencyAliases)
          .innerJoin(agencies, eq(agencies.id, agencyAliases.agencyId))
          .where(eq(agencyAliases.alias, trimmed))
          .get()?.agency;
      return row === undefined ? null : viewOf(row);
    },

    /** By canonical name or id; an unknown one is `store.agency_not_found`. */
    requireAgency(agency: string | number): AgencyView {
      return viewOf(requireRow(agency));
    },

    findAgencyByChat(chatId: string): AgencyView | null {
      const row = db.select().from(agencies).where(eq(agencies.chatId, chatId)).get();
      return row === undefined ? null : viewOf(row);
    },

    setAgencyContact(input: { agency: string; contactOpenId: string | null } & AuditContext): void {
      const { agency, contactOpenId, ...ctx } = input;
      inTransaction(() => {
        const row = requireRow(agency);
        if (row.contactOpenId === contactOpenId) return;
        db.update(agencies).set({ contactOpenId }).where(eq(agencies.id, row.id)).run();
        audit.append({
          ...ctx,
          agencyId: row.id,
          entity: 'agency',
          entityId: row.id,
          action: 'contact_set',
          before: { contactOpenId: row.contactOpenId },
          after: { contactOpenId },
        });
      });
    },

    /**
     * Pauses (until a day, or until resumed) or resumes one agency's prompts. Returns the change, or null
     * when the agency already stood so.
     */
    setAgencyPause(
      input: { agencyId: number; paused: boolean; pausedUntil?: string | null } & AuditContext,
    ): { before: PauseState; after: PauseState } | null {
      const { agencyId, paused, pausedUntil, ...ctx } = input;
      return inTransaction(() => {
        const row = requireRow(agencyId);
        const before: PauseState = { paused: row.paused, pausedUntil: row.pausedUntil };
        const after: PauseState = { paused, pausedUntil: paused ? (pausedUntil ?? null) : null };
        if (before.paused === after.paused && before.pausedUntil === after.pausedUntil) return null;
        db.update(agencies).set(after).where(eq(agencies.id, row.id)).run();
        audit.append({
          ...ctx,
          agencyId: row.id,
          entity: 'agency',
          entityId: row.id,
          action: paused ? 'paused' : 'resumed',
          before,
          after,
        });
        return { before, after };
      });
    },

    /** What the group serves: an agency, a special role, or nothing (null). */
    bindingOfChat,

    chatOfAgency(agencyId: number): string | null {
      return requireRow(agencyId).chatId;
    },

    chatOfSpecial,

    /** Removes whatever binding the group has (audited); returns it, or null when it had none. */
    unbindChat(input: { chatId: string } & AuditContext): ChatBinding | null {
      const { chatId, ...ctx } = input;
      return inTransaction(() => {
        const binding = bindingOfChat(chatId);
        if (binding === null) return null;
        if (binding.kind === 'agency') {
          db.update(agencies).set({ chatId: null }).where(eq(agencies.id, binding.agency.id)).run();
          audit.append({
            ...ctx,
            agencyId: binding.agency.id,
            entity: 'agency',
            entityId: binding.agency.id,
            action: 'chat_unbound',
            before: { chatId },
            after: { chatId: null },
          });
        } else {
          db.delete(specialChats).where(eq(specialChats.role, binding.role)).run();
          audit.append({
            ...ctx,
            entity: 'special_chat',
            entityId: binding.role,
            action: 'unbound',
            before: { chatId },
            after: null,
          });
        }
        return binding;
      });
    },

    /**
     * Binds a group to an agency. Refuses, moving nothing, when the group serves something else
     * (`store.chat_already_bound`) or the agency has another group (`store.agency_already_bound`);
     * binding the same pair again changes nothing.
     */
    bindAgencyChat(input: { agencyId: number; chatId: string } & AuditContext): AgencyView {
      const { agencyId, chatId, ...ctx } = input;
      return inTransaction(() => {
        const row = requireRow(agencyId);
        if (row.chatId === chatId) return viewOf(row);
        if (row.kind === 'collective') {
          throw new DubanError(
            'store.agency_not_bindable',
            `${row.name} is a collective name (it stands for other agencies) and has no group of its own.`,
            { hint: 'Bind a specific agency instead.', details: { agency: row.name } },
          );
        }
        const binding = bindingOfChat(chatId);
        if (binding !== null) refuseBoundChat(chatId, binding);
        if (row.chatId !== null) {
          throw new DubanError(
            'store.agency_already_bound',
            `${row.name} is already bound to the group ${row.chatId}.`,
            {
              hint: 'Unbind its current group first; an agency has one group.',
              details: { agency: row.name, chatId: row.chatId },
            },
          );
        }
        const updated = db.update(agencies).set({ chatId }).where(eq(agencies.id, row.id)).returning().get();
        audit.append({
          ...ctx,
          agencyId: row.id,
          entity: 'agency',
          entityId: row.id,
          action: 'chat_bound',
          before: { chatId: row.chatId },
          after: { chatId },
        });
        return viewOf(updated);
      });
    },

    /**
     * Makes a group the coordinators' or the leaders' group. Refuses like `bindAgencyChat`
     * (`store.chat_already_bound`, `store.special_already_bound`); the same pair again changes nothing.
     */
    bindSpecialChat(input: { role: SpecialRole; chatId: string } & AuditContext): void {
      const { role, chatId, ...ctx } = input;
      inTransaction(() => {
        const current = chatOfSpecial(role);
        if (current === chatId) return;
        const binding = bindingOfChat(chatId);
        if (binding !== null) refuseBoundChat(chatId, binding);
        if (current !== null) {
          throw new DubanError('store.special_already_bound', `The ${role}' group is already ${current}.`, {
            hint: 'Unbind that group first; each special role has one group.',
            details: { role, chatId: current },
          });
        }
        db.insert(specialChats).values({ role, chatId, boundAt: ctx.at }).run();
        audit.append({
          ...ctx,
          entity: 'special_chat',
          entityId: role,
          action: 'bound',
          before: null,
          after: { chatId },
        });
      });
    },
  };
}

export type AgencyRepository = ReturnType<typeof createAgencyRepository>;
