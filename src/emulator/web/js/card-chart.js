// Card charts (chart_spec) drawn as inline SVG: pie, bar, line, area and scatter.

import { h } from './dom.js';
import { plainOf } from './text.js';

const CHART_COLORS = ['#3370ff', '#34c724', '#ff8800', '#f54a45', '#7f3bf5', '#14c9c9', '#ffc60a', '#a6a6a6'];
const SVG_NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs ?? {}))
    if (v !== undefined && v !== null) node.setAttribute(k, String(v));
  for (const c of children) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  return node;
}

function chartValues(spec) {
  const d = spec?.data;
  if (Array.isArray(d)) return d.flatMap((x) => (Array.isArray(x?.values) ? x.values : []));
  if (d && Array.isArray(d.values)) return d.values;
  return [];
}

function niceMax(v) {
  if (!(v > 0)) return 1;
  const exp = 10 ** Math.floor(Math.log10(v));
  for (const step of [1, 2, 2.5, 5, 10]) if (v <= step * exp) return step * exp;
  return 10 * exp;
}

function shortLabel(s, max) {
  const chars = Array.from(String(s ?? ''));
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
}

function fmtNum(n) {
  if (!Number.isFinite(n)) return '';
  if (Math.abs(n) >= 10000) return `${(n / 10000).toFixed(n % 10000 === 0 ? 0 : 1)}万`;
  return String(Math.round(n * 100) / 100);
}

export function renderChart(el) {
  let spec = el.chart_spec ?? {};
  if (spec.type === 'common' && Array.isArray(spec.series) && spec.series[0]) {
    spec = { ...spec, ...spec.series[0], data: spec.series[0].data ?? spec.data };
  }
  const type = String(spec.type ?? '');
  const values = chartValues(spec);
  const wrap = h('figure', { class: 'chart card-el', testid: 'card-chart', 'data-chart-type': type });
  wrap.style.margin = '0';
  const title = plainOf(spec.title?.text ?? spec.title);
  if (title && typeof title === 'string') wrap.append(h('figcaption', { class: 'chart-title' }, title));
  const [rw, rh] = String(el.aspect_ratio ?? '16:9')
    .split(':')
    .map(Number);
  const W = 560;
  const H = /^\d+px$/.test(String(el.height ?? ''))
    ? Number.parseInt(el.height, 10)
    : Math.round((W * (rh || 9)) / (rw || 16));
  if (!values.length) {
    wrap.append(h('span', { class: 'img-ph' }, `📊 图表（${type || '未知类型'}，无数据）`));
    return wrap;
  }
  let drawn = null;
  if (type === 'pie' || type === 'rose') drawn = drawPie(spec, values, W, H);
  else if (['bar', 'line', 'area', 'histogram', 'scatter'].includes(type) || (spec.xField && spec.yField))
    drawn = drawCartesian(spec, values, W, H, type);
  if (!drawn) {
    wrap.append(h('span', { class: 'img-ph' }, `📊 图表（${type || '未知类型'}）`));
    return wrap;
  }
  wrap.append(drawn.svg);
  if (drawn.legend.length > 1 || type === 'pie') {
    const legend = h('div', { class: 'legend' });
    for (const item of drawn.legend) {
      const dot = h('i');
      dot.style.background = item.color;
      legend.append(h('span', null, dot, item.label));
    }
    wrap.append(legend);
  }
  const summary = drawn.legend.map((l) => l.label).join('、');
  drawn.svg.setAttribute('role', 'img');
  drawn.svg.setAttribute('aria-label', `${title || '图表'}${summary ? `：${summary}` : ''}`);
  return wrap;
}

