// A page on another site must not drive the emulator's control API: it acts as any user and sets where
// the bot's events go. Requests are made with node:http so the Host and Origin headers are exactly ours.
import { request } from 'node:http';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createLarkEmulator, type LarkEmulator } from '../../../src/emulator/index.js';
import { startWorld, type World } from './helpers.js';

let world: World | undefined;
let extra: LarkEmulator | undefined;
afterEach(async () => {
  await world?.emulator.stop();
  await extra?.stop();
  world = undefined;
  extra = undefined;
});

interface Sent {
  status: number;
  body: string;
}

function send(
  base: string,
  input: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<Sent> {
  const url = new URL(input.path, base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: input.method ?? 'GET',
        headers: {
          ...(input.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(input.body)) }),
          ...input.headers,
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(input.body);
  });
}

const port = (base: string) => new URL(base).port;

describe('the control API refuses other sites', () => {
  it('refuses a post as a user from another origin with Content-Type text/plain, posting nothing', async () => {
    world = await startWorld();
    const base = world.emulator.url;
    const path = `/_emulator/chats/${world.chatId}/messages`;
    const body = JSON.stringify({ open_id: world.alice, text: '/verify 5 市科技局' });

    const crossSite = await send(base, {
      method: 'POST',
      path,
      headers: { origin: 'http://evil.example', 'content-type': 'text/plain;charset=UTF-8' },
      body,
    });
    expect(crossSite.status).toBe(403);
    expect(JSON.parse(crossSite.body).error).toMatch(/cross-origin/);

    // Without an Origin too (a script, an old browser), a body that is not declared JSON is refused.
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const plain = await send(base, { method: 'POST', path, headers: { 'content-type': type }, body });
      expect(plain.status).toBe(415);
    }
    const noType = await send(base, { method: 'POST', path, body });
    expect(noType.status).toBe(415);

    expect(world.emulator.messages(world.chatId)).toEqual([]);
  });

  it('refuses a cross-origin POST /_emulator/webhook with {}, keeping the webhook address', async () => {
    world = await startWorld({ webhookUrl: 'http://127.0.0.1:9/webhook/event' });
    const base = world.emulator.url;
    for (const type of ['application/json', 'text/plain']) {
      const answer = await send(base, {
        method: 'POST',
        path: '/_emulator/webhook',
        headers: { origin: 'https://evil.example', 'content-type': type },
        body: '{}',
      });
      expect(answer.status).toBe(403);
    }
    const nullOrigin = await send(base, {
      method: 'POST',
      path: '/_emulator/webhook',
      headers: { origin: 'null', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(nullOrigin.status).toBe(403);
    expect(world.emulator.webhookUrl).toBe('http://127.0.0.1:9/webhook/event');
  });

  it('refuses another origin reading the control API or the page', async () => {
    world = await startWorld();
    const base = world.emulator.url;
    for (const path of ['/_emulator/chats', '/_emulator/stream', '/']) {
      const answer = await send(base, { path, headers: { origin: 'http://localhost:1234' } });
      expect(answer.status).toBe(403);
    }
  });

  it('answers its own page: the same origin by name or address, with a JSON body or none', async () => {
    world = await startWorld({ webhookUrl: 'http://127.0.0.1:9/webhook/event' });
    const base = world.emulator.url;
    const p = port(base);
    for (const own of [`localhost:${p}`, `127.0.0.1:${p}`]) {
      const answer = await send(base, {
        method: 'POST',
        path: `/_emulator/chats/${world.chatId}/messages`,
        headers: { host: own, origin: `http://${own}`, 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ open_id: world.alice, text: 'hello' }),
      });
      expect(answer.status).toBe(200);
    }
    // A script without an Origin, and a POST without a body, are not a browser page's forgery.
    expect((await send(base, { method: 'POST', path: '/_emulator/tokens/expire' })).status).toBe(200);
    expect((await send(base, { path: '/_emulator/chats' })).status).toBe(200);
    expect(world.emulator.messages(world.chatId)).toHaveLength(2);
  });
});

describe('the emulator refuses foreign Host headers (DNS rebinding)', () => {
  it('refuses a name it was not given, or another port, on every route, and takes localhost and addresses', async () => {
    world = await startWorld();
    const base = world.emulator.url;
    const p = port(base);
    for (const path of ['/_emulator/chats', '/', '/open-apis/auth/v3/tenant_access_token/internal']) {
      for (const host of [`evil.example:${p}`, `localhost.evil.example:${p}`, `localhost:${Number(p) + 1}`]) {
        const answer = await send(base, { path, headers: { host } });
        expect(answer.status, `${host} ${path}`).toBe(421);
      }
    }
    for (const host of [`localhost:${p}`, `127.0.0.1:${p}`, `LOCALHOST:${p}`]) {
      expect((await send(base, { path: '/_emulator/chats', headers: { host } })).status).toBe(200);
    }
  });

  it('takes the name it was told to listen on', async () => {
    extra = createLarkEmulator({ host: 'localhost', port: 0 });
    await extra.start();
    const p = port(extra.url);
    expect(
      (await send(extra.url, { path: '/_emulator/chats', headers: { host: `localhost:${p}` } })).status,
    ).toBe(200);
    expect(
      (await send(extra.url, { path: '/_emulator/chats', headers: { host: `rebound.test:${p}` } })).status,
    ).toBe(421);
  });

  it('still serves the SDK, which sends the Host of the URL it was given', async () => {
    world = await startWorld();
    const chat = await world.client.im.chat.get({ path: { chat_id: world.chatId } });
    expect(chat.code).toBe(0);
  });
});

describe('listening beyond loopback', () => {
  it('is done only when asked, with a warning', async () => {
    const lines: { level: number; msg: string }[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
          done();
        },
      }),
    );
    const loopback = createLarkEmulator({ port: 0, logger });
    await loopback.start();
    await loopback.stop();
    expect(lines.filter((l) => l.level >= 40)).toEqual([]);

    extra = createLarkEmulator({ host: '0.0.0.0', port: 0, logger });
    await extra.start();
    expect(lines.filter((l) => l.level === 40).map((l) => l.msg)).toEqual([
      'the Lark emulator listens beyond this machine: anyone who can reach it can act as any user',
    ]);
  });
});
