/**
 * What a web page on another site must not do to the emulator: the control API acts as any user
 * (it posts as the coordinator, clears the bot's webhook), so a page the operator happens to visit must
 * not be able to drive it. These are the emulator's own rules, not Lark's:
 *
 * - Host: only a name the emulator answers to (localhost, an IP address, the host it was told to listen
 *   on) with its port. A DNS-rebinding page reaches 127.0.0.1 under its own name, which is refused.
 *   Applied to every route; the SDK (axios) sends the Host of the URL it was given, which passes.
 *   https://developer.mozilla.org/en-US/docs/Web/Security/Attacks/DNS_rebinding
 * - Origin: a browser names the page's origin on cross-origin requests (and on every POST); anything
 *   but the emulator's own origin is refused on the control API and the page. The SDK sends no Origin.
 *   https://fetch.spec.whatwg.org/#origin-header
 * - Content-Type: a control request with a body must say application/json. A cross-site form or a
 *   `no-cors` fetch can only send text/plain, form or multipart bodies without a CORS preflight.
 *   https://fetch.spec.whatwg.org/#cors-safelisted-request-header
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

export interface Refusal {
  status: number;
  error: string;
}

export interface GuardSettings {
  /** The host the emulator was told to listen on (`127.0.0.1`, `0.0.0.0`, a name). */
  listenHost: string;
  /** The port it listens on, once started. */
  port: number;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Whether listening on `host` keeps the emulator to this machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return LOOPBACK_NAMES.has(bare) || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

function hostRefusal(req: IncomingMessage, settings: GuardSettings): Refusal | undefined {
  const header = req.headers.host;
  let url: URL | undefined;
  try {
    url = header === undefined ? undefined : new URL(`http://${header}`);
  } catch {
    url = undefined;
  }
  if (url === undefined || url.username !== '' || url.pathname !== '/') {
    return { status: 400, error: 'a Host header naming the emulator is required' };
  }
  const name = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const configured = settings.listenHost.replace(/^\[|\]$/g, '').toLowerCase();
  // An address cannot be rebound; a name can, so only localhost and the configured name are trusted.
  const knownName = isIP(name) !== 0 || name === 'localhost' || name === configured;
  const port = url.port === '' ? '80' : url.port;
  if (!knownName || port !== String(settings.port)) {
    return {
      status: 421,
      error: `the emulator does not answer to Host ${header}; use http://localhost:${settings.port} or http://127.0.0.1:${settings.port}`,
    };
  }
  return undefined;
}

function originRefusal(req: IncomingMessage): Refusal | undefined {
  const origin = req.headers.origin;
  if (origin === undefined) return undefined;
  // The Host has passed, so the emulator's own origin is the one the page was loaded from.
  if (origin === `http://${req.headers.host}`) return undefined;
  return { status: 403, error: `cross-origin requests are refused (Origin ${origin})` };
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return req.headers['transfer-encoding'] !== undefined;
}

function contentTypeRefusal(req: IncomingMessage): Refusal | undefined {
  if (!hasBody(req)) return undefined;
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json') return undefined;
  return { status: 415, error: 'the control API accepts only Content-Type: application/json' };
}

/** Why a request is refused, or undefined when it may go on. `/open-apis/` gets the Host rule only. */
export function refusalOf(req: IncomingMessage, path: string, settings: GuardSettings): Refusal | undefined {
  const host = hostRefusal(req, settings);
  if (host !== undefined || path.startsWith('/open-apis/')) return host;
  const origin = originRefusal(req);
  if (origin !== undefined) return origin;
  if (path === '/_emulator' || path.startsWith('/_emulator/')) return contentTypeRefusal(req);
  return undefined;
}
