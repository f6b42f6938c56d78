// Interactive card components (buttons, inputs, selects, pickers) and form collection.

import { h } from './dom.js';
import { safeUrl } from './markdown.js';
import { state, userName } from './state.js';
import { plainOf } from './text.js';
import { confirmDialog, showToast } from './toast.js';

export function callbackValue(el) {
  const behaviors = Array.isArray(el?.behaviors) ? el.behaviors : [];
  const cb = behaviors.find((b) => b?.type === 'callback');
  if (cb) return cb.value ?? {};
  if (el && el.value !== undefined && !['input', 'select_static'].includes(el.tag)) return el.value;
  return undefined;
}

export function openUrlOf(el) {
  const behaviors = Array.isArray(el?.behaviors) ? el.behaviors : [];
  const ou = behaviors.find((b) => b?.type === 'open_url');
  if (ou) return ou.default_url ?? ou.pc_url ?? ou.url ?? null;
  return el?.url ?? el?.multi_url?.url ?? el?.multi_url?.pc_url ?? null;
}

export function renderButton(el, ctx) {
  const isSubmit = el.form_action_type === 'submit' || el.action_type === 'form_submit';
  const isReset = el.form_action_type === 'reset' || el.action_type === 'form_reset';
  const type = String(el.type ?? 'default').replace(/[^a-z_]/g, '');
  const size = String(el.size ?? 'medium').replace(/[^a-z]/g, '');
  const label = plainOf(el.text) || '按钮';
  const btn = h('button', {
    type: 'button',
    class: `btn t-${type} s-${size}${el.width === 'fill' ? ' fill' : ''}`,
    testid: isSubmit ? 'card-submit' : isReset ? 'card-reset' : 'card-button',
    'aria-label': label,
    title: el.hover_tips ? plainOf(el.hover_tips) : null,
  });
  btn.textContent = label;
  if (el.name) btn.dataset.name = el.name;
  const value = callbackValue(el);
  if (value !== undefined) btn.dataset.value = JSON.stringify(value);
  if (el.disabled) {
    btn.disabled = true;
    if (el.disabled_tips) btn.title = plainOf(el.disabled_tips);
  }
  btn.addEventListener('click', async () => {
    if (el.confirm) {
      const ok = await confirmDialog(plainOf(el.confirm.title) || '确认', plainOf(el.confirm.text));
      if (!ok) return;
    }
    const form = btn.closest('form');
    if (isReset && form) {
      form.reset();
      return;
    }
    if (isSubmit && form) {
      const collected = collectForm(form);
      if (!collected) return;
      await ctx.send({ value: value ?? {}, form_value: collected, name: el.name }, btn);
      return;
    }
    const url = openUrlOf(el);
    if (value !== undefined) await ctx.send({ value, name: el.name }, btn);
    if (url && safeUrl(url)) window.open(url, '_blank', 'noopener');
    if (value === undefined && !url) showToast({ type: 'info', content: '这个按钮没有回调' });
  });
  return btn;
}

function fieldWrap(el, control) {
  const labelText = plainOf(el.label);
  const wrap = h('div', { class: `field card-el${el.label_position === 'left' ? ' left' : ''}` });
  if (labelText) {
    const label = h('label', { class: 'field-label', for: control.id }, labelText);
    if (el.required) label.append(h('span', { class: 'req', 'aria-hidden': 'true' }, '*'));
    wrap.append(label);
  }
  wrap.append(control);
  if (el.width && /^\d+px$/.test(el.width)) control.style.maxWidth = el.width;
  return wrap;
}

let controlSeq = 0;

function controlId() {
  controlSeq += 1;
  return `cc-${controlSeq}`;
}

function markField(control, el) {
  control.dataset.field = el.name ?? '';
  if (el.required) {
    control.dataset.required = 'true';
    control.setAttribute('aria-required', 'true');
  }
  control.dataset.label = plainOf(el.label) || plainOf(el.placeholder) || el.name || '';
}

export function renderInput(el, ctx) {
  const multiline = el.input_type === 'multiline_text';
  const placeholder = plainOf(el.placeholder);
  const label = plainOf(el.label) || placeholder || el.name || '输入';
  const attrs = {
    id: controlId(),
    name: el.name,
    placeholder,
    testid: 'card-input',
    'aria-label': label,
    maxlength: el.max_length ?? 1000,
    disabled: Boolean(el.disabled),
  };
  const control = multiline
    ? h('textarea', { ...attrs, rows: el.rows ?? 3 })
    : h('input', { ...attrs, type: el.input_type === 'password' ? 'password' : 'text' });
  control.value = el.default_value ?? '';
  markField(control, el);
  control.addEventListener('input', () => control.classList.remove('invalid'));
  if (!ctx.inForm && !multiline) {
    // A standalone input calls back when the user presses Enter, with input_value.
    control.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' || e.isComposing) return;
      e.preventDefault();
      ctx.send({ value: callbackValue(el) ?? {}, input_value: control.value, name: el.name }, control);
    });
  }
  return fieldWrap(el, control);
}

