// The card renderer: Lark card JSON (2.0 and older) to DOM, layout and display components.

import { fileUrl } from './api.js';
import { renderChart } from './card-chart.js';
import {
  callbackValue,
  openUrlOf,
  renderButton,
  renderChecker,
  renderInput,
  renderOverflow,
  renderPicker,
  renderSelect,
} from './card-inputs.js';
import { fontColor, HEADER_THEMES, tagColors, tagStyle } from './colors.js';
import { avatar, h } from './dom.js';
import { toMillis } from './format.js';
import { markdownNode, safeUrl } from './markdown.js';
import { userName } from './state.js';
import { plainOf, stripTags } from './text.js';

function unknownNode(tag, why) {
  return h(
    'span',
    { class: 'unknown', testid: 'card-unknown', title: why ?? '' },
    `[暂不支持的组件：${tag ?? '未知'}]`,
  );
}

function textSizeClass(size) {
  if (!size) return '';
  if (/notation|xs|small/.test(size)) return 'ts-notation';
  if (/xxx?x?-large|heading-0|heading-1/.test(size)) return 'ts-xlarge';
  if (/x-large|heading-2/.test(size)) return 'ts-large';
  if (/heading|large/.test(size)) return 'ts-heading';
  return '';
}

function alignClass(a) {
  return a === 'center' ? 'align-center' : a === 'right' ? 'align-right' : '';
}

function renderCardText(t, extraClass) {
  if (!t) return null;
  const tag = t.tag ?? 'plain_text';
  const content = plainOf(t);
  const cls = `${textSizeClass(t.text_size)} ${alignClass(t.text_align)} ${extraClass ?? ''}`;
  if (tag === 'lark_md' || tag === 'markdown') return markdownNode(content, cls);
  const node = h('div', { class: cls }, content);
  node.style.whiteSpace = 'pre-wrap';
  if (t.text_color) node.style.color = fontColor(t.text_color);
  return node;
}

// ctx is { send(payload, control), inForm }: send delivers a callback; inside a form, inputs wait for submit.
function renderElements(list, ctx, parent) {
  for (const el of Array.isArray(list) ? list : []) parent.append(renderElementSafe(el, ctx));
  return parent;
}

function renderElementSafe(el, ctx) {
  try {
    const node = renderElement(el, ctx);
    if (node instanceof Element) {
      if (el?.tag) node.dataset.tag = el.tag;
      if (el?.element_id) node.dataset.elementId = el.element_id;
    }
    return node ?? unknownNode(el?.tag);
  } catch (err) {
    console.warn('card element failed to render', el, err);
    return unknownNode(el?.tag, String(err?.message ?? err));
  }
}

function renderElement(el, ctx) {
  if (!el || typeof el !== 'object') return unknownNode(typeof el);
  switch (el.tag) {
    case 'markdown':
    case 'lark_md': {
      const content = el.i18n_content ? plainOf({ i18n_content: el.i18n_content }) : (el.content ?? '');
      return markdownNode(content, `card-el ${textSizeClass(el.text_size)} ${alignClass(el.text_align)}`);
    }
    case 'plain_text':
      return renderCardText(el, 'card-el');
    case 'div':
      return renderDiv(el, ctx);
    case 'hr':
      return h('hr', { class: 'card-hr' });
    case 'column_set':
      return renderColumnSet(el, ctx);
    case 'column':
      return renderColumn(el, ctx, 1);
    case 'button':
      return renderButton(el, ctx);
    case 'action': {
      const row = h('div', { class: 'btn-row card-el' });
      return renderElements(el.actions, ctx, row);
    }
    case 'form':
      return renderForm(el, ctx);
    case 'input':
      return renderInput(el, ctx);
    case 'select_static':
    case 'multi_select_static':
    case 'select_person':
    case 'multi_select_person':
      return renderSelect(el, ctx);
    case 'overflow':
      return renderOverflow(el, ctx);
    case 'checker':
      return renderChecker(el, ctx);
    case 'date_picker':
    case 'picker_date':
    case 'picker_time':
    case 'picker_datetime':
      return renderPicker(el, ctx);
    case 'person':
      return h('div', { class: 'card-el' }, personChip(el.user_id, el));
    case 'person_list': {
      const ids = (el.persons ?? []).map((p) => (typeof p === 'string' ? p : p?.id));
      return h('div', { class: 'card-el' }, ...ids.map((id) => personChip(id, el)));
    }
    case 'note':
      return renderNote(el, ctx);
    case 'chart':
      return renderChart(el);
    case 'table':
      return renderTable(el);
    case 'img':
    case 'image':
      return renderImage(el);
    case 'img_combination':
      return h('span', { class: 'img-ph' }, `🖼 图片组（${(el.img_list ?? []).length} 张）`);
    case 'collapsible_panel': {
      const details = h('details', { class: 'panel card-el' });
      if (el.expanded) details.open = true;
      details.append(h('summary', null, plainOf(el.header?.title) || '展开'));
      details.append(renderElements(el.elements, ctx, h('div', { class: 'panel-body' })));
      return details;
    }
    case 'interactive_container':
      return renderContainer(el, ctx);
    case 'text_tag':
      return h('span', { class: 'text-tag', style: tagStyle(el.color) }, plainOf(el.text));
    default:
      return unknownNode(el.tag);
  }
}

