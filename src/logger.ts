import { type Logger, pino } from 'pino';

export type { Logger };

/** Structured JSON logs; pretty when a person is watching a terminal, silent in tests. */
export function createLogger(options: { level?: string; pretty?: boolean } = {}): Logger {
  const level = options.level ?? process.env.DUBAN_LOG_LEVEL ?? 'info';
  if (options.pretty ?? (process.stdout.isTTY && level !== 'silent')) {
    return pino({
      level,
      transport: {
        target: 'pino-pretty',
        options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' },
      },
    });
  }
  return pino({ level });
}

export const silentLogger: Logger = pino({ level: 'silent' });
