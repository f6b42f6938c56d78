/**
 * Who may act for what, as Lark and the configuration say. A member of the group bound to agency X is an
 * official of X; a member of the coordinators' (leaders') group is a coordinator (leader). The settings
 * and config/agencies.json grant the same roles by open_id. Each source grants and revokes only its own:
 * leaving the group does not end a role the configuration still grants, and the reverse. Every grant and
 * revocation is audited by the people repository.
 */
import type { Clock } from '../core/clock.js';
import type { AgencyDefinition } from '../core/policy/types.js';
import type { PersonRole, SpecialChatRole } from '../core/vocabulary.js';
import type { Logger } from '../logger.js';
import type { ChatMember, ChatPort } from '../ports/chat.js';
import type { AuditChannel, AuditSource } from '../store/audit-repository.js';
import type { GrantScope, PeopleRepository } from '../store/people-repository.js';
import { auditSource } from './audit-source.js';
import type { BindingStore, ChatBinding } from './bind-chat.js';

const SPECIAL_ROLE: Record<SpecialChatRole, PersonRole> = { coordinators: 'coordinator', leaders: 'leader' };

/** The role a group's members hold, or null for a group bound to nothing. */
export function scopeOfBinding(binding: ChatBinding | null): Omit<GrantScope, 'source'> | null {
  if (binding === null) return null;
  return binding.kind === 'agency'
    ? { role: 'official', agencyId: binding.agencyId }
    : { role: SPECIAL_ROLE[binding.role], agencyId: null };
}

export type MembershipPeople = Pick<
  PeopleRepository,
  'replaceGrants' | 'grant' | 'revoke' | 'scopesOf' | 'nameOf'
>;

/** What membership needs to know about agencies and their groups. */
export interface MembershipAgencies extends Pick<BindingStore, 'bindingOfChat' | 'chatOfSpecial'> {
  listAgencies(options?: {
    includeInactive?: boolean;
  }): { id: number; name: string; active: boolean; chatId: string | null }[];
}

export interface MembershipDeps {
  people: MembershipPeople;
  agencies: MembershipAgencies;
  chat: Pick<ChatPort, 'listChatMembers' | 'userName'>;
  clock: Clock;
  logger: Logger;
}

export interface MembershipSync {
  chatId: string;
  granted: string[];
  revoked: string[];
}

interface Who {
  actor: string;
  channel: AuditChannel;
}

