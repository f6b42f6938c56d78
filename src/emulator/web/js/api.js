// Client of the emulator's control API: every request the page makes to /_emulator goes through here.

export const API = '/_emulator';

export async function api(path, options) {
  const init = options ? { ...options } : {};
  if (init.body !== undefined && typeof init.body !== 'string') {
    init.body = JSON.stringify(init.body);
    init.headers = { 'content-type': 'application/json', ...(init.headers ?? {}) };
  }
  const res = await fetch(path, init);
  const raw = await res.text();
  let body = null;
  if (raw) {
    try {
      body = JSON.parse(raw);
    } catch {
      body = raw;
    }
  }
  const larkError = body && typeof body === 'object' && typeof body.code === 'number' && body.code !== 0;
  if (!res.ok || larkError) {
    const reason =
      (body && typeof body === 'object' && (body.msg || body.message || body.error)) ||
      (typeof body === 'string' && body) ||
      `HTTP ${res.status}`;
    throw new Error(String(reason));
  }
  return body;
}

export function asArray(body, ...keys) {
  if (Array.isArray(body)) return body;
  if (!body || typeof body !== 'object') return [];
  for (const k of keys) {
    if (Array.isArray(body[k])) return body[k];
    if (body.data && Array.isArray(body.data[k])) return body.data[k];
  }
  if (Array.isArray(body.items)) return body.items;
  if (Array.isArray(body.data)) return body.data;
  if (body.data && Array.isArray(body.data.items)) return body.data.items;
  return [];
}
