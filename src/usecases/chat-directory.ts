/**
 * Who someone is and what a group is for: the questions every command and card action asks before it
 * acts. The answers come from the store; the rules of what they mean live here.
 */
import type { PersonRole, SpecialChatRole } from '../core/vocabulary.js';
import type { BindingStore, ChatBinding } from './bind-chat.js';

export interface PeopleStore {
  rolesOf(openId: string): PersonRole[];
  /** Agencies the person is an official of. */
  agenciesOf(openId: string): number[];
}

export interface BindableAgency {
  id: number;
  name: string;
}

export function createChatDirectory(deps: {
  people: PeopleStore;
  agencies: Pick<BindingStore, 'bindingOfChat' | 'listAgencies'>;
}) {
  return {
    rolesOf: (openId: string): PersonRole[] => deps.people.rolesOf(openId),
    agenciesOf: (openId: string): number[] => deps.people.agenciesOf(openId),

    bindingOf(chatId: string): ChatBinding | null {
      const stored = deps.agencies.bindingOfChat(chatId);
      if (stored === null) return null;
      return stored.kind === 'agency'
        ? { kind: 'agency', agencyId: stored.agency.id, agency: stored.agency.name }
        : { kind: 'special', role: stored.role as SpecialChatRole };
    },

    /**
     * Agencies a group can be bound to, in registry order: active ones, never a collective (各有关单位,
     * 有关区 …), which stands for other agencies and has no group of its own.
     */
    bindableAgencies(): BindableAgency[] {
      return deps.agencies
        .listAgencies()
        .filter((a) => a.active && a.kind !== 'collective')
        .map((a) => ({ id: a.id, name: a.name }));
    },
  };
}

export type ChatDirectory = ReturnType<typeof createChatDirectory>;
