/**
 * What Lark refuses in a card JSON 2.0, checked the way a tenant checks it, so that a card the
 * emulator accepts is a card Lark accepts. Each rule names its source. The doc pages are quoted from
 * open.feishu.cn (mirrored with their dates in wxkingstar/doc-hub-mcp, feishu/001-开发指南/feishu-cards/):
 *   [STRUCT]   /document/feishu-cards/card-json-v2-structure (≤ 200 elements, schema 2.0)
 *   [BREAKING] /document/feishu-cards/card-json-v2-breaking-changes-release-notes
 *   [FORM]     /document/feishu-cards/card-json-v2-components/containers/form-container
 *   [PANEL]    /document/feishu-cards/card-json-v2-components/containers/collapsible-panel
 *   [OVERVIEW] /document/feishu-cards/card-json-v2-components/component-json-v2-overview
 *   [AT]       /document/feishu-cards/card-json-v2-components/content-components/rich-text
 *   [LARK]     /work/shared/LARK.md §6, §7 and §10 (the codes Lark answers with)
 */
import { type ApiError, apiError } from './errors.js';
import { isRecord } from './http.js';

export const CARD_ELEMENT_LIMIT = 200;

const cardError = (inner: string, path: string, message: string, value: string): ApiError =>
  apiError(
    230099,
    `Failed to create card content, ext=ErrCode: ${inner}; ErrPath: ${path}; ErrMsg: ${message}; ErrorValue: ${value}`,
  );

export const CARD_ERR = {
  /** [BREAKING] "2.0 结构不再支持备注（note）组件和交互模块（"tag" 为 "action"）"; [LARK] §10: 200861. */
  v1Only: (tag: string, path: string) =>
    cardError(
      '200861',
      path,
      'cards of schema V2 no longer support this capability',
      `unsupported tag ${tag}`,
    ),
  /** [BREAKING] "在 JSON 2.0 版本中，传入不支持的属性将报错": an unknown tag is not a component at all. */
  unknownTag: (tag: string, path: string) => cardError('200621', path, 'unknown tag', tag),
  /** [FORM], [PANEL], [BREAKING]: what a container may hold. */
  nesting: (message: string, path: string, value: string) => cardError('200621', path, message, value),
  /** [FORM]: name is required and a submit button must be inside. */
  form: (message: string, path: string) => cardError('200621', path, message, 'form'),
  /** [BREAKING] element_id: letters, digits, `_`; starts with a letter; ≤ 20; unique in the card. */
  elementId: (message: string, path: string, id: string) => cardError('200621', path, message, id),
  /** [STRUCT] ≤ 200 elements; [LARK] §10: 230099 with 11310, plain_text counted. */
  tooManyElements: (count: number) =>
    apiError(
      230099,
      `Failed to create card content, ext=ErrCode: 11310; ErrMsg: card contains ${count} elements, exceeding the limit of ${CARD_ELEMENT_LIMIT}; ErrorValue: ${count}`,
    ),
  /** [AT] "Invalid ids give 230099/100290" ([LARK] §7, §10: open_ids are per app). */
  unknownAt: (id: string) =>
    cardError('100290', 'ROOT -> body', 'the at user id is invalid', `<at id=${id}></at>`),
} as const;

/** Every tag a 2.0 card may hold: the components of [OVERVIEW] and the elements inside them. */
const V2_TAGS = new Set([
  // containers
  'column_set',
  'column',
  'form',
  'interactive_container',
  'collapsible_panel',
  // display
  'div',
  'markdown',
  'img',
  'img_combination',
  'hr',
  'chart',
  'table',
  'person',
  'person_list',
  'audio',
  // interactive
  'input',
  'button',
  'overflow',
  'select_static',
  'multi_select_static',
  'select_person',
  'multi_select_person',
  'date_picker',
  'picker_time',
  'picker_datetime',
  'select_img',
  'checker',
  // elements inside components
  'plain_text',
  'lark_md',
  'standard_icon',
  'custom_icon',
  'text_tag',
]);
/** [BREAKING] "废弃备注组件 & 交互模块". */
const V1_ONLY_TAGS = new Set(['note', 'action']);
const ELEMENT_ID = /^[A-Za-z][A-Za-z0-9_]{0,19}$/;
/** Keys that hold the developer's own data, not card structure: a `tag` inside them is not a component. */
const OPAQUE_KEYS = new Set(['value', 'form_value', 'chart_spec', 'rows', 'data']);

