// Finds and launches Debian's chromium for the browser tests (playwright-core ships no browser).
// A missing browser skips the test with a one-line reason, except under CI=true, where it fails:
// .ci/run installs chromium, so its absence there is a broken pipeline, not a choice.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

export type ChromiumLookup = { path: string; skipReason: null } | { path: null; skipReason: string };

export interface LocateChromiumOptions {
  env?: NodeJS.ProcessEnv;
  exists?: (path: string) => boolean;
}

/**
 * Where chromium is (DUBAN_CHROMIUM_PATH overrides the Debian path), or why the browser tests skip.
 * Throws under CI=true when it is missing, so CI can never pass by skipping them.
 */
export function locateChromium(options: LocateChromiumOptions = {}): ChromiumLookup {
  const env = options.env ?? process.env;
  const exists = options.exists ?? existsSync;
  const override = env.DUBAN_CHROMIUM_PATH?.trim();
  const path = override !== undefined && override !== '' ? override : CHROMIUM_PATH;
  if (exists(path)) return { path, skipReason: null };
  const reason = `chromium not found at ${path} (apt-get install -y chromium, or set DUBAN_CHROMIUM_PATH)`;
  if (env.CI === 'true') throw new Error(`${reason}; CI=true requires the browser tests to run`);
  return { path: null, skipReason: reason };
}

export interface LaunchedChromium {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Launches headless chromium with a fresh temporary profile, removed again by close(). */
export async function launchChromium(input: {
  executablePath: string;
  viewport?: { width: number; height: number };
}): Promise<LaunchedChromium> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'duban-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: input.executablePath,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: input.viewport ?? { width: 1280, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = context.pages()[0] ?? (await context.newPage());
    return {
      context,
      page,
      async close() {
        await context.close().catch(() => undefined);
        rmSync(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
}
