// Lark's named colours for fonts, tags and card headers, as CSS values.

const FONT_COLORS = {
  red: '#f54a45',
  green: '#2ea121',
  grey: '#8f959e',
  gray: '#8f959e',
  blue: '#3370ff',
  orange: '#ff8800',
  yellow: '#dc9b04',
  purple: '#7f3bf5',
  violet: '#7f3bf5',
  indigo: '#4954e6',
  carmine: '#e03b8c',
  wathet: '#0fa0d8',
  turquoise: '#14a89e',
  lime: '#8fb100',
  neutral: '#646a73',
  default: 'inherit',
};

const TAG_COLORS = {
  neutral: ['#646a73', '#eff0f1'],
  grey: ['#646a73', '#eff0f1'],
  default: ['#646a73', '#eff0f1'],
  blue: ['#245bdb', '#e1eaff'],
  wathet: ['#0a6e8a', '#d9f3fd'],
  turquoise: ['#067063', '#d5f6f2'],
  lime: ['#5e7000', '#eef6c6'],
  green: ['#1f7a16', '#d9f5d6'],
  yellow: ['#8a6100', '#fdf2c4'],
  orange: ['#b64f00', '#fee7cd'],
  red: ['#c02c26', '#fde2e2'],
  carmine: ['#b3195c', '#fde2ef'],
  violet: ['#5b1fbf', '#ece2fe'],
  purple: ['#7b23ad', '#f3e3fc'],
  indigo: ['#3340b8', '#e0e3fc'],
};

export const HEADER_THEMES = {
  blue: ['#e1eaff', '#1f4fc7'],
  wathet: ['#d9f3fd', '#0a6e8a'],
  turquoise: ['#d5f6f2', '#067063'],
  green: ['#d9f5d6', '#1f7a16'],
  yellow: ['#fdf2c4', '#7a5600'],
  orange: ['#fee7cd', '#a84800'],
  red: ['#fde2e2', '#b8271f'],
  carmine: ['#fde2ef', '#a8175a'],
  violet: ['#ece2fe', '#5b1fbf'],
  purple: ['#f3e3fc', '#7b23ad'],
  indigo: ['#e0e3fc', '#3340b8'],
  grey: ['#eff0f1', '#1f2329'],
  default: ['#ffffff', '#1f2329'],
};

function colorName(c) {
  return String(c ?? '')
    .toLowerCase()
    .replace(/-\d+$/, '');
}

export function fontColor(c) {
  const raw = String(c ?? '').trim();
  if (/^#[0-9a-f]{3,8}$/i.test(raw)) return raw;
  if (/^rgba?\([\d\s.,%]+\)$/i.test(raw)) return raw;
  return FONT_COLORS[colorName(raw)] ?? 'inherit';
}

export function tagColors(c) {
  return TAG_COLORS[colorName(c)] ?? TAG_COLORS.neutral;
}

export function tagStyle(c) {
  const [fg, bg] = tagColors(c);
  return `--tag-fg:${fg};--tag-bg:${bg}`;
}
