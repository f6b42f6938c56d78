// The Docker image, checked without a Docker daemon (CI and this machine have none): the files the
// Dockerfile copies (the repository minus .dockerignore, plus node_modules from the deps stage), its ENV
// and its CMD, run as the image would run them against Lark (the emulator) in tenant mode; then the
// image's HEALTHCHECK command, then `docker stop`'s SIGTERM. What this cannot check is the build itself
// (apt-get and npm ci inside node:20-bookworm-slim).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLarkEmulator } from '../../../src/emulator/index.js';

const root = process.cwd();
const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

interface Dockerfile {
  env: Record<string, string>;
  cmd: string[];
  healthcheck: string[];
}

/** The last stage's ENV, CMD and HEALTHCHECK CMD (JSON form) of config/deploy/Dockerfile. */
function readDockerfile(): Dockerfile {
  const text = readFileSync(join(root, 'config/deploy/Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  const lastStage = text.slice(text.lastIndexOf('\nFROM '));
  const env: Record<string, string> = {};
  for (const line of lastStage.split('\n').filter((l) => l.startsWith('ENV '))) {
    for (const [, key, value] of line.slice(4).matchAll(/(\w+)=(\S+)/g)) env[key as string] = value as string;
  }
  const json = (re: RegExp): string[] => JSON.parse(re.exec(lastStage)?.[1] ?? 'null') as string[];
  return {
    env,
    cmd: json(/^CMD (\[.*\])$/m),
    healthcheck: json(/^HEALTHCHECK .*? CMD (\[.*\])$/m),
  };
}

/**
 * .dockerignore as Docker reads it: each pattern is matched (Go's filepath.Match: `*` and `?` within a
 * path segment) against the path from the context's root, and excluding a directory excludes what it holds.
 */
function dockerIgnored(): (path: string) => boolean {
  const patterns = readFileSync(join(root, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  if (patterns.some((p) => p.startsWith('!') || p.includes('**')))
    throw new Error('.dockerignore uses a form this check does not read (! or **): extend dockerIgnored');
  const regexes = patterns.map(
    (p) =>
      new RegExp(
        `^${p
          .replace(/^\//, '')
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '[^/]*')
          .replace(/\?/g, '[^/]')}$`,
      ),
  );
  return (path) => {
    const parts = path.split('/');
    return parts.some((_, i) => regexes.some((re) => re.test(parts.slice(0, i + 1).join('/'))));
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function run(child: ChildProcess): { output: () => string; exited: Promise<number | null> } {
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { output: () => out, exited };
}

describe('the Docker image', () => {
  it('runs from the files the Dockerfile copies, with its ENV and CMD, passes its HEALTHCHECK and stops on SIGTERM', async () => {
    const dockerfile = readDockerfile();
    expect(dockerfile.cmd.length).toBeGreaterThan(0);
    expect(dockerfile.env.DUBAN_DB_PATH).toBeDefined();

    // /app as the image holds it: what `COPY . .` brings past .dockerignore, node_modules from `deps`.
    const app = mkdtempSync(join(tmpdir(), 'duban-image-'));
    cleanups.push(() => rmSync(app, { recursive: true, force: true }));
    const ignored = dockerIgnored();
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
      cwd: root,
      encoding: 'utf8',
    })
      .split('\0')
      .filter((f) => f !== '' && !ignored(f));
    expect(files).toContain('src/main.ts');
    expect(files.some((f) => f.startsWith('db/migrations/'))).toBe(true);
    expect(files.some((f) => f.startsWith('tests/') || f.startsWith('.git/') || f.endsWith('.sqlite'))).toBe(
      false,
    );
    for (const file of files) {
      mkdirSync(join(app, dirname(file)), { recursive: true });
      cpSync(join(root, file), join(app, file));
    }
    symlinkSync(join(root, 'node_modules'), join(app, 'node_modules'));

    const lark = createLarkEmulator();
    const { url } = await lark.start();
    cleanups.push(() => lark.stop());

    // The image's ENV, with the volume's path moved into the temp folder and a free health port; the
    // credentials come from the operator's env file.
    const data = join(app, 'var-lib-duban');
    mkdirSync(data);
    const healthPort = String(await freePort());
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (value !== undefined && !key.startsWith('LARK_') && !key.startsWith('DUBAN_')) env[key] = value;
    }
    Object.assign(env, dockerfile.env, {
      DUBAN_DB_PATH: join(data, 'duban.sqlite'),
      DUBAN_HEALTH_PORT: healthPort,
      LARK_APP_ID: lark.appId,
      LARK_APP_SECRET: lark.appSecret,
      LARK_DOMAIN: url,
    });
    const [command, ...args] = dockerfile.cmd as [string, ...string[]];
    const child = spawn(command === 'node' ? process.execPath : command, args, {
      cwd: app,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const proc = run(child);

    // Up when the long connection (the image's LARK_TRANSPORT) is open and the health endpoint answers.
    const deadline = Date.now() + 90_000;
    let health: Response | undefined;
    while (Date.now() < deadline && child.exitCode === null) {
      health = await fetch(`http://127.0.0.1:${healthPort}/healthz`).catch(() => undefined);
      if (health?.status === 200 && lark.longConnections().length > 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(health?.status, proc.output()).toBe(200);
    expect(((await health!.json()) as { status: string }).status).toBe('ok');
    expect(lark.longConnections().length).toBe(1);

    // HEALTHCHECK, run as Docker runs it: the command with the container's environment.
    const [hcCommand, ...hcArgs] = dockerfile.healthcheck as [string, ...string[]];
    const healthcheck = run(
      spawn(hcCommand === 'node' ? process.execPath : hcCommand, hcArgs, { cwd: app, env, stdio: 'pipe' }),
    );
    expect(await healthcheck.exited).toBe(0);

    child.kill('SIGTERM');
    expect(await proc.exited, proc.output()).toBe(0);
    expect(proc.output()).toMatch(/"msg":"stopped"/);
  }, 150_000);
});
