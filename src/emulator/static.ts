/**
 * Serves the web chat page (src/emulator/web: index.html, style.css, app.js and its modules under js/)
 * as files, with a placeholder when the page is not there. Nothing outside that folder is ever served,
 * whether asked for with `..` or reached through a symbolic link.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// Module scripts must come with a JavaScript type, or the browser refuses to run them.
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

const PLACEHOLDER = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>Lark emulator</title></head>
<body><h1>Lark emulator</h1><p>The web chat page is not installed. Control API: <a href="/_emulator">/_emulator</a></p></body></html>`;

export const defaultWebRoot = (): string => fileURLToPath(new URL('./web/', import.meta.url));

const inside = (root: string, file: string): boolean => file === root || file.startsWith(root + sep);

const forbid = (res: ServerResponse): void => {
  res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('forbidden');
};

export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  webRoot: string = defaultWebRoot(),
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed');
    return;
  }
  const root = resolve(webRoot);
  let relative: string;
  try {
    relative = decodeURIComponent(path);
  } catch {
    res.writeHead(400).end();
    return;
  }
  if (relative.endsWith('/')) relative += 'index.html';
  const file = resolve(join(root, relative));
  if (!inside(root, file)) {
    forbid(res);
    return;
  }
  try {
    // A link inside the folder may still point out of it: compare where both really are.
    if (!inside(await realpath(root), await realpath(file))) {
      forbid(res);
      return;
    }
    const info = await stat(file);
    if (!info.isFile()) throw new Error('not a file');
    const data = await readFile(file);
    res.writeHead(200, {
      'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': String(data.length),
      'cache-control': 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : data);
  } catch {
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PLACEHOLDER);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
  }
}
