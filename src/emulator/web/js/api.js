// Client of the emulator's control API: every request the page makes to /_emulator goes through here.

const API = '/_emulator';
const at = (...parts) => [API, ...parts.map(encodeURIComponent)].join('/');

export const fetchConfig = () => api(`${API}/config`);
export const fetchUsers = async () => asArray(await api(`${API}/users`), 'users');
export const fetchChats = async () => asArray(await api(`${API}/chats`), 'chats');
export const fetchMessages = async (chatId) =>
  asArray(await api(`${at('chats', chatId)}/messages`), 'messages');
/** Posts as a user: `{ open_id, text, parent_id? }`. */
export const postAsUser = (chatId, body) => api(`${at('chats', chatId)}/messages`, { method: 'POST', body });
/** The user's private chat with the bot, created on first use. */
export const openP2pChat = (openId) => api(`${API}/p2p`, { method: 'POST', body: { open_id: openId } });
/** A card click or form submit as the user; answers with the bot's toast and card. */
export const postCardAction = (messageId, body) =>
  api(`${at('messages', messageId)}/actions`, { method: 'POST', body });
export const fileUrl = (key) => at('files', key);
export const openStream = () => new EventSource(`${API}/stream`);

// A control API error (non-2xx, or a Lark envelope with a non-zero code) becomes an Error with its message.
async function api(path, options) {
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

// The control API answers with a list, or an object holding one under a name, `items` or `data`.
function asArray(body, ...keys) {
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
