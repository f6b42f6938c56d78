/**
 * The dates a person writes for a new due date: `2027-03-31` (also `2027/3/31`, `2027.3.31`) or
 * `2027年3月31日`, full-width digits allowed. Only a real calendar day is a date; anything else is
 * undefined, so the caller asks again instead of guessing.
 */
const WRITTEN =
  /^(\d{4})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?)$/;

export function readDueDate(text: string): string | undefined {
  const ascii = text.trim().replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  const match = WRITTEN.exec(ascii);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2] ?? match[4]);
  const day = Number(match[3] ?? match[5]);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  return date.toISOString().slice(0, 10);
}

/** Today in Shanghai, YYYY-MM-DD: a due date is a Shanghai calendar day. */
export function shanghaiDay(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** `2026-11-26 10:00` in Shanghai: when something happened, to the minute. */
export function shanghaiMinute(at: string | Date): string {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}
