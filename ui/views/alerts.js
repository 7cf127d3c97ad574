// Recent alerts: filters, a live tail (polling with the newest cursor), counts over time by
// priority, rule or namespace, and pages of older alerts.
import { api, qs } from '../api.js';
import { stackedBars } from '../chart.js';
import { badge, clear, h, time } from '../dom.js';

const PRIORITIES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'];
const STATES = ['queued', 'retrying', 'delivered', 'dead_lettered', 'suppressed', 'shed', 'dropped', 'not_routed'];
const RANGES = { '15m': 15, '1h': 60, '6h': 360, '24h': 1440 };

export function alerts(root) {
  const initial = Object.fromEntries(new URLSearchParams(location.hash.split('/').slice(2).join('/')));
  const field = (name, label, attrs = {}) => h('label', {}, label, h('input', { name, value: initial[name] ?? '', ...attrs }));
  const select = (name, label, options, value = '') =>
    h('label', {}, label, h('select', { name }, options.map(([v, t]) => h('option', { value: v, selected: (initial[name] ?? value) === v }, t))));
  const form = h(
    'form',
    { class: 'filters', id: 'filters' },
    select('range', 'Time', Object.keys(RANGES).map((k) => [k, `last ${k}`]), '1h'),
    field('rule', 'Rule'),
    select('priority', 'Priority', [['', 'any'], ...PRIORITIES.map((p) => [p, p])]),
    field('source', 'Source'),
    field('hostname', 'Hostname'),
    field('namespace', 'Namespace'),
    field('output', 'Output'),
    select('state', 'State', [['', 'any'], ...STATES.map((s) => [s, s.replace('_', ' ')])]),
    field('q', 'Text in output', { type: 'search' }),
    h('button', { type: 'submit', class: 'primary' }, 'Apply'),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'live', checked: true }), 'live tail'),
  );
  const by = h('select', { 'aria-label': 'count by' }, ['priority', 'rule', 'namespace'].map((v) => h('option', { value: v }, `by ${v}`)));
  const chart = h('div', { class: 'card', id: 'chart' });
  const tbody = h('tbody');
  const table = h('table', { id: 'alerts' }, h('thead', {}, h('tr', {}, ['Received', 'Priority', 'Rule', 'Host', 'Namespace', 'Output', 'Outputs'].map((t) => h('th', {}, t)))), tbody);
  const more = h('button', { type: 'button', hidden: true }, 'Older alerts');
  const status = h('p', { class: 'muted' });
  root.append(h('h1', {}, 'Alerts'), form, h('div', { class: 'row' }, h('h2', {}, 'Alerts over time'), by), chart, h('h2', {}, 'Recent'), status, table, h('p', {}, more));

  let newest = 0;
  let next = null;
  let generation = 0;

  const filters = () => {
    const data = Object.fromEntries(new FormData(form));
    const minutes = RANGES[data.range] ?? 60;
    delete data.range;
    delete data.live;
    return { ...data, since: Date.now() - minutes * 60_000 };
  };

  function row(a) {
    return h(
      'tr',
      { class: 'link', 'data-uuid': a.uuid, onclick: () => (location.hash = `#/alert/${encodeURIComponent(a.uuid)}`) },
      h('td', {}, time(a.receivedAt)),
      h('td', {}, badge(a.priority, `p-${a.priority}`)),
      h('td', {}, h('a', { href: `#/alert/${encodeURIComponent(a.uuid)}` }, a.rule)),
      h('td', {}, a.hostname),
      h('td', {}, a.namespace),
      h('td', { class: 'text', title: a.output }, a.output),
      h('td', {}, Object.entries(a.states).map(([o, st]) => badge(`${o}: ${st.replace('_', ' ')}`, `s-${st}`))),
    );
  }

  async function reload() {
    const mine = ++generation;
    const page = await api(`/alerts${qs({ ...filters(), limit: 50 })}`);
    if (mine !== generation) return;
    clear(tbody).append(...page.alerts.map(row));
    newest = page.alerts[0]?.seq ?? newest;
    next = page.next;
    more.hidden = next === null;
    status.textContent = page.alerts.length ? '' : 'No alert matches these filters yet.';
    await drawChart();
  }

  async function tail() {
    if (!new FormData(form).get('live')) return;
    const page = await api(`/alerts${qs({ ...filters(), after: newest, limit: 200 })}`);
    if (page.alerts.length === 0) return;
    newest = page.alerts[0].seq;
    tbody.prepend(...page.alerts.map(row));
    while (tbody.children.length > 500) tbody.lastElementChild.remove();
    status.textContent = '';
  }

  async function refreshStates() {
    // States move (queued → delivered): redraw the visible rows from a fresh first page.
    const page = await api(`/alerts${qs({ ...filters(), limit: Math.min(200, Math.max(50, tbody.children.length)) })}`);
    const fresh = new Map(page.alerts.map((a) => [a.uuid, a]));
    for (const tr of [...tbody.children]) {
      const a = fresh.get(tr.dataset.uuid);
      if (a) tr.replaceWith(row(a));
    }
  }

  async function drawChart() {
    const range = RANGES[new FormData(form).get('range')] ?? 60;
    const bucketms = Math.max(60_000, Math.ceil((range * 60_000) / 60 / 60_000) * 60_000);
    const stats = await api(`/stats/alerts${qs({ by: by.value, since: Date.now() - range * 60_000, bucketms })}`);
    chart.replaceChildren(stackedBars(stats.buckets, { priority: by.value === 'priority' }));
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    reload().catch((err) => (status.textContent = err.message));
  });
  by.addEventListener('change', () => drawChart().catch(() => {}));
  more.addEventListener('click', async () => {
    const page = await api(`/alerts${qs({ ...filters(), limit: 50, before: next })}`);
    tbody.append(...page.alerts.map(row));
    next = page.next;
    more.hidden = next === null;
  });

  reload().catch((err) => (status.textContent = err.message));
  let ticks = 0;
  const timer = setInterval(() => {
    ticks++;
    tail().catch(() => {});
    if (ticks % 3 === 0) refreshStates().catch(() => {});
    if (ticks % 5 === 0) drawChart().catch(() => {});
  }, 2000);
  return () => clearInterval(timer);
}
