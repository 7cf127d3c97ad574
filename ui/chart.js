// Small SVG charts: stacked bars over time (alerts by priority/rule/namespace) and a per-minute
// sparkline (delivered vs failed). Labels are text nodes.
import { h, s } from './dom.js';

// Colours come from classes (style.css): the page's Content-Security-Policy allows no inline styles.
const PRIORITY_ORDER = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'];

/** buckets: [{at, counts: {key: n}}]; returns a figure with the SVG and a legend. */
export function stackedBars(buckets, { priority = false } = {}) {
  const totals = new Map();
  for (const b of buckets) for (const [k, n] of Object.entries(b.counts)) totals.set(k, (totals.get(k) ?? 0) + n);
  let keys = [...totals.keys()];
  keys = priority ? PRIORITY_ORDER.filter((p) => totals.has(p)) : keys.sort((a, b) => totals.get(b) - totals.get(a));
  const top = keys.slice(0, 9);
  const color = (k, i) => (priority ? `p-${k}` : `k${i % 10}`);
  const width = 1000;
  const height = 140;
  const pad = 18;
  const max = Math.max(1, ...buckets.map((b) => Object.values(b.counts).reduce((a, n) => a + n, 0)));
  const bw = width / Math.max(1, buckets.length);
  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': 'alerts over time' });
  buckets.forEach((b, i) => {
    let y = height - pad;
    const stack = [...top.map((k, j) => [k, b.counts[k] ?? 0, color(k, j)]), ['other', Object.entries(b.counts).filter(([k]) => !top.includes(k)).reduce((a, [, n]) => a + n, 0), 'other']];
    for (const [k, n, c] of stack) {
      if (!n) continue;
      const bh = ((height - 2 * pad) * n) / max;
      y -= bh;
      svg.append(s('rect', { x: i * bw + 0.5, y, width: Math.max(1, bw - 1), height: bh, class: c }, s('title', {}, `${new Date(b.at).toLocaleTimeString()} ${k}: ${n}`)));
    }
  });
  svg.append(s('text', { x: 2, y: 11 }, `max ${max}`));
  if (buckets.length) {
    svg.append(s('text', { x: 2, y: height - 4 }, new Date(buckets[0].at).toLocaleTimeString()));
    svg.append(s('text', { x: width - 2, y: height - 4, 'text-anchor': 'end' }, new Date(buckets[buckets.length - 1].at).toLocaleTimeString()));
  }
  const legend = h('div', { class: 'legend' }, top.map((k, j) => h('span', { class: color(k, j) }, h('i'), h('span', { class: 'label' }, k || '(none)', ` ${totals.get(k)}`))));
  return h('figure', { class: 'chart' }, svg, legend);
}

/** minutes: [{delivered, failed}]: delivered up from the middle line, failed down from it. */
export function sparkline(minutes) {
  const width = 300;
  const height = 48;
  const mid = height / 2;
  const max = Math.max(1, ...minutes.map((m) => Math.max(m.delivered, m.failed)));
  const bw = width / Math.max(1, minutes.length);
  const svg = s('svg', { class: 'spark', viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': 'delivered and failed per minute, last hour' });
  svg.append(s('line', { x1: 0, x2: width, y1: mid, y2: mid, class: 'axis' }));
  minutes.forEach((m, i) => {
    if (m.delivered) svg.append(s('rect', { x: i * bw, y: mid - ((mid - 1) * m.delivered) / max, width: Math.max(1, bw - 0.5), height: ((mid - 1) * m.delivered) / max, class: 'bar-ok' }, s('title', {}, `${new Date(m.at).toLocaleTimeString()}: ${m.delivered} delivered`)));
    if (m.failed) svg.append(s('rect', { x: i * bw, y: mid, width: Math.max(1, bw - 0.5), height: ((mid - 1) * m.failed) / max, class: 'bar-bad' }, s('title', {}, `${new Date(m.at).toLocaleTimeString()}: ${m.failed} failed`)));
  });
  return svg;
}
