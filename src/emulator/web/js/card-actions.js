// Card callbacks: sends a click or form to the emulator as the chosen user and applies the bot's answer.

import { postCardAction } from './api.js';
import { cardOf } from './card.js';
import { renderMessages } from './conversation.js';
import { currentUser } from './state.js';
import { noteLocalEdit, scheduleRefresh } from './sync.js';
import { showToast } from './toast.js';

export async function sendAction(msg, payload, control) {
  const openId = currentUser();
  if (!openId) {
    showToast({ type: 'warning', content: '请先选择发送身份' });
    return;
  }
  if (control) control.disabled = true;
  try {
    const body = { open_id: openId, value: payload.value ?? {} };
    for (const k of ['form_value', 'input_value', 'option', 'options', 'checked', 'name']) {
      if (payload[k] !== undefined) body[k] = payload[k];
    }
    const res = await postCardAction(msg.message_id, body);
    const answer = res?.data && !res.toast && !res.card ? res.data : res;
    if (answer?.toast) showToast(answer.toast);
    const card = answer?.card ? cardOf(answer.card) : null;
    if (card && typeof card === 'object' && card.type !== 'template') {
      msg.content = card;
      noteLocalEdit(msg.chat_id);
      renderMessages();
    }
    scheduleRefresh(msg.chat_id);
  } catch (err) {
    showToast({ type: 'error', content: `操作失败：${err.message ?? err}` });
  } finally {
    if (control?.isConnected) control.disabled = false;
  }
}
