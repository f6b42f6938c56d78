/**
 * `npm start`: load the configuration, build the app, run until a signal arrives.
 * Without Lark credentials the app runs the sandbox (bot + Lark emulator + web chat page).
 */
import { createApp } from './app.js';
import { loadConfig } from './config/index.js';
import { isDubanError } from './core/errors.js';
import { createLogger } from './logger.js';

async function main(): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({ env: process.env });
  } catch (error) {
    if (isDubanError(error)) {
      console.error(error.message);
      if (error.hint) console.error(error.hint);
      return 1;
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel });
  const app = createApp({ config, logger });
  try {
    const started = await app.start();
    for (const line of started.banner) process.stdout.write(`${line}\n`);
  } catch (error) {
    logger.error({ err: error }, 'could not start');
    if (isDubanError(error)) console.error(`${error.message}${error.hint ? `\n${error.hint}` : ''}`);
    await app.stop().catch(() => undefined);
    return 1;
  }
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        logger.warn('second signal: exiting now');
        process.exit(1);
      }
      stopping = true;
      logger.info({ signal }, 'stopping');
      app.stop().then(resolve, (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        resolve();
      });
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  // Everything Duban owns is closed; a timer left by a library or a job cut off by the grace period
  // must not keep the process alive, so exit soon if it does not end by itself.
  setTimeout(() => process.exit(process.exitCode ?? 0), 1000).unref();
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