export function createMembership(deps: MembershipDeps) {
  const { people, agencies, chat, logger } = deps;

  const bindingOf = (chatId: string): ChatBinding | null => {
    const stored = agencies.bindingOfChat(chatId);
    if (stored === null) return null;
    return stored.kind === 'agency'
      ? { kind: 'agency', agencyId: stored.agency.id, agency: stored.agency.name }
      : { kind: 'special', role: stored.role };
  };

  /**
   * The contact API's name where the scope and contact range allow it, else the name Lark gave with the
   * membership, else none (the open_id is shown). A name already known is not asked for again.
   */
  const nameFor = async (openId: string, listed: string | undefined): Promise<string | null> => {
    const known = people.nameOf(openId);
    if (known !== null) return known;
    const fromContact = await chat.userName(openId).catch((error: unknown) => {
      logger.warn({ err: error, openId }, 'could not read a user name; the open_id is shown instead');
      return null;
    });
    return fromContact ?? (listed !== undefined && listed !== '' ? listed : null);
  };

  const withNames = async (members: readonly { openId: string; name?: string | undefined }[]) => {
    const holders: { openId: string; name: string | null }[] = [];
    for (const m of members) holders.push({ openId: m.openId, name: await nameFor(m.openId, m.name) });
    return holders;
  };

  /** Makes the group's members exactly the holders of its role from the 'chat' source. */
  async function syncChatMembers(input: { chatId: string } & Partial<Who>): Promise<MembershipSync | null> {
    const scope = scopeOfBinding(bindingOf(input.chatId));
    if (scope === null) return null;
    const members: ChatMember[] = await chat.listChatMembers(input.chatId);
    const holders = await withNames(members);
    const result = people.replaceGrants({
      ...scope,
      source: 'chat',
      holders,
      actor: input.actor ?? 'system',
      channel: input.channel ?? 'system',
      at: deps.clock.now().toISOString(),
    });
    if (result.granted.length > 0 || result.revoked.length > 0)
      logger.info({ chatId: input.chatId, ...scope, ...result }, 'group members synced');
    return { chatId: input.chatId, ...result };
  }

  /** A group lost its binding: the role its members held through it ends. */
  function forgetBinding(input: { binding: ChatBinding } & Who): string[] {
    const scope = scopeOfBinding(input.binding);
    if (scope === null) return [];
    return people.replaceGrants({
      ...scope,
      source: 'chat',
      holders: [],
      actor: input.actor,
      channel: input.channel,
      at: deps.clock.now().toISOString(),
    }).revoked;
  }

  /** im.chat.member.user.added_v1: the new members hold the group's role at once. */
  async function memberJoined(input: {
    chatId: string;
    users: readonly { openId: string; name?: string | undefined }[];
    operatorOpenId?: string | undefined;
    /** The membership event, for the audit trail. */
    source?: AuditSource | undefined;
  }): Promise<string[]> {
    const scope = scopeOfBinding(bindingOf(input.chatId));
    if (scope === null) return [];
    const granted: string[] = [];
    for (const user of await withNames(input.users)) {
      const given = people.grant({
        ...scope,
        source: 'chat',
        openId: user.openId,
        name: user.name,
        actor: input.operatorOpenId ?? user.openId,
        channel: 'chat',
        at: deps.clock.now().toISOString(),
        ...auditSource(input.source),
      });
      if (given) granted.push(user.openId);
    }
    return granted;
  }

  /** im.chat.member.user.deleted_v1: whoever left loses the group's role at once. */
  function memberLeft(input: {
    chatId: string;
    users: readonly { openId: string }[];
    operatorOpenId?: string | undefined;
    source?: AuditSource | undefined;
  }): string[] {
    const scope = scopeOfBinding(bindingOf(input.chatId));
    if (scope === null) return [];
    const revoked: string[] = [];
    for (const user of input.users) {
      const ended = people.revoke({
        ...scope,
        source: 'chat',
        openId: user.openId,
        actor: input.operatorOpenId ?? user.openId,
        channel: 'chat',
        at: deps.clock.now().toISOString(),
        ...auditSource(input.source),
      });
      if (ended) revoked.push(user.openId);
    }
    return revoked;
  }

  /**
   * Start-up: reads every bound group's members (a group that cannot be read is logged and keeps what the
   * ledger knew), and ends the group grants of agencies and roles that have no group any more.
   */
  async function syncAllBoundChats(): Promise<{ synced: MembershipSync[]; failed: string[] }> {
    const bound: string[] = [];
    const boundScopes = new Set<string>();
    const key = (s: { role: PersonRole; agencyId: number | null }) => `${s.role}:${s.agencyId ?? ''}`;
    for (const agency of agencies.listAgencies()) {
      if (agency.chatId === null) continue;
      bound.push(agency.chatId);
      boundScopes.add(key({ role: 'official', agencyId: agency.id }));
    }
    for (const role of ['coordinators', 'leaders'] as const) {
      const chatId = agencies.chatOfSpecial(role);
      if (chatId === null) continue;
      bound.push(chatId);
      boundScopes.add(key({ role: SPECIAL_ROLE[role], agencyId: null }));
    }
    const at = deps.clock.now().toISOString();
    for (const scope of people.scopesOf('chat')) {
      if (boundScopes.has(key(scope))) continue;
      people.replaceGrants({ ...scope, holders: [], actor: 'system', channel: 'system', at });
    }
    const synced: MembershipSync[] = [];
    const failed: string[] = [];
    for (const chatId of bound) {
      try {
        const result = await syncChatMembers({ chatId });
        if (result !== null) synced.push(result);
      } catch (error) {
        failed.push(chatId);
        logger.warn(
          { err: error, chatId },
          'could not read a bound group’s members; its people stay as they were',
        );
      }
    }
    return { synced, failed };
  }

  return { syncChatMembers, forgetBinding, memberJoined, memberLeft, syncAllBoundChats };
}

export type Membership = ReturnType<typeof createMembership>;

/**
 * The roles the configuration grants, made exact at start-up: coordinators and leaders from the settings,
 * officials from each agency's `contactOpenId` and `officials` in config/agencies.json. Someone removed
 * from the configuration loses the configured role (a role their group gives them stays).
 */
export function syncConfiguredRoles(input: {
  people: Pick<PeopleRepository, 'replaceGrants'>;
  agencies: Pick<MembershipAgencies, 'listAgencies'>;
  definitions: readonly AgencyDefinition[];
  coordinators: readonly string[];
  leaders: readonly string[];
  now: Date;
}): { granted: number; revoked: number } {
  const audit = { actor: 'config', channel: 'system' as const, at: input.now.toISOString() };
  let granted = 0;
  let revoked = 0;
  const apply = (scope: Omit<GrantScope, 'source'>, openIds: readonly string[]) => {
    const result = input.people.replaceGrants({
      ...scope,
      source: 'config',
      holders: [...new Set(openIds)].map((openId) => ({ openId })),
      ...audit,
    });
    granted += result.granted.length;
    revoked += result.revoked.length;
  };
  apply({ role: 'coordinator', agencyId: null }, input.coordinators);
  apply({ role: 'leader', agencyId: null }, input.leaders);
  const byName = new Map(input.definitions.map((d) => [d.name, d]));
  for (const agency of input.agencies.listAgencies({ includeInactive: true })) {
    const def = agency.active ? byName.get(agency.name) : undefined;
    const openIds =
      def === undefined ? [] : [...(def.contactOpenId ? [def.contactOpenId] : []), ...(def.officials ?? [])];
    apply({ role: 'official', agencyId: agency.id }, openIds);
  }
  return { granted, revoked };
}