export interface CardCheckContext {
  /** True when `<at id=…>` names someone this app may mention (an open_id of this app). */
  knowsOpenId?: (openId: string) => boolean;
}

interface Visit {
  node: Record<string, unknown>;
  path: string;
  /** Tags of the containers above this node, nearest last. */
  ancestors: string[];
}

function walk(card: Record<string, unknown>): Visit[] {
  const out: Visit[] = [];
  const visit = (value: unknown, path: string, ancestors: string[]): void => {
    if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) visit(item, `${path}[${i}]`, ancestors);
      return;
    }
    if (!isRecord(value)) return;
    const tag = typeof value.tag === 'string' ? value.tag : undefined;
    if (tag !== undefined) out.push({ node: value, path, ancestors });
    const below = tag === undefined ? ancestors : [...ancestors, tag];
    for (const [key, child] of Object.entries(value)) {
      if (OPAQUE_KEYS.has(key)) continue;
      visit(child, `${path} -> ${key}`, below);
    }
  };
  visit(card, 'ROOT', []);
  return out;
}

const AT_TAG = /<at\s+(ids?)=["']?([^"'>\s]+)["']?\s*>/g;

function hasSubmitButton(form: Record<string, unknown>): boolean {
  let found = false;
  const visit = (value: unknown): void => {
    if (found) return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!isRecord(value)) return;
    if (
      value.tag === 'button' &&
      (value.form_action_type === 'submit' || value.action_type === 'form_submit')
    ) {
      found = true;
      return;
    }
    for (const [key, child] of Object.entries(value)) if (!OPAQUE_KEYS.has(key)) visit(child);
  };
  visit(form.elements);
  return found;
}

/** Counts what the 200 limit counts: every object with a `tag`, plain_text included ([LARK] §10). */
export function countTagged(card: unknown): number {
  return isRecord(card) ? walk(card).length : 0;
}

/** The first refusal Lark would give for this 2.0 card, or null. */
export function checkCardV2(card: Record<string, unknown>, ctx: CardCheckContext = {}): ApiError | null {
  const visits = walk(card);
  const ids = new Set<string>();
  for (const { node, path, ancestors } of visits) {
    const tag = node.tag as string;
    if (V1_ONLY_TAGS.has(tag)) return CARD_ERR.v1Only(tag, path);
    if (!V2_TAGS.has(tag)) return CARD_ERR.unknownTag(tag, path);
    if (node.element_id !== undefined) {
      const id = node.element_id;
      if (typeof id !== 'string' || !ELEMENT_ID.test(id))
        return CARD_ERR.elementId(
          'element_id must start with a letter and hold at most 20 letters, digits or underscores',
          path,
          String(id),
        );
      if (ids.has(id)) return CARD_ERR.elementId('element_id must be unique in the card', path, id);
      ids.add(id);
    }
    if (tag === 'form') {
      // [FORM] "表单容器组件不可被内嵌在其它组件内，只可放在卡片根节点下"; [PANEL] "折叠面板不支持内嵌表单容器".
      if (ancestors.length > 0)
        return CARD_ERR.nesting(`a form may not be placed inside ${ancestors.at(-1)}`, path, 'form');
      if (typeof node.name !== 'string' || node.name === '')
        return CARD_ERR.form('a form needs a name, unique in the card', path);
      if (!hasSubmitButton(node))
        return CARD_ERR.form('a form needs a button with form_action_type submit', path);
    }
    // [FORM] "不支持内嵌表格、图表、和表单容器组件"; [BREAKING] containers hold anything but form and table.
    if ((tag === 'chart' || tag === 'table') && ancestors.includes('form'))
      return CARD_ERR.nesting(`a form may not contain a ${tag}`, path, tag);
    if (tag === 'table' && ancestors.length > 0)
      return CARD_ERR.nesting(`a table may not be placed inside ${ancestors.at(-1)}`, path, 'table');
    if ((tag === 'markdown' || tag === 'lark_md') && typeof node.content === 'string' && ctx.knowsOpenId) {
      for (const match of node.content.matchAll(AT_TAG)) {
        for (const id of (match[2] ?? '').split(',')) {
          if (id === 'all' || id === '') continue;
          if (!ctx.knowsOpenId(id)) return CARD_ERR.unknownAt(id);
        }
      }
    }
  }
  if (visits.length > CARD_ELEMENT_LIMIT) return CARD_ERR.tooManyElements(visits.length);
  return null;
}