export function renderSelect(el, ctx) {
  const multi = el.tag.startsWith('multi_');
  const persons = el.tag.endsWith('_person');
  const placeholder = plainOf(el.placeholder) || (persons ? '选择人员' : '请选择');
  const control = h('select', {
    id: controlId(),
    name: el.name,
    testid: 'card-select',
    'aria-label': plainOf(el.label) || placeholder,
    multiple: multi,
    disabled: Boolean(el.disabled),
  });
  if (!multi) control.append(h('option', { value: '' }, placeholder));
  const options = persons
    ? (el.options?.length ? el.options : state.users.map((u) => ({ value: u.open_id }))).map((o) => ({
        value: o.value ?? o,
        text: userName(o.value ?? o),
      }))
    : (el.options ?? []).map((o) => ({
        value: String(o.value ?? ''),
        text: plainOf(o.text) || String(o.value ?? ''),
      }));
  const initial = multi
    ? new Set(el.selected_values ?? [])
    : new Set([el.initial_option ?? el.initial_index]);
  options.forEach((o, i) => {
    const opt = h('option', { value: o.value }, o.text);
    if (initial.has(o.value) || (!multi && el.initial_index !== undefined && el.initial_index - 1 === i))
      opt.selected = true;
    control.append(opt);
  });
  markField(control, el);
  control.addEventListener('change', () => {
    control.classList.remove('invalid');
    if (ctx.inForm) return;
    const option = multi ? Array.from(control.selectedOptions, (o) => o.value) : control.value;
    ctx.send(
      { value: callbackValue(el) ?? {}, [multi ? 'options' : 'option']: option, name: el.name },
      control,
    );
  });
  return fieldWrap(el, control);
}

export function renderOverflow(el, ctx) {
  const row = h('div', { class: 'btn-row card-el' });
  for (const opt of el.options ?? []) {
    const label = plainOf(opt.text) || String(opt.value ?? '');
    row.append(
      h(
        'button',
        {
          type: 'button',
          class: 'btn t-text s-small',
          testid: 'card-button',
          onclick: (e) =>
            ctx.send({ value: opt.value ?? {}, option: opt.value, name: el.name }, e.currentTarget),
        },
        label,
      ),
    );
  }
  return row;
}

export function renderChecker(el, ctx) {
  const box = h('input', {
    type: 'checkbox',
    id: controlId(),
    name: el.name,
    disabled: Boolean(el.disabled),
  });
  box.checked = Boolean(el.checked);
  markField(box, el);
  box.dataset.kind = 'checkbox';
  if (!ctx.inForm) {
    box.addEventListener('change', () =>
      ctx.send({ value: callbackValue(el) ?? {}, checked: box.checked, name: el.name }, box),
    );
  }
  return h('label', { class: 'check card-el', for: box.id }, box, plainOf(el.text));
}

export function renderPicker(el, ctx) {
  const type = el.tag === 'picker_time' ? 'time' : el.tag === 'picker_datetime' ? 'datetime-local' : 'date';
  const control = h('input', {
    type,
    id: controlId(),
    name: el.name,
    'aria-label': plainOf(el.placeholder) || plainOf(el.label) || '选择日期',
    disabled: Boolean(el.disabled),
  });
  const initial = el.initial_date ?? el.initial_time ?? el.initial_datetime;
  if (initial) control.value = String(initial).replace(' ', 'T');
  markField(control, el);
  if (!ctx.inForm) {
    control.addEventListener('change', () =>
      ctx.send({ value: callbackValue(el) ?? {}, option: control.value, name: el.name }, control),
    );
  }
  return fieldWrap(el, control);
}

function collectForm(form) {
  const out = {};
  const missing = [];
  for (const c of form.querySelectorAll('[data-field]')) {
    const name = c.dataset.field;
    if (!name) continue;
    let value;
    if (c.dataset.kind === 'checkbox') value = c.checked;
    else if (c instanceof HTMLSelectElement && c.multiple)
      value = Array.from(c.selectedOptions, (o) => o.value);
    else value = c.value;
    const empty = value === '' || (Array.isArray(value) && value.length === 0);
    if (c.dataset.required === 'true' && empty) {
      c.classList.add('invalid');
      missing.push(c.dataset.label || name);
      continue;
    }
    // Lark leaves out optional fields the user did not fill in.
    if (empty) continue;
    out[name] = value;
  }
  if (missing.length) {
    showToast({ type: 'warning', content: `请填写必填项：${missing.join('、')}` });
    return null;
  }
  return out;
}
