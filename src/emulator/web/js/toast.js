// Toasts and the confirm dialog that card buttons may ask for.

import { els, h } from './dom.js';

function toastText(t) {
  if (typeof t === 'string') return t;
  return t?.i18n?.zh_cn ?? t?.content ?? t?.i18n?.en_us ?? '';
}

export function showToast(t) {
  const type = ['success', 'error', 'warning', 'info'].includes(t?.type) ? t.type : 'info';
  const icons = { success: '✓', error: '!', warning: '!', info: 'i' };
  const node = h(
    'div',
    { class: `toast ${type}`, testid: 'toast', 'data-type': type },
    h('span', { class: 'toast-icon', 'aria-hidden': 'true' }, icons[type]),
    h('span', null, toastText(t)),
  );
  els.toasts.append(node);
  setTimeout(() => node.remove(), type === 'error' ? 5000 : 3000);
}

export function confirmDialog(title, text) {
  return new Promise((resolve) => {
    const done = (ok) => {
      backdrop.remove();
      document.removeEventListener('keydown', onKey);
      resolve(ok);
    };
    const onKey = (e) => {
      if (e.key === 'Escape') done(false);
    };
    const ok = h(
      'button',
      { type: 'button', class: 'btn t-primary_filled', testid: 'confirm-ok', onclick: () => done(true) },
      '确定',
    );
    const backdrop = h(
      'div',
      { class: 'modal-backdrop' },
      h(
        'div',
        { class: 'modal', role: 'dialog', 'aria-modal': 'true', 'aria-label': title },
        h('h2', null, title),
        text ? h('p', null, text) : null,
        h(
          'div',
          { class: 'modal-actions' },
          h(
            'button',
            { type: 'button', class: 'btn', testid: 'confirm-cancel', onclick: () => done(false) },
            '取消',
          ),
          ok,
        ),
      ),
    );
    backdrop.addEventListener('click', (e) => {
      if (e.target === backdrop) done(false);
    });
    document.addEventListener('keydown', onKey);
    document.body.append(backdrop);
    ok.focus();
  });
}