function drawPie(spec, values, W, H) {
  const cat = spec.categoryField ?? spec.seriesField ?? 'type';
  const val = spec.valueField ?? spec.angleField ?? 'value';
  const items = values
    .map((v) => ({ label: String(v?.[cat] ?? ''), value: Number(v?.[val]) }))
    .filter((x) => Number.isFinite(x.value) && x.value > 0);
  const total = items.reduce((a, b) => a + b.value, 0);
  if (!total) return null;
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}` });
  const cx = W / 2;
  const cy = H / 2;
  const r = Math.min(W, H) / 2 - 12;
  const inner = Math.max(0, Math.min(0.9, Number(spec.innerRadius ?? 0))) * r;
  let a0 = -Math.PI / 2;
  const legend = [];
  items.forEach((it, i) => {
    const color = CHART_COLORS[i % CHART_COLORS.length];
    const frac = it.value / total;
    const a1 = a0 + frac * Math.PI * 2;
    const pct = `${Math.round(frac * 1000) / 10}%`;
    legend.push({ label: `${it.label} ${pct}`, color });
    let shape;
    if (frac >= 0.9999) {
      shape = svg('circle', { cx, cy, r, fill: color });
    } else {
      const large = a1 - a0 > Math.PI ? 1 : 0;
      const p = (a, rad) => `${cx + rad * Math.cos(a)} ${cy + rad * Math.sin(a)}`;
      const d = inner
        ? `M ${p(a0, r)} A ${r} ${r} 0 ${large} 1 ${p(a1, r)} L ${p(a1, inner)} A ${inner} ${inner} 0 ${large} 0 ${p(a0, inner)} Z`
        : `M ${cx} ${cy} L ${p(a0, r)} A ${r} ${r} 0 ${large} 1 ${p(a1, r)} Z`;
      shape = svg('path', { d, fill: color, stroke: '#fff', 'stroke-width': 1.5 });
    }
    shape.append(svg('title', null, `${it.label}: ${fmtNum(it.value)} (${pct})`));
    root.append(shape);
    a0 = a1;
  });
  if (inner) root.append(svg('circle', { cx, cy, r: inner - 1, fill: '#fff' }));
  return { svg: root, legend };
}

function drawCartesian(spec, values, W, H, type) {
  const horizontal = spec.direction === 'horizontal';
  const xf = Array.isArray(spec.xField) ? spec.xField : [spec.xField];
  const yf = Array.isArray(spec.yField) ? spec.yField : [spec.yField];
  const catField = horizontal ? yf[0] : xf[0];
  const valField = horizontal ? xf[0] : yf[0];
  const seriesField = spec.seriesField ?? (horizontal ? yf[1] : xf[1]);
  if (!catField || !valField) return null;
  const cats = [];
  const series = [];
  const table = new Map();
  for (const v of values) {
    const c = String(v?.[catField] ?? '');
    const s = seriesField ? String(v?.[seriesField] ?? '') : '';
    const n = Number(v?.[valField]);
    if (!Number.isFinite(n)) continue;
    if (!cats.includes(c)) cats.push(c);
    if (!series.includes(s)) series.push(s);
    table.set(`${c}\u0001${s}`, n);
  }
  if (!cats.length) return null;
  const stacked = Boolean(spec.stack) && type === 'bar';
  let max = 0;
  let min = 0;
  for (const c of cats) {
    let sum = 0;
    for (const s of series) {
      const n = table.get(`${c}\u0001${s}`) ?? 0;
      sum += n;
      if (!stacked) max = Math.max(max, n);
      min = Math.min(min, n);
    }
    if (stacked) max = Math.max(max, sum);
  }
  max = niceMax(max);
  const longest = Math.max(...cats.map((c) => Array.from(c).length));
  const padL = horizontal ? Math.min(130, 14 + Math.min(longest, 8) * 12) : 44;
  const padB = horizontal ? 24 : 30;
  const padT = 12;
  const padR = 16;
  const plotW = W - padL - padR;
  const plotH = H - padT - padB;
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}` });
  const scale = (n) => ((n - Math.min(0, min)) / (max - Math.min(0, min))) * (horizontal ? plotW : plotH);
  const ticks = 4;
  for (let i = 0; i <= ticks; i++) {
    const v = Math.min(0, min) + ((max - Math.min(0, min)) * i) / ticks;
    if (horizontal) {
      const x = padL + scale(v);
      root.append(svg('line', { x1: x, x2: x, y1: padT, y2: padT + plotH, stroke: '#eff0f1' }));
      root.append(
        svg('text', { x, y: H - 6, 'font-size': 11, fill: '#8f959e', 'text-anchor': 'middle' }, fmtNum(v)),
      );
    } else {
      const y = padT + plotH - scale(v);
      root.append(svg('line', { x1: padL, x2: W - padR, y1: y, y2: y, stroke: '#eff0f1' }));
      root.append(
        svg(
          'text',
          { x: padL - 6, y: y + 4, 'font-size': 11, fill: '#8f959e', 'text-anchor': 'end' },
          fmtNum(v),
        ),
      );
    }
  }
  const band = (horizontal ? plotH : plotW) / cats.length;
  const labelEvery = horizontal ? 1 : Math.max(1, Math.ceil((cats.length * 44) / plotW));
  cats.forEach((c, i) => {
    if (i % labelEvery !== 0) return;
    const mid = i * band + band / 2;
    const label = svg('text', { 'font-size': 11, fill: '#646a73' }, shortLabel(c, horizontal ? 8 : 6));
    label.append(svg('title', null, c));
    if (horizontal) {
      label.setAttribute('x', padL - 6);
      label.setAttribute('y', padT + mid + 4);
      label.setAttribute('text-anchor', 'end');
    } else {
      label.setAttribute('x', padL + mid);
      label.setAttribute('y', H - 10);
      label.setAttribute('text-anchor', 'middle');
    }
    root.append(label);
  });
  const legend = series.map((s, i) => ({
    label: s || String(valField),
    color: CHART_COLORS[i % CHART_COLORS.length],
  }));
  if (
    type === 'bar' ||
    type === 'histogram' ||
    (!['line', 'area', 'scatter'].includes(type) && type !== '')
  ) {
    const groups = stacked ? 1 : series.length;
    const inner = band * 0.7;
    const bw = inner / groups;
    cats.forEach((c, i) => {
      let acc = 0;
      series.forEach((s, j) => {
        const n = table.get(`${c}\u0001${s}`);
        if (n === undefined) return;
        const len = Math.abs(scale(n) - scale(0));
        const offset = stacked ? scale(acc) - scale(0) : 0;
        const slot = i * band + (band - inner) / 2 + (stacked ? 0 : j * bw);
        const rect = horizontal
          ? svg('rect', {
              x: padL + scale(0) + offset,
              y: padT + slot,
              width: Math.max(len, 0.5),
              height: bw - 2,
              rx: 2,
            })
          : svg('rect', {
              x: padL + slot,
              y: padT + plotH - scale(Math.max(n, 0)) - offset,
              width: Math.max(bw - 2, 1),
              height: Math.max(len, 0.5),
              rx: 2,
            });
        rect.setAttribute('fill', legend[j].color);
        rect.append(svg('title', null, `${c}${s ? ` · ${s}` : ''}: ${fmtNum(n)}`));
        root.append(rect);
        if (stacked) acc += n;
      });
    });
  } else {
    series.forEach((s, j) => {
      const pts = [];
      cats.forEach((c, i) => {
        const n = table.get(`${c}\u0001${s}`);
        if (n === undefined) return;
        pts.push({ x: padL + i * band + band / 2, y: padT + plotH - scale(n), c, n });
      });
      if (!pts.length) return;
      const color = legend[j].color;
      const line = pts.map((p, k) => `${k ? 'L' : 'M'} ${p.x} ${p.y}`).join(' ');
      if (type === 'area') {
        const base = padT + plotH - scale(0);
        root.append(
          svg('path', {
            d: `${line} L ${pts.at(-1).x} ${base} L ${pts[0].x} ${base} Z`,
            fill: color,
            'fill-opacity': 0.15,
          }),
        );
      }
      if (type !== 'scatter')
        root.append(svg('path', { d: line, fill: 'none', stroke: color, 'stroke-width': 2 }));
      for (const p of pts) {
        const dot = svg('circle', {
          cx: p.x,
          cy: p.y,
          r: 3.5,
          fill: '#fff',
          stroke: color,
          'stroke-width': 2,
        });
        dot.append(svg('title', null, `${p.c}${s ? ` · ${s}` : ''}: ${fmtNum(p.n)}`));
        root.append(dot);
      }
    });
  }
  const axis = horizontal
    ? svg('line', { x1: padL, x2: padL, y1: padT, y2: padT + plotH, stroke: '#bbbfc4' })
    : svg('line', { x1: padL, x2: W - padR, y1: padT + plotH, y2: padT + plotH, stroke: '#bbbfc4' });
  root.append(axis);
  return { svg: root, legend };
}
