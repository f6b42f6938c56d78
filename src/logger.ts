import { AsyncLocalStorage } from 'node:async_hooks';
import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * Fields every log line carries while a piece of work runs: `request_id` for an HTTP request,
 * `event_id` for a Lark event. Carried by AsyncLocalStorage, so a line logged deep in a use case (with
 * whatever logger it was given) still names the event that caused it, across awaits and timers.
 */
const logContext = new AsyncLocalStorage<Record<string, unknown>>();

/** Runs `fn` with `fields` added to every log line it (and the work it starts) writes. */
export function withLogContext<T>(fields: Record<string, unknown>, fn: () => T): T {
  return logContext.run({ ...logContext.getStore(), ...fields }, fn);
}

/** The fields of the work in progress (for tests and for passing on by hand). */
export function currentLogContext(): Record<string, unknown> {
  return { ...logContext.getStore() };
}

const mixin = () => logContext.getStore() ?? {};

/**
 * Structured JSON logs, one object per line; pretty when a person is watching a terminal, silent in
 * tests. `destination` lets a test read the lines.
 */
export function createLogger(
  options: { level?: string; pretty?: boolean; destination?: { write(line: string): unknown } } = {},
): Logger {
  const level = options.level ?? process.env.DUBAN_LOG_LEVEL ?? 'info';
  if (options.destination !== undefined) {
    return pino({ level, mixin }, options.destination as NodeJS.WritableStream);
  }
  if (options.pretty ?? (process.stdout.isTTY && level !== 'silent')) {
    return pino({
      level,
      mixin,
      transport: {
        target: 'pino-pretty',
        options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' },
      },
    });
  }
  return pino({ level, mixin });
}

export const silentLogger: Logger = pino({ level: 'silent' });
