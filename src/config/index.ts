import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DubanError } from '../core/errors.js';

/** The project root, so that relative paths in settings do not depend on the cwd. */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The default database files, relative to the project root. */
export const TENANT_DB_PATH = 'db/duban.sqlite';
export const SANDBOX_DB_PATH = 'db/sandbox.sqlite';

const port = z.coerce.number().int().min(0).max(65535);
const nonEmpty = z.string().trim().min(1);

/**
 * Every setting Duban reads from the environment. Each one is documented in config/env.example.
 * Lark credentials decide the mode: without them `npm start` runs the sandbox.
 */
const envSchema = z.object({
  // No default here: the sandbox and a tenant default to different files (see loadConfig).
  DUBAN_DB_PATH: nonEmpty.optional(),
  DUBAN_AGENCIES_FILE: nonEmpty.default('config/agencies.json'),
  DUBAN_DECISION_FILE: nonEmpty.default('config/default-decision.txt'),
  DUBAN_SCHEDULE_FILE: nonEmpty.default('config/schedule.json'),
  DUBAN_SCORING_FILE: nonEmpty.default('config/scoring.json'),
  DUBAN_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DUBAN_LOCALE: z.enum(['zh-CN', 'en-US']).default('zh-CN'),
  DUBAN_SANDBOX_PORT: port.default(3000),
  DUBAN_SANDBOX_HOST: nonEmpty.default('127.0.0.1'),
  DUBAN_SANDBOX_GROUP_MSG: z.stringbool().default(true),
  DUBAN_WEBHOOK_PORT: port.default(3001),
  DUBAN_WEBHOOK_HOST: nonEmpty.default('0.0.0.0'),
  DUBAN_WEBHOOK_PATH: z.string().startsWith('/').default('/webhook/event'),
  DUBAN_HEALTH_PORT: port.optional(),
  DUBAN_HEALTH_HOST: nonEmpty.default('127.0.0.1'),
  DUBAN_COORDINATORS: z.string().trim().default(''),
  DUBAN_LEADERS: z.string().trim().default(''),
  LARK_APP_ID: z.string().trim().optional(),
  LARK_APP_SECRET: z.string().trim().optional(),
  LARK_DOMAIN: z.string().trim().default('feishu'),
  LARK_TRANSPORT: z.enum(['websocket', 'webhook']).default('websocket'),
  LARK_ENCRYPT_KEY: z.string().trim().optional(),
  LARK_VERIFICATION_TOKEN: z.string().trim().optional(),
});

type Env = z.infer<typeof envSchema>;

export interface LarkSettings {
  appId: string;
  appSecret: string;
  /** A full base URL without trailing slash. */
  domain: string;
  transport: 'websocket' | 'webhook';
  encryptKey?: string;
  verificationToken?: string;
}

export interface Config {
  mode: 'sandbox' | 'lark';
  /** DUBAN_DB_PATH, else the mode's own file: db/sandbox.sqlite for the sandbox, db/duban.sqlite for a tenant. */
  dbPath: string;
  /** Whether DUBAN_DB_PATH named the file (the refusal of a database of the other mode says what to change). */
  dbPathFromEnv: boolean;
  agenciesFile: string;
  decisionFile: string;
  scheduleFile: string;
  /** Article 34's scoring rules (config/scoring.json); a missing file gives the defaults. */
  scoringFile: string;
  logLevel: Env['DUBAN_LOG_LEVEL'];
  locale: Env['DUBAN_LOCALE'];
  /**
   * `groupMessages`: whether the sandbox's app holds im:message.group_msg (all group messages);
   * `transport`: how its emulator hands the bot events, LARK_TRANSPORT as on a tenant.
   */
  sandbox: { host: string; port: number; groupMessages: boolean; transport: 'websocket' | 'webhook' };
  webhook: { host: string; port: number; path: string };
  /**
   * `GET /healthz`. With the webhook transport it is also served on the webhook server. Port: the
   * setting, else 3002 on a tenant and any free port in the sandbox (printed in the banner).
   */
  health: { host: string; port: number | undefined };
  /** open_ids granted a role at start-up, so a new tenant has someone who may /bind. */
  people: { coordinators: string[]; leaders: string[] };
  lark?: LarkSettings;
}

const HINTS: Record<string, string> = {
  DUBAN_SANDBOX_PORT: 'set a port number between 0 and 65535, e.g. DUBAN_SANDBOX_PORT=3000',
  DUBAN_WEBHOOK_PORT: 'set a port number between 0 and 65535, e.g. DUBAN_WEBHOOK_PORT=3001',
  DUBAN_HEALTH_PORT: 'set a port number between 0 and 65535, e.g. DUBAN_HEALTH_PORT=3002',
  DUBAN_LOG_LEVEL: 'use one of fatal, error, warn, info, debug, trace, silent',
  LARK_TRANSPORT: 'use websocket (long connection, no public URL needed) or webhook',
  DUBAN_WEBHOOK_PATH: 'start the path with a slash, e.g. /webhook/event',
  DUBAN_SANDBOX_GROUP_MSG: 'use true or false',
};