function renderDiv(el, ctx) {
  const wrap = h('div', { class: 'card-el' });
  if (el.text) wrap.append(renderCardText(el.text));
  if (Array.isArray(el.fields) && el.fields.length) {
    const grid = h('div', { class: 'fields' });
    for (const f of el.fields) {
      const cell = renderCardText(f.text) ?? h('div');
      if (!f.is_short) cell.classList.add('wide');
      grid.append(cell);
    }
    wrap.append(grid);
  }
  if (el.extra) wrap.append(renderElementSafe(el.extra, ctx));
  return wrap;
}

function columnBackground(style) {
  if (!style || style === 'default') return null;
  if (style === 'grey') return '#f5f6f7';
  return tagColors(style)[1];
}

function renderColumnSet(el, ctx) {
  const mode = el.flex_mode ?? 'none';
  const row = h('div', { class: `columns card-el${mode === 'flow' ? ' flow' : ''}` });
  if (el.horizontal_spacing) row.style.gap = cssLength(el.horizontal_spacing, '8px');
  const columns = Array.isArray(el.columns) ? el.columns : [];
  if (['bisect', 'trisect'].includes(mode)) row.classList.add('keep');
  const bg = columnBackground(el.background_style);
  if (bg) {
    row.style.background = bg;
    row.style.borderRadius = '6px';
    row.style.padding = '8px';
  }
  for (const col of columns) {
    let weight = 1;
    if (mode === 'flow') weight = 0;
    else if (mode === 'none' || mode === 'stretch')
      weight = col.width === 'weighted' ? Number(col.weight ?? 1) : 0;
    row.append(renderColumn(col, ctx, weight, mode));
  }
  if (el.action?.multi_url?.url) row.style.cursor = 'pointer';
  return row;
}

function cssLength(v, fallback) {
  if (typeof v === 'number') return `${v}px`;
  const s = String(v ?? '');
  if (/^\d+(\.\d+)?px$/.test(s)) return s;
  if (s === 'small') return '4px';
  if (s === 'medium') return '8px';
  if (s === 'large') return '12px';
  if (s === 'extra_large') return '16px';
  return fallback;
}

function renderColumn(col, ctx, weight, mode) {
  const node = h('div', { class: 'column' });
  if (col?.tag && col.tag !== 'column') return renderElementSafe(col, ctx);
  if (mode === 'bisect') node.style.flex = '1 1 0';
  else if (mode === 'trisect') node.style.flex = '1 1 0';
  else if (typeof col?.width === 'string' && /^\d+px$/.test(col.width)) node.style.flex = `0 0 ${col.width}`;
  else if (weight > 0) node.style.flex = `${weight} 1 0`;
  else node.style.flex = '0 1 auto';
  if (col?.vertical_align === 'center') node.classList.add('v-center');
  if (col?.vertical_align === 'bottom') node.classList.add('v-bottom');
  const bg = columnBackground(col?.background_style);
  if (bg) {
    node.classList.add('bg');
    node.style.background = bg;
  }
  if (col?.vertical_spacing) node.style.gap = cssLength(col.vertical_spacing, '6px');
  return renderElements(col?.elements, ctx, node);
}

function renderForm(el, ctx) {
  const form = h('form', { class: 'card-form card-el', testid: 'card-form', novalidate: true });
  if (el.name) form.dataset.name = el.name;
  form.addEventListener('submit', (e) => e.preventDefault());
  return renderElements(el.elements, { ...ctx, inForm: true }, form);
}

function personChip(id, el) {
  const name = userName(id);
  const chip = h('span', { class: 'person', title: id ?? '' });
  if (el?.show_avatar !== false) chip.append(avatar(name, id, 'small'));
  if (el?.show_name !== false) chip.append(name);
  return chip;
}

function renderNote(el, ctx) {
  const note = h('div', { class: 'note card-el' });
  for (const child of el.elements ?? []) {
    if (child?.tag === 'plain_text') note.append(h('span', null, plainOf(child)));
    else if (child?.tag === 'lark_md' || child?.tag === 'markdown') note.append(markdownNode(plainOf(child)));
    else if (child?.tag === 'standard_icon') note.append(h('span', { 'aria-hidden': 'true' }, 'ⓘ'));
    else note.append(renderElementSafe(child, ctx));
  }
  return note;
}

function renderImage(el) {
  const alt = plainOf(el.alt) || plainOf(el.title) || '图片';
  const key = el.img_key ?? el.image_key;
  if (!key) return h('span', { class: 'img-ph' }, `🖼 ${alt}`);
  const img = h('img', { class: 'card-img card-el', alt, src: fileUrl(key) });
  img.addEventListener('error', () => img.replaceWith(h('span', { class: 'img-ph' }, `🖼 ${alt}`)));
  return img;
}