const INTERACTIVE_TAGS = new Set([
  'input',
  'select_static',
  'multi_select_static',
  'select_person',
  'multi_select_person',
  'date_picker',
  'picker_time',
  'picker_datetime',
  'select_img',
  'checker',
]);

function callbackValueOf(node: Record<string, unknown>): unknown {
  const behaviors = Array.isArray(node.behaviors) ? node.behaviors : [];
  const callback = behaviors.find((b) => isRecord(b) && b.type === 'callback');
  return isRecord(callback) ? callback.value : node.value;
}

/**
 * What `card.action.trigger` carries for a tap on this card, built as Lark builds it
 * ([FORM] "回调结构"; LARK.md §10): `action.tag` and `action.name` of the component tapped, and for a
 * form submit `form_value` keyed by the `name`s of the form's interactive components. Lark submits
 * "所有已填写的表单项内容" (the items filled in), so a field the person left alone is absent, not
 * sent with its prefilled value, and a key that names no component in the form is never sent.
 */
export function cardActionOf(
  card: unknown,
  input: { name?: string; value: Record<string, unknown>; formValue?: Record<string, unknown> },
): { tag: string; name?: string; formValue?: Record<string, unknown> } {
  const visits = isRecord(card) ? walk(card) : [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const tapped =
    visits.find((v) => input.name !== undefined && v.node.name === input.name) ??
    visits.find(
      (v) =>
        v.node.tag === 'button' &&
        (input.formValue === undefined || v.node.form_action_type === 'submit') &&
        same(callbackValueOf(v.node), input.value),
    );
  const tag = typeof tapped?.node.tag === 'string' ? tapped.node.tag : 'button';
  const name = typeof tapped?.node.name === 'string' ? tapped.node.name : input.name;
  if (input.formValue === undefined) return { tag, ...(name === undefined ? {} : { name }) };
  const form =
    tapped === undefined
      ? undefined
      : visits.find((v) => v.node.tag === 'form' && contains(v.node, tapped.node));
  const fieldNames = new Set(
    visits
      .filter((v) => INTERACTIVE_TAGS.has(v.node.tag as string) && typeof v.node.name === 'string')
      .filter((v) => form === undefined || contains(form.node, v.node))
      .map((v) => v.node.name as string),
  );
  const formValue = Object.fromEntries(
    Object.entries(input.formValue).filter(([key, value]) => fieldNames.has(key) && value !== undefined),
  );
  return { tag, ...(name === undefined ? {} : { name }), formValue };
}

function contains(container: Record<string, unknown>, target: Record<string, unknown>): boolean {
  if (container === target) return true;
  return Object.entries(container).some(([key, child]) => {
    if (OPAQUE_KEYS.has(key)) return false;
    if (Array.isArray(child)) return child.some((c) => isRecord(c) && contains(c, target));
    return isRecord(child) && contains(child, target);
  });
}