function resolvePath(path: string): string {
  return path === ':memory:' || isAbsolute(path) ? path : join(projectRoot, path);
}

function openIdList(value: string): string[] {
  return value
    .split(/[,\s]+/)
    .map((id) => id.trim())
    .filter(Boolean);
}

function larkDomain(value: string): string {
  if (value === 'feishu') return 'https://open.feishu.cn';
  if (value === 'lark') return 'https://open.larksuite.com';
  return value.replace(/\/+$/, '');
}

/**
 * Parses the environment once. Every problem is reported together as
 * `NAME: what is wrong. To fix: …` so an operator can correct them in one go.
 */
export function loadConfig({ env }: { env: Record<string, string | undefined> }): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? 'environment');
      problems.push(`${name}: ${issue.message}. To fix: ${HINTS[name] ?? 'see config/env.example'}`);
    }
  }
  const values = parsed.success ? parsed.data : undefined;
  if (values) {
    const hasId = Boolean(values.LARK_APP_ID);
    const hasSecret = Boolean(values.LARK_APP_SECRET);
    if (hasId !== hasSecret) {
      const missing = hasId ? 'LARK_APP_SECRET' : 'LARK_APP_ID';
      problems.push(
        `${missing}: is not set while ${hasId ? 'LARK_APP_ID' : 'LARK_APP_SECRET'} is. To fix: set both to run on a real Lark tenant, or neither to run the sandbox`,
      );
    }
    if (
      values.LARK_TRANSPORT === 'webhook' &&
      hasId &&
      !values.LARK_ENCRYPT_KEY &&
      !values.LARK_VERIFICATION_TOKEN
    ) {
      problems.push(
        'LARK_VERIFICATION_TOKEN: is required for the webhook transport when LARK_ENCRYPT_KEY is not set (requests could not be authenticated). To fix: copy the Verification Token (and ideally the Encrypt Key) from the app console',
      );
    }
    for (const name of ['DUBAN_COORDINATORS', 'DUBAN_LEADERS'] as const) {
      const bad = openIdList(values[name]).filter((id) => !/^ou_[\w-]+$/.test(id));
      if (bad.length > 0) {
        problems.push(
          `${name}: "${bad.join(', ')}" is not a Lark open_id. To fix: list open_ids (ou_…) separated by commas`,
        );
      }
    }
    const domain = larkDomain(values.LARK_DOMAIN);
    if (!/^https?:\/\/[^/]+/.test(domain)) {
      problems.push(
        `LARK_DOMAIN: "${values.LARK_DOMAIN}" is not a URL. To fix: use feishu, lark or a URL such as https://open.feishu.cn`,
      );
    }
  }
  if (problems.length > 0 || !values) {
    throw new DubanError('config.invalid', `Configuration is invalid:\n  ${problems.join('\n  ')}`, {
      details: { problems },
      hint: 'Every setting is documented in config/env.example',
    });
  }

  const mode = values.LARK_APP_ID ? 'lark' : 'sandbox';
  const config: Config = {
    mode,
    // The sandbox seeds made-up people and groups, so by default it never shares the tenant's file.
    dbPath: resolvePath(values.DUBAN_DB_PATH ?? (mode === 'sandbox' ? SANDBOX_DB_PATH : TENANT_DB_PATH)),
    dbPathFromEnv: values.DUBAN_DB_PATH !== undefined,
    agenciesFile: resolvePath(values.DUBAN_AGENCIES_FILE),
    decisionFile: resolvePath(values.DUBAN_DECISION_FILE),
    scheduleFile: resolvePath(values.DUBAN_SCHEDULE_FILE),
    scoringFile: resolvePath(values.DUBAN_SCORING_FILE),
    logLevel: values.DUBAN_LOG_LEVEL,
    locale: values.DUBAN_LOCALE,
    sandbox: {
      host: values.DUBAN_SANDBOX_HOST,
      port: values.DUBAN_SANDBOX_PORT,
      groupMessages: values.DUBAN_SANDBOX_GROUP_MSG,
      transport: values.LARK_TRANSPORT,
    },
    webhook: {
      host: values.DUBAN_WEBHOOK_HOST,
      port: values.DUBAN_WEBHOOK_PORT,
      path: values.DUBAN_WEBHOOK_PATH,
    },
    health: { host: values.DUBAN_HEALTH_HOST, port: values.DUBAN_HEALTH_PORT },
    people: {
      coordinators: openIdList(values.DUBAN_COORDINATORS),
      leaders: openIdList(values.DUBAN_LEADERS),
    },
  };
  if (values.LARK_APP_ID && values.LARK_APP_SECRET) {
    config.lark = {
      appId: values.LARK_APP_ID,
      appSecret: values.LARK_APP_SECRET,
      domain: larkDomain(values.LARK_DOMAIN),
      transport: values.LARK_TRANSPORT,
      ...(values.LARK_ENCRYPT_KEY ? { encryptKey: values.LARK_ENCRYPT_KEY } : {}),
      ...(values.LARK_VERIFICATION_TOKEN ? { verificationToken: values.LARK_VERIFICATION_TOKEN } : {}),
    };
  }
  return config;
}