function renderContainer(el, ctx) {
  const node = h('div', { class: 'container card-el' });
  const bg = columnBackground(el.background_style);
  if (bg) node.style.background = bg;
  if (el.has_border === false) node.style.border = '0';
  const value = callbackValue(el);
  const url = openUrlOf(el);
  if (value !== undefined || url) {
    node.classList.add('clickable');
    node.setAttribute('role', 'button');
    node.setAttribute('tabindex', '0');
    node.dataset.testid = 'card-button';
    const go = (e) => {
      if (e.target instanceof Element && e.target.closest('button, a, input, select, textarea')) return;
      if (value !== undefined) ctx.send({ value }, null);
      else if (safeUrl(url)) window.open(url, '_blank', 'noopener');
    };
    node.addEventListener('click', go);
    node.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        go(e);
      }
    });
  }
  return renderElements(el.elements, ctx, node);
}

function renderTable(el) {
  const columns = Array.isArray(el.columns) ? el.columns : [];
  const rows = Array.isArray(el.rows) ? el.rows : [];
  const table = h('table', { class: 'card-table' });
  const head = h('tr');
  for (const c of columns) head.append(h('th', { scope: 'col' }, c.display_name ?? c.name ?? ''));
  table.append(h('thead', null, head));
  const body = h('tbody');
  for (const r of rows) {
    const tr = h('tr');
    for (const c of columns) tr.append(h('td', null, tableCell(r?.[c.name], c)));
    body.append(tr);
  }
  table.append(body);
  return h('div', { class: 'table-wrap card-el' }, table);
}

function tableCell(v, col) {
  if (v === null || v === undefined) return '';
  switch (col?.data_type) {
    case 'options':
      return (Array.isArray(v) ? v : [v]).map((o) =>
        h('span', { class: 'text-tag', style: tagStyle(o?.color) }, o?.text ?? String(o)),
      );
    case 'persons':
      return (Array.isArray(v) ? v : [v]).map((id) => personChip(typeof id === 'string' ? id : id?.id));
    case 'markdown':
    case 'lark_md':
      return markdownNode(v);
    case 'date': {
      const ms = toMillis(v);
      return ms ? new Date(ms).toLocaleDateString('zh-CN') : String(v);
    }
    case 'number': {
      const n = Number(v);
      const p = col.format?.precision;
      return Number.isFinite(n) ? (typeof p === 'number' ? n.toFixed(p) : String(n)) : String(v);
    }
    default:
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
}

export function cardOf(content) {
  let card = content;
  if (card?.type === 'raw' && card.data) card = card.data;
  return card;
}

/**
 * The card of an `interactive` message as DOM. `onAction(msg, payload, control)` is called for every
 * callback (button, form submit, select, input Enter…); the caller decides how to send it.
 */
export function renderCard(content, msg, onAction) {
  const card = cardOf(content);
  const node = h('div', { class: 'card', testid: 'card', 'data-message-id': msg.message_id });
  try {
    if (card?.type === 'template' || card?.type === 'card') {
      const id = card.data?.template_id ?? card.data?.card_id ?? '';
      node.append(h('div', { class: 'card-body' }, unknownNode(`模板卡片 ${id}`)));
      return node;
    }
    const header = card?.header ?? card?.i18n_header?.zh_cn ?? card?.i18n_header?.en_us;
    if (header) node.append(renderHeader(header));
    const body = h('div', { class: 'card-body' });
    const elements =
      card?.body?.elements ??
      card?.elements ??
      card?.i18n_elements?.zh_cn ??
      card?.i18n_elements?.en_us ??
      [];
    if (card?.body?.vertical_spacing) body.style.gap = cssLength(card.body.vertical_spacing, '8px');
    const send = (payload, control) => onAction(msg, payload, control);
    renderElements(elements, { send, inForm: false }, body);
    if (body.childNodes.length) node.append(body);
    if (card?.config?.width_mode === 'fill') node.dataset.wide = 'true';
  } catch (err) {
    console.warn('card failed to render', card, err);
    node.append(h('div', { class: 'card-body' }, unknownNode('卡片', String(err?.message ?? err))));
  }
  return node;
}

function renderHeader(header) {
  const theme = HEADER_THEMES[header.template] ?? HEADER_THEMES.default;
  const node = h('div', {
    class: 'card-header',
    testid: 'card-header',
    'data-template': header.template ?? 'default',
  });
  node.style.setProperty('--h-bg', theme[0]);
  node.style.setProperty('--h-fg', theme[1]);
  if (!HEADER_THEMES[header.template] || header.template === 'default')
    node.style.setProperty('--h-line', '#eff0f1');
  const title = h('div', { class: 'card-title', testid: 'card-title' });
  title.append(h('span', null, stripTags(plainOf(header.title))));
  for (const tag of header.text_tag_list ?? []) {
    title.append(h('span', { class: 'text-tag', style: tagStyle(tag?.color) }, plainOf(tag?.text)));
  }
  node.append(title);
  const sub = plainOf(header.subtitle);
  if (sub) node.append(h('div', { class: 'card-subtitle' }, stripTags(sub)));
  return node;
}
