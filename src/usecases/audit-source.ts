import type { AuditSource } from '../store/audit-repository.js';

/** The Lark message and event ids of a change, as the audit trail keeps them (absent ones left out). */
export function auditSource(source: AuditSource | undefined): { messageId?: string; eventId?: string } {
  return {
    ...(source?.messageId === undefined ? {} : { messageId: source.messageId }),
    ...(source?.eventId === undefined ? {} : { eventId: source.eventId }),
  };
}
