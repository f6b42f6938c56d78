import type { TaskReport } from '../core/progress/report-form.js';
import type { PersonRole, SpecialChatRole } from '../core/vocabulary.js';

/**
 * What the bot needs from the rest of the product, as small interfaces.
 * The composition root adapts the SQLite repositories to these; tests may pass fakes.
 */

export type Role = PersonRole;
export type SpecialChat = SpecialChatRole;

export interface AgencyRef {
  id: number;
  name: string;
  kind: string;
  chatId: string | null;
}

export interface BotDirectory {
  /** Resolves a name or alias; undefined when unknown. */
  findAgency(nameOrAlias: string): AgencyRef | undefined;
  /** Agencies that can be bound to a group (not collectives), in registry order. */
  listAgencies(): AgencyRef[];
  /** Known agencies whose names are close to a mistyped one, best first. */
  suggestAgencies(written: string): string[];
  agencyByChat(chatId: string): AgencyRef | undefined;
  specialChatRole(chatId: string): SpecialChat | undefined;
  /** Binds the chat to the agency; a chat serves one agency or one special role at a time. */
  bindAgency(input: { agencyId: number; chatId: string; actor: string; at: Date }): void;
  bindSpecial(input: { role: SpecialChat; chatId: string; actor: string; at: Date }): void;
  rolesOf(openId: string): Role[];
  /** The agencies this person reports for as an official. */
  agenciesOf(openId: string): number[];
}

export interface ReportableTask {
  agencyId: number | null;
  articleNo: number;
  status: string;
  percent: number;
  /** Verified, or removed from the decision: it takes no more reports. */
  closed: boolean;
}

export interface ProgressPort {
  /** The prompt's one tap: every open task of the agency answered "no change" this cycle. */
  confirmNoChange(input: { agencyId: number; actor: string; at: Date }): { confirmed: number };
  findTask(taskId: number): ReportableTask | undefined;
  recordReport(input: { taskId: number; report: TaskReport; actor: string; at: Date }): void;
}

export interface InboundLog {
  /** True the first time an event (and its message) is seen; false for Lark's retries and duplicates. */
  firstSeen(input: { eventId: string; messageId?: string; kind: string; at: Date }): boolean;
}
