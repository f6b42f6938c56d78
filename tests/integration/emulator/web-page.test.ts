// The web chat page is plain ES modules served as files: no bundler checks that an import names a
// file and an export that exist, so this test does, and proves the server types and fences them.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLarkEmulator, type LarkEmulator } from '../../../src/emulator/index.js';
import { defaultWebRoot } from '../../../src/emulator/static.js';

const WEB = defaultWebRoot();

const modules = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? modules(join(dir, entry.name))
      : entry.name.endsWith('.js')
        ? [join(dir, entry.name)]
        : [],
  );

const IMPORT = /^import\s*\{([^}]*)\}\s*from\s*'([^']+)';/gm;
const EXPORT = /^export\s+(?:async\s+)?(?:function|const|let)\s+([\w$]+)/gm;

const exportsOf = (file: string): Set<string> =>
  new Set(Array.from(readFileSync(file, 'utf8').matchAll(EXPORT), (m) => String(m[1])));

let emulator: LarkEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

describe('the emulator web page', () => {
  it('loads its modules from index.html, and every import names a module and an export that exist', () => {
    const html = readFileSync(join(WEB, 'index.html'), 'utf8');
    expect(html).toContain('<script type="module" src="./app.js"></script>');
    const files = modules(WEB);
    expect(files.length).toBeGreaterThan(10);
    const problems: string[] = [];
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      expect(source.split('\n')[0], `${relative(WEB, file)} opens with what it is for`).toMatch(/^\/\/ \S/);
      for (const [, names = '', specifier = ''] of source.matchAll(IMPORT)) {
        const target = resolve(dirname(file), specifier);
        if (!files.includes(target)) {
          problems.push(`${relative(WEB, file)} imports missing ${specifier}`);
          continue;
        }
        const exported = exportsOf(target);
        for (const name of names.split(',').map((n) => n.trim())) {
          if (name !== '' && !exported.has(name)) {
            problems.push(`${relative(WEB, file)} imports ${name}, which ${specifier} does not export`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('serves every module with a JavaScript type, so the browser runs it', async () => {
    emulator = createLarkEmulator();
    const { url } = await emulator.start();
    for (const file of modules(WEB)) {
      const path = relative(WEB, file).split('\\').join('/');
      const res = await fetch(`${url}/${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toBe('text/javascript; charset=utf-8');
      expect(await res.text()).toBe(readFileSync(file, 'utf8'));
    }
  });

  it('refuses paths that leave the web folder, by dot-dot or through a symbolic link', async () => {
    const base = mkdtempSync(join(tmpdir(), 'emu-web-'));
    const root = join(base, 'web');
    mkdirSync(join(root, 'js'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<h1>page</h1>');
    writeFileSync(join(root, 'js', 'ok.js'), 'export const ok = 1;');
    writeFileSync(join(base, 'secret.txt'), 'not for the browser');
    symlinkSync(join(base, 'secret.txt'), join(root, 'js', 'leak.js'));
    emulator = createLarkEmulator({ webRoot: root });
    const { url } = await emulator.start();

    expect((await fetch(`${url}/js/ok.js`)).status).toBe(200);
    // Encoded slashes survive the URL parser (a plain or %2E%2E `..` is resolved by it before sending).
    for (const path of ['/js/..%2F..%2Fsecret.txt', '/..%2Fsecret.txt', '/js/%2E%2E%2F%2E%2E%2Fsecret.txt']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path).toBe(403);
      expect(await res.text()).not.toContain('not for the browser');
    }
    const leak = await fetch(`${url}/js/leak.js`);
    expect(leak.status).toBe(403);
    expect(await leak.text()).not.toContain('not for the browser');
  });
});
