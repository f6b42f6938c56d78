/**
 * Binding a Lark group: to one agency (its officials report there) or to one special role (the
 * coordinators' or the leaders' group). A group holds at most one binding, and an agency or role at most
 * one group. Anything that would end another binding is first shown to the coordinator, who confirms on a
 * card; the group that loses its binding is told.
 */

import { renderLostBinding } from '../core/render/bindings.js';
import type { Locale } from '../core/render/catalog.js';
import type { SpecialChatRole } from '../core/vocabulary.js';
import type { Logger } from '../logger.js';
import type { ChatPort } from '../ports/chat.js';
import type { AuditChannel, AuditSource } from '../store/audit-repository.js';
import { type AgencyLookupStore, lookUpAgency } from './agency-lookup.js';
import { auditSource } from './audit-source.js';

export type BindTarget =
  | { kind: 'agency'; name: string }
  | { kind: 'agency_id'; agencyId: number }
  | { kind: 'special'; role: SpecialChatRole };

/** What a group is bound to, as a person would name it. */
export type ChatBinding =
  | { kind: 'agency'; agencyId: number; agency: string }
  | { kind: 'special'; role: SpecialChatRole };

export type BindChange =
  /** This group is X today and becomes the target: X is left without a group. */
  | { kind: 'chat_rebound'; from: ChatBinding }
  /** The target has another group today, which loses its binding. */
  | { kind: 'target_moved'; fromChatId: string };

export type ResolvedTarget =
  | { kind: 'agency'; agencyId: number; agency: string }
  | { kind: 'special'; role: SpecialChatRole };

export type BindOutcome =
  | { kind: 'bound'; target: ResolvedTarget; changes: BindChange[] }
  | { kind: 'already_bound'; target: ResolvedTarget }
  /** Needs the coordinator's confirmation; `expect` goes back on the confirm button. */
  | { kind: 'confirm'; target: ResolvedTarget; changes: BindChange[]; expect: string }
  | { kind: 'unknown_agency'; name: string; suggestions: string[] }
  | { kind: 'collective'; agency: string }
  | { kind: 'inactive'; agency: string };

interface AuditInput {
  actor: string;
  channel: AuditChannel;
  at: string;
}

/** What binding needs from the store. */
export interface BindingStore extends AgencyLookupStore {
  transaction<T>(fn: () => T): T;
  bindingOfChat(
    chatId: string,
  ):
    | { kind: 'agency'; agency: { id: number; name: string } }
    | { kind: 'special'; role: SpecialChatRole }
    | null;
  chatOfAgency(agencyId: number): string | null;
  chatOfSpecial(role: SpecialChatRole): string | null;
  unbindChat(input: { chatId: string } & AuditInput): void;
  bindAgencyChat(input: { agencyId: number; chatId: string } & AuditInput): unknown;
  bindSpecialChat(input: { role: SpecialChatRole; chatId: string } & AuditInput): unknown;
}

export interface BindChatInput {
  chatId: string;
  target: BindTarget;
  actor: string;
  channel: AuditChannel;
  now: Date;
  /** The `expect` of the confirmation the person accepted; absent on the first ask. */
  confirmed?: string;
  /** The Lark message and event the binding came from, for the audit trail. */
  source?: AuditSource | undefined;
}

export interface BindChatDeps {
  store: BindingStore;
  /** Tells a group that lost its binding. */
  chat: Pick<ChatPort, 'send'>;
  locale?: Locale;
  registry?: { byName(name: string): { name: string } | undefined };
  /**
   * Brings people's roles in line with the new binding (src/usecases/membership.ts): the group's members
   * get its role, and the role held through a binding that ended goes.
   */
  members?: {
    syncChatMembers(input: { chatId: string; actor?: string; channel?: AuditChannel }): Promise<unknown>;
    forgetBinding(input: { binding: ChatBinding; actor: string; channel: AuditChannel }): unknown;
  };
  logger?: Logger;
}

const describe = (binding: ChatBinding): string =>
  binding.kind === 'agency' ? `agency:${binding.agencyId}` : `special:${binding.role}`;

/** The state a confirmation was shown for; a different state asks again. */
function fingerprint(current: ChatBinding | null, targetChat: string | null): string {
  return `${current === null ? 'none' : describe(current)}|${targetChat ?? 'none'}`;
}

