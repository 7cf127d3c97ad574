// Dead letters: why each alert was given up on, with replay (one, or every one matching the
// filters) and purge for the admin role.
import { api, qs, session } from '../api.js';
import { badge, clear, h, time, toast } from '../dom.js';

export function deadLetters(root) {
  const admin = session.role === 'admin';
  const form = h(
    'form',
    { class: 'filters', id: 'dl-filters' },
    h('label', {}, 'Output', h('input', { name: 'output' })),
    h('label', {}, 'Rule', h('input', { name: 'rule' })),
    h('button', { type: 'submit', class: 'primary' }, 'Apply'),
    admin ? h('button', { type: 'button', id: 'replay-all', onclick: () => act('replay') }, 'Replay all matching') : null,
    admin ? h('button', { type: 'button', class: 'danger', id: 'purge-all', onclick: () => act('purge') }, 'Purge all matching') : null,
  );
  const summary = h('p', { class: 'muted' });
  const tbody = h('tbody');
  const table = h('table', { id: 'deadletters' }, h('thead', {}, h('tr', {}, ['Id', 'At', 'Output', 'Reason', 'Priority', 'Rule', 'Detail', 'Attempts', ''].map((t) => h('th', {}, t)))), tbody);
  root.append(h('h1', {}, 'Dead letters'), form, summary, table);
  if (!admin) root.append(h('p', { class: 'muted' }, 'Signed in read-only: replay and purge need the admin token.'));

  const filters = () => Object.fromEntries([...new FormData(form)].filter(([, v]) => v !== ''));

  async function load() {
    const data = await api(`/deadletters${qs({ ...filters(), limit: 200 })}`);
    summary.textContent = `${data.entries.length} shown, ${data.total} in the store`;
    clear(tbody).append(
      ...data.entries.map((e) =>
        h(
          'tr',
          { 'data-id': e.id },
          h('td', {}, String(e.id)),
          h('td', {}, time(e.at)),
          h('td', {}, e.output),
          h('td', {}, badge(e.reason, 's-dead_lettered')),
          h('td', {}, badge(e.alert.priority, `p-${e.alert.priority}`)),
          h('td', {}, h('a', { href: `#/alert/${encodeURIComponent(e.alert.uuid)}` }, e.alert.rule)),
          h('td', { class: 'text', title: e.detail }, e.detail),
          h('td', {}, String(e.attempts)),
          h('td', {}, admin ? h('button', { type: 'button', class: 'replay', onclick: () => replayOne(e.id) }, 'Replay') : null),
        ),
      ),
    );
  }

  async function replayOne(id) {
    const { replayed } = await api('/deadletters/replay', { method: 'POST', body: { id } });
    toast(`${replayed} dead letter(s) put back in the queue`);
    await load();
  }

  async function act(action) {
    const f = filters();
    const what = Object.keys(f).length ? `every dead letter matching ${JSON.stringify(f)}` : 'every dead letter';
    if (!confirm(`${action === 'replay' ? 'Replay' : 'Delete for good'} ${what}?`)) return;
    const body = action === 'purge' && Object.keys(f).length === 0 ? { all: true } : f;
    const res = await api(`/deadletters/${action}`, { method: 'POST', body });
    toast(action === 'replay' ? `${res.replayed} dead letter(s) put back in the queue` : `${res.purged} dead letter(s) deleted`);
    await load();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    load().catch((err) => (summary.textContent = err.message));
  });
  load().catch((err) => (summary.textContent = err.message));
  const timer = setInterval(() => load().catch(() => {}), 5000);
  return () => clearInterval(timer);
}
