// One alert: its delivery trail per output (routing decision, attempts, final state) and its JSON.
import { api } from '../api.js';
import { badge, h, time } from '../dom.js';
import { formatJson } from '../json.js';

export function alertPage(root, uuid) {
  root.append(h('p', {}, h('a', { href: '#/alerts' }, '← alerts')));
  const body = h('div');
  root.append(body);

  async function load() {
    const { alert, trail } = await api(`/alerts/${encodeURIComponent(uuid)}`);
    body.replaceChildren(
      h('h1', {}, badge(alert.priority, `p-${alert.priority}`), ' ', alert.rule),
      h('p', { class: 'muted' }, `uuid ${trail.uuid} · received ${time(trail.receivedAt)}${trail.from ? ` from ${trail.from}` : ''} · source ${alert.source}${alert.hostname ? ` · host ${alert.hostname}` : ''}`),
      h('p', {}, alert.output),
      h('h2', {}, 'Delivery trail'),
      h(
        'table',
        { id: 'trail' },
        h('thead', {}, h('tr', {}, ['Output', 'State', 'Since', 'Attempts', 'Why'].map((t) => h('th', {}, t)))),
        h('tbody', {}, trail.outputs.map(row)),
      ),
      h('h2', {}, 'Alert JSON'),
      h('pre', { id: 'alert-json' }, formatJson(alert)),
    );
  }

  function row(o) {
    return h(
      'tr',
      { 'data-output': o.output },
      h('td', {}, o.output),
      h('td', {}, badge(o.state.replace('_', ' '), `s-${o.state}`)),
      h('td', {}, time(o.stateAt)),
      h(
        'td',
        {},
        String(o.attemptCount),
        o.attempts.length
          ? h('ol', { class: 'attempts' }, o.attempts.map((a) => h('li', {}, `${time(a.at)} · ${a.outcome} · ${a.latencyMs} ms · batch ${a.batch} · ${a.detail}`)))
          : null,
      ),
      h('td', {}, o.reason ?? (o.routed ? '' : 'not routed')),
    );
  }

  load().catch((err) => body.replaceChildren(h('p', { class: 'error' }, err.message)));
  const timer = setInterval(() => load().catch(() => {}), 5000);
  return () => clearInterval(timer);
}