export function createBindChat(deps: BindChatDeps) {
  const { store } = deps;

  const toBinding = (stored: ReturnType<BindingStore['bindingOfChat']>): ChatBinding | null => {
    if (stored === null) return null;
    return stored.kind === 'agency'
      ? { kind: 'agency', agencyId: stored.agency.id, agency: stored.agency.name }
      : { kind: 'special', role: stored.role };
  };

  const resolve = (
    target: BindTarget,
  ): ResolvedTarget | Extract<BindOutcome, { kind: 'unknown_agency' | 'collective' | 'inactive' }> => {
    if (target.kind === 'special') return { kind: 'special', role: target.role };
    let found: { id: number; name: string; kind: string; active: boolean } | undefined;
    if (target.kind === 'agency_id') {
      found = store.listAgencies({ includeInactive: true }).find((a) => a.id === target.agencyId);
      if (found === undefined)
        return { kind: 'unknown_agency', name: `#${target.agencyId}`, suggestions: [] };
    } else {
      const lookup = lookUpAgency(store, target.name, deps.registry);
      if (lookup.found === null)
        return { kind: 'unknown_agency', name: target.name, suggestions: lookup.suggestions };
      found = lookup.found;
    }
    if (found.kind === 'collective') return { kind: 'collective', agency: found.name };
    if (!found.active) return { kind: 'inactive', agency: found.name };
    return { kind: 'agency', agencyId: found.id, agency: found.name };
  };

  return async function bindChat(input: BindChatInput): Promise<BindOutcome> {
    const target = resolve(input.target);
    if (target.kind !== 'agency' && target.kind !== 'special') return target;
    const audit = {
      actor: input.actor,
      channel: input.channel,
      at: input.now.toISOString(),
      ...auditSource(input.source),
    };

    const done = store.transaction((): BindOutcome => {
      const current = toBinding(store.bindingOfChat(input.chatId));
      const targetChat =
        target.kind === 'agency' ? store.chatOfAgency(target.agencyId) : store.chatOfSpecial(target.role);
      if (targetChat === input.chatId) return { kind: 'already_bound', target };

      const changes: BindChange[] = [];
      if (current !== null) changes.push({ kind: 'chat_rebound', from: current });
      if (targetChat !== null) changes.push({ kind: 'target_moved', fromChatId: targetChat });
      const expect = fingerprint(current, targetChat);
      if (changes.length > 0 && input.confirmed !== expect)
        return { kind: 'confirm', target, changes, expect };

      if (current !== null) store.unbindChat({ chatId: input.chatId, ...audit });
      if (targetChat !== null) store.unbindChat({ chatId: targetChat, ...audit });
      if (target.kind === 'agency')
        store.bindAgencyChat({ agencyId: target.agencyId, chatId: input.chatId, ...audit });
      else store.bindSpecialChat({ role: target.role, chatId: input.chatId, ...audit });
      return { kind: 'bound', target, changes };
    });

    if (done.kind === 'bound' && deps.members !== undefined) {
      const members = deps.members;
      for (const change of done.changes) {
        if (change.kind === 'chat_rebound')
          members.forgetBinding({ binding: change.from, actor: input.actor, channel: input.channel });
      }
      // After the commit, and never failing the binding: a group Lark will not list keeps no members
      // until start-up or the next member event, and the log says why.
      await members
        .syncChatMembers({ chatId: input.chatId, actor: input.actor, channel: input.channel })
        .catch((error: unknown) =>
          deps.logger?.warn({ err: error, chatId: input.chatId }, 'could not read the bound group’s members'),
        );
    }
    if (done.kind === 'bound') {
      for (const change of done.changes) {
        if (change.kind !== 'target_moved') continue;
        // Told after the commit: a failed notice must not undo a binding the coordinator confirmed.
        await deps.chat
          .send({
            chatId: change.fromChatId,
            message: { kind: 'text', text: renderLostBinding(target, deps.locale) },
            idempotencyKey: `unbound:${change.fromChatId}:${input.now.getTime()}`.slice(0, 50),
          })
          .catch(() => undefined);
      }
    }
    return done;
  };
}

export type BindChat = ReturnType<typeof createBindChat>;
