// Every output's state, queue depth, delivered/failed per minute, oldest queued age and recent errors.
import { api } from '../api.js';
import { sparkline } from '../chart.js';
import { age, badge, clear, h, time } from '../dom.js';

export function overview(root) {
  const head = h('div', { class: 'row' }, h('h1', {}, 'Outputs'));
  const summary = h('p', { class: 'muted' });
  const grid = h('div', { class: 'grid', id: 'outputs' });
  root.append(head, summary, grid);

  async function refresh() {
    const data = await api('/outputs');
    summary.textContent = `Peregrine ${data.version} · trail: ${data.trail.store} (${data.trail.alerts} alerts) · ${data.deadLetters} dead letter(s)`;
    clear(grid);
    if (data.outputs.length === 0) grid.append(h('p', { class: 'muted' }, 'No output is enabled.'));
    for (const o of data.outputs) grid.append(card(o));
  }

  function card(o) {
    const last = o.minutes[o.minutes.length - 1] ?? { delivered: 0, failed: 0 };
    const hour = o.minutes.reduce((acc, m) => ({ delivered: acc.delivered + m.delivered, failed: acc.failed + m.failed }), { delivered: 0, failed: 0 });
    return h(
      'section',
      { class: 'card output', 'data-output': o.name },
      h('div', { class: 'row' }, h('h2', { class: 'flush' }, o.name), badge(o.state, `s-${o.state}`), h('span', { class: 'spacer' }), h('a', { href: `#/alerts/output=${encodeURIComponent(o.name)}` }, 'alerts')),
      h(
        'div',
        { class: 'stats' },
        stat(o.queued, 'queued'),
        stat(o.inflight, 'in flight'),
        stat(age(o.oldestAgeMs), 'oldest queued'),
        stat(o.delivered, 'delivered'),
        stat(o.deadLettered, 'dead-lettered'),
        stat(o.dropped, 'shed / dropped'),
      ),
      sparkline(o.minutes),
      h('p', { class: 'muted small' }, `this minute: ${last.delivered} delivered, ${last.failed} failed · last hour: ${hour.delivered} delivered, ${hour.failed} failed`),
      o.lastError ? h('p', { class: 'error small' }, `last error ${o.lastErrorAt ? time(o.lastErrorAt) : ''}: ${o.lastError}`) : null,
      o.recentErrors.length ? h('ul', { class: 'errors' }, o.recentErrors.slice(0, 5).map((e) => h('li', {}, `${time(e.at)} · ${e.alerts} alert(s) · ${e.detail}`))) : null,
    );
  }

  const stat = (value, label) => h('div', {}, h('b', {}, String(value)), h('span', {}, label));

  refresh().catch((err) => summary.replaceChildren(h('span', { class: 'error' }, err.message)));
  const timer = setInterval(() => refresh().catch(() => {}), 5000);
  return () => clearInterval(timer);
}
